"""Train the attribution models on the PolNeAR train split and write models/attribution.json.

    .venv/bin/python training/train_attributions.py ../shared/eval/polnear/train \
        --out src/thucydides/models/attribution.json

Needs scikit-learn (the `train` extra); the shipped model is a table of weights that the
package reads without it. The corpus stays where it is: only weights are written.
Candidates and features come from `thucydides.extract.attribution_model`, the same code
that runs at inference, so training and use cannot drift apart.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from thucydides.extract import attribution_model as am
from thucydides.extract.attributions import cue_lexicon
from thucydides.extract.quotes import find_quotes
from thucydides.nlp import load_nlp


def read_brat(path: Path) -> list[dict]:
    spans, rels = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            role, offsets = parts[1].split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
            spans[parts[0]] = (role, min(s for s, _ in frags), max(e for _, e in frags))
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(a.split(":") for a in parts[1].split())
            rels.append({r.lower(): spans[t][1:] for r, t in roles.items()
                         if r in ("Source", "Cue", "Content") and t in spans})
    return rels


def corpus(root: Path, limit: int = 0):
    texts = sorted((root / "text").glob("*.txt"))[: limit or None]
    for t in texts:
        anns = sorted((root / "attributions").glob(t.stem + "_*.ann"))
        if not anns:
            continue
        with open(t, encoding="utf-8", newline="") as f:
            text = f.read()
        if text.startswith("\ufeff"):
            text = text[1:]
        yield t.stem, text, read_brat(anns[0])


def head_token(doc, start: int, end: int):
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start and not t.is_space]
    if not toks:
        return None
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    roots.sort(key=lambda t: (t.pos_ not in ("VERB", "AUX"), t.i))
    return roots[0] if roots else toks[0]


def examples(docs):
    """Feature lists and labels for the four tasks."""
    lex = cue_lexicon()
    data = {"cue": [], "cue_span": [], "content": [], "source": []}
    for doc, text, gold in docs:
        ctx = am.Context.build(doc, find_quotes(text), lex)
        by_head = {}
        for g in gold:
            if "cue" not in g or "content" not in g:
                continue
            h = head_token(doc, *g["cue"])
            if h is not None:
                by_head.setdefault(h.i, g)
        for tok in am.cue_candidates(ctx):
            g = by_head.get(tok.i)
            data["cue"].append((am.cue_features(tok, ctx), int(g is not None)))
            if g is None:
                continue
            gcue = am.trim(text, *g["cue"])
            for c in am.cue_span_candidates(tok):
                data["cue_span"].append((am.cue_span_features(tok, c[2]), int(am.trim(text, c[0], c[1]) == gcue)))
            gcon = am.trim(text, *g["content"])
            for c in am.content_candidates(tok, ctx):
                data["content"].append((am.content_features(tok, c, ctx), int((c[0], c[1]) == gcon)))
            gsrc = am.trim(text, *g["source"]) if "source" in g else (-1, -1)
            for c in am.source_candidates(tok, ctx):
                data["source"].append((am.source_features(tok, c, ctx), int((c[0], c[1]) == gsrc)))
    return data


def fit(rows, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in feats} for feats, _ in rows]).tocsr()
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    y = [label for _, label in rows]
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    clf.fit(X, y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-3}
    weights["__bias__"] = float(clf.intercept_[0])
    return weights


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", type=Path)
    ap.add_argument("--out", type=Path, default=Path("src/thucydides/models/attribution.json"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--holdout", type=float, default=0.1, help="share of train kept out to set the cue threshold")
    args = ap.parse_args()
    nlp = load_nlp()
    items = list(corpus(args.train, args.limit))
    random.Random(13).shuffle(items)
    t0 = time.time()
    docs = [(doc, text, gold) for doc, (_, text, gold) in
            zip(nlp.pipe((text for _, text, _ in items), batch_size=16), items)]
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", file=sys.stderr)
    n_hold = int(len(docs) * args.holdout)
    hold, train = docs[:n_hold], docs[n_hold:]
    data = examples(train)
    weights = {}
    for task, c in (("cue", 0.5), ("cue_span", 1.0), ("content", 1.0), ("source", 1.0)):
        weights[task] = fit(data[task], c)
        print(f"{task}: {len(data[task])} examples, {len(weights[task])} weights", file=sys.stderr)
    models = am.LinearModels(weights, {})
    # the cue threshold that maximises cue-head F1 on the held-out articles
    hold_data = examples(hold)["cue"]
    scored = sorted(((models.score("cue", f), y) for f, y in hold_data), reverse=True)
    total = sum(y for _, y in scored)
    best, tp = (0.0, 0.5), 0
    for k, (s, y) in enumerate(scored, 1):
        tp += y
        f1 = 2 * tp / (k + total)
        if f1 > best[0]:
            best = (f1, s)
    print(f"cue threshold {best[1]:.3f} (held-out head F1 {100 * best[0]:.1f})", file=sys.stderr)
    out = {"provenance": "trained by training/train_attributions.py on the PolNeAR v1.0 train split "
                         "(Newell, Margolin and Ruths, LREC 2018); weights only, no corpus text",
           "thresholds": {"cue": round(best[1], 4)}, "weights": weights}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
