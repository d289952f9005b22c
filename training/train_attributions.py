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
import functools
import json
import pickle
import random
import sys
import time
from collections import Counter
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
        text = text.removeprefix("\ufeff")
        yield t.stem, text, read_brat(anns[0])


def head_token(doc, start: int, end: int):
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start and not t.is_space]
    if not toks:
        return None
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    roots.sort(key=lambda t: (t.pos_ not in ("VERB", "AUX"), t.i))
    return roots[0] if roots else toks[0]


def cue_vocabulary(docs, min_count: int = 2) -> frozenset[str]:
    """Lemmas that head a gold cue at least `min_count` times: the only cue candidates."""
    from collections import Counter

    counts = Counter()
    for doc, _text, gold in docs:
        for g in gold:
            if "cue" in g:
                h = head_token(doc, *g["cue"])
                if h is not None:
                    counts[h.lemma_.lower()] += 1
    return frozenset(w for w, n in counts.items() if n >= min_count)


def examples(docs, vocab: frozenset[str] | None = None):
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
        for tok in am.cue_candidates(ctx, vocab):
            g = by_head.get(tok.i)
            data["cue"].append((am.cue_features(tok, ctx), int(g is not None)))
            if g is None:
                continue
            gcue = am.trim(text, *g["cue"])
            gcon = am.trim(text, *g["content"])
            data["cue_span"].append([(am.cue_span_features(tok, c[2], c, gcon, text), int(am.trim(text, c[0], c[1]) == gcue))
                                     for c in am.cue_span_candidates(tok)])
            data["content"].append([(am.content_features(tok, c, ctx), int((c[0], c[1]) == gcon))
                                    for c in am.content_candidates(tok, ctx)])
            gsrc = am.trim(text, *g["source"]) if "source" in g else (-1, -1)
            data["source"].append([(am.source_features(tok, c, ctx), int((c[0], c[1]) == gsrc))
                                   for c in am.source_candidates(tok, ctx)])
    return data


def parse(nlp, items, cache: Path | None):
    """Parse the articles, or read the parses from a DocBin cache made from the same texts."""
    from spacy.tokens import DocBin

    texts = [text for _, text, _ in items]
    if cache and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache:
        DocBin(docs=docs, store_user_data=False).to_disk(cache)
    return docs


def fit(rows, c: float):
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen = Counter(f for feats, _ in rows for f in set(feats))
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in feats if seen[f] >= 2} for feats, _ in rows]).tocsr()
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    y = [label for _, label in rows]
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    clf.fit(X, y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-3}
    weights["__bias__"] = float(clf.intercept_[0])
    return weights


def rank_fit(groups, epochs: int = 12):
    """An averaged perceptron that ranks the candidates of each group (one of them right).

    Listwise: each mistake moves the weights from the chosen candidate's features to the
    right one's. Groups where no candidate is right teach nothing and are left out."""
    groups = [g for g in groups if any(y for _, y in g)]
    w: dict[str, float] = {}
    total: dict[str, float] = {}
    stamp: dict[str, int] = {}
    step = 0
    rng = random.Random(7)

    def update(feat, delta):
        total[feat] = total.get(feat, 0.0) + (step - stamp.get(feat, 0)) * w.get(feat, 0.0)
        stamp[feat] = step
        w[feat] = w.get(feat, 0.0) + delta

    for _ in range(epochs):
        rng.shuffle(groups)
        for g in groups:
            step += 1
            scores = [sum(w.get(f, 0.0) for f in feats) for feats, _ in g]
            pred = max(range(len(g)), key=lambda i: scores[i])
            if g[pred][1]:
                continue
            gold = max((i for i in range(len(g)) if g[i][1]), key=lambda i: scores[i])
            for f in g[gold][0]:
                update(f, 1.0)
            for f in g[pred][0]:
                update(f, -1.0)
    out = {}
    for f, v in w.items():
        avg = (total.get(f, 0.0) + (step - stamp.get(f, 0)) * v) / step
        if abs(avg) >= 1e-4:
            out[f] = round(avg, 5)
    return out


def softmax_fit(groups, l2: float = 1.0, min_count: int = 2):
    """A listwise log-linear ranker: the softmax over each group's candidates, fitted by
    L-BFGS with an L2 penalty. Groups where no candidate is right are left out."""
    from collections import Counter

    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    groups = [g for g in groups if any(y for _, y in g)]
    seen = Counter(f for g in groups for feats, _ in g for f in set(feats))
    index = {f: i for i, f in enumerate(sorted(f for f, n in seen.items() if n >= min_count))}
    rows, cols, bounds, ys = [], [], [0], []
    n = 0
    for g in groups:
        for feats, y in g:
            for f in set(feats):
                j = index.get(f)
                if j is not None:
                    rows.append(n)
                    cols.append(j)
            ys.append(float(y))
            n += 1
        bounds.append(n)
    X = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(index)))
    y = np.array(ys)
    starts = np.array(bounds[:-1])
    gid = np.repeat(np.arange(len(groups)), np.diff(bounds))
    # the right candidates of a group share its target mass
    y = y / np.bincount(gid, weights=y)[gid]

    def loss(w):
        z = X @ w
        zmax = np.maximum.reduceat(z, starts)
        ez = np.exp(z - zmax[gid])
        sums = np.add.reduceat(ez, starts)
        p = ez / sums[gid]
        lse = np.log(sums) + zmax
        value = float((np.add.reduceat(y * z, starts) - lse).sum())
        grad = X.T @ (y - p)
        return -value + 0.5 * l2 * float(w @ w), -grad + l2 * w

    res = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    names = sorted(index, key=index.get)
    return {f: round(float(v), 5) for f, v in zip(names, res.x) if abs(v) >= 1e-4}


def train_models(train, hold, args):
    """The cue, cue-span, content and source models on `train`; the cue threshold on `hold`."""
    vocab = cue_vocabulary(train, args.min_cue_count)
    data = examples(train, vocab)
    weights = {"cue": fit(data["cue"], args.cue_c)}
    print(f"cue: {len(data['cue'])} examples, {len(weights['cue'])} weights", file=sys.stderr)
    for task in ("cue_span", "content", "source"):
        if args.ranker == "softmax":
            weights[task] = softmax_fit(data[task], args.content_l2 if task == "content" else args.l2)
        else:
            weights[task] = rank_fit(data[task], args.epochs)
        print(f"{task}: {len(data[task])} groups, {len(weights[task])} weights", file=sys.stderr)
    models = am.LinearModels(weights, {}, vocab)
    # the cue threshold that maximises cue-head F1 on the held-out articles
    held = examples(hold, vocab)
    for task in ("cue_span", "content", "source"):
        groups = [g for g in held[task] if any(y for _, y in g)]
        w = weights[task]
        right = sum(g[max(range(len(g)), key=lambda i: sum(w.get(f, 0.0) for f in g[i][0]))][1] for g in groups)
        print(f"{task}: held-out ranking accuracy {100 * right / max(len(groups), 1):.1f} "
              f"({len(groups)} groups with a right candidate)", file=sys.stderr)
    hold_data = held["cue"]
    scored = sorted(((models.score("cue", f), y) for f, y in hold_data), reverse=True)
    total = sum(y for _, y in scored)
    best, tp = (0.0, 0.5), 0
    for k, (s, y) in enumerate(scored, 1):
        tp += y
        f1 = 2 * tp / (k + total)
        if f1 > best[0]:
            best = (f1, s)
    print(f"cue threshold {best[1]:.3f} (held-out head F1 {100 * best[0]:.1f})", file=sys.stderr)
    # with a record filter behind it the cue threshold can be lower: the filter drops what
    # the extra cues get wrong, knowing their content
    models.thresholds = {"cue": round(best[1] * (args.cue_threshold_scale if args.folds > 1 else 1.0), 4)}
    return models


def _overlaps(a, b) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * (a[1] - a[0]) and inter >= 0.5 * (b[1] - b[0])


def _take(used: set, pool: list, match) -> int:
    """Credit the first unused gold item of `pool` that `match`es (1), or none (0)."""
    for i, g in enumerate(pool):
        if i not in used and match(g):
            used.add(i)
            return 1
    return 0


def _rel_match(text: str, g: dict, content, source) -> bool:
    if not _overlaps(am.trim(text, *g["content"]), content):
        return False
    if "source" not in g:
        return source is None
    return source is not None and _overlaps(am.trim(text, *g["source"]), source)


def record_rows(docs, models):
    """Each record the finder makes on `docs` (with `models`), its features and whether its
    content (exact), cue (exact) and content-and-source (overlap) match a gold attribution.
    A gold attribution is credited to one record only, as the scorer does."""
    from thucydides.extract.attributions import extract_attributions

    lex = cue_lexicon()
    rows, fixed, n_gold = [], Counter(), 0
    for doc, text, gold in docs:
        golds = [g for g in gold if "content" in g]
        n_gold += len(golds)
        gc = [am.trim(text, *g["content"]) for g in golds]
        gq = [am.trim(text, *g["cue"]) for g in golds if "cue" in g]
        used_c, used_q, used_r = set(), set(), set()
        for att, feats in extract_attributions(doc, lex, models, with_features=True):
            c = am.trim(text, att.content.start, att.content.end)
            q = am.trim(text, att.cue.start, att.cue.end) if att.cue is not None else None
            s = am.trim(text, att.source.start, att.source.end) if att.source is not None else None
            y_content = _take(used_c, gc, c.__eq__)
            y_cue = _take(used_q, gq, q.__eq__) if q else 0
            y_rel = _take(used_r, golds, functools.partial(_rel_match, text, content=c, source=s))
            if feats is None:
                fixed.update(pred=1, content=y_content, cue=y_cue, rel=y_rel, cue_pred=int(q is not None))
            else:
                rows.append((feats, y_content, y_cue, y_rel, int(q is not None)))
    fixed["gold"] = n_gold
    return rows, fixed


def record_filter(rows, fixed, c: float, n_gold_cue: int):
    """Two logistic models of a whole record: "its content is exactly right" and "its content
    and source overlap a gold attribution's". A record is kept when a mix of the two passes a
    threshold; the mix and the threshold maximise content + relation + cue F1 over the
    cross-fitted records, the models' scores on them coming from 5-fold cross-validation."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in feats} for feats, *_ in rows]).tocsr()
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    y_con, y_cue, y_rel, has_cue = (np.array([r[k] for r in rows]) for k in (1, 2, 3, 4))
    gold = fixed["gold"]
    p_con = cross_val_predict(LogisticRegression(C=c, max_iter=3000, solver="liblinear"), X, y_con, cv=5,
                              method="predict_proba")[:, 1]
    p_rel = cross_val_predict(LogisticRegression(C=c, max_iter=3000, solver="liblinear"), X, y_rel, cv=5,
                              method="predict_proba")[:, 1]
    best = None
    # content exactness comes first: the relation model only tempers it (mixes below 0.75
    # gain relation F1 but lose content F1 on the cross-fitted records)
    for mix in (1.0, 0.75):
        p = mix * p_con + (1 - mix) * p_rel
        order = np.argsort(-p)
        k = np.arange(1, len(order) + 1)
        f_con = 2 * (fixed["content"] + np.cumsum(y_con[order])) / (fixed["pred"] + k + gold)
        f_rel = 2 * (fixed["rel"] + np.cumsum(y_rel[order])) / (fixed["pred"] + k + gold)
        f_cue = 2 * (fixed["cue"] + np.cumsum(y_cue[order])) / (fixed["cue_pred"] + np.cumsum(has_cue[order])
                                                                 + n_gold_cue)
        i = int(np.argmax(f_con + f_rel + f_cue))
        print(f"record filter: mix {mix}: keep {i + 1} of {len(order)}: content {100 * f_con[i]:.1f} "
              f"relation {100 * f_rel[i]:.1f} cue {100 * f_cue[i]:.1f} (all kept: content "
              f"{100 * f_con[-1]:.1f} relation {100 * f_rel[-1]:.1f} cue {100 * f_cue[-1]:.1f})", file=sys.stderr)
        total = f_con[i] + f_rel[i] + f_cue[i]
        if best is None or total > best[0]:
            best = (total, mix, float(p[order[i]]))
    _, mix, threshold = best
    print(f"record filter: mix {mix}, threshold {threshold:.3f}", file=sys.stderr)
    names = vec.get_feature_names_out()
    tables = []
    for y in (y_con, y_rel):
        clf = LogisticRegression(C=c, max_iter=3000, solver="liblinear").fit(X, y)
        w = {str(n): round(float(v), 4) for n, v in zip(names, clf.coef_[0]) if abs(v) >= 1e-3}
        w["__bias__"] = float(clf.intercept_[0])
        tables.append(w)
    return tables[0], tables[1], mix, threshold


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", type=Path)
    ap.add_argument("--out", type=Path, default=Path("src/thucydides/models/attribution.json"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cue-c", type=float, default=0.15, help="inverse L2 strength of the cue classifier")
    ap.add_argument("--epochs", type=int, default=12, help="passes of the ranking perceptrons")
    ap.add_argument("--ranker", choices=["softmax", "perceptron"], default="softmax",
                    help="how the span rankers are fitted")
    ap.add_argument("--l2", type=float, default=3.0, help="L2 strength of the softmax rankers")
    ap.add_argument("--content-l2", type=float, default=10.0,
                    help="L2 strength of the content ranker (its labels are the noisiest: a stronger prior)")
    ap.add_argument("--min-cue-count", type=int, default=2,
                    help="a lemma becomes a cue candidate when it heads this many gold cues in train")
    ap.add_argument("--cache", type=Path, help="keep the parses in this DocBin file between runs")
    ap.add_argument("--holdout", type=float, default=0.1, help="share of train kept out to set the cue threshold")
    ap.add_argument("--folds", type=int, default=4,
                    help="cross-fitting folds for the record filter (1: no record filter)")
    ap.add_argument("--record-c", type=float, default=0.3, help="inverse L2 strength of the record filter")
    ap.add_argument("--cue-threshold-scale", type=float, default=1.0,
                    help="with a record filter, the cue threshold is this share of the best cue-head one")
    ap.add_argument("--rows-cache", type=Path, help="keep the cross-fitted records in this file between runs")
    args = ap.parse_args()
    nlp = load_nlp()
    items = list(corpus(args.train, args.limit))
    random.Random(13).shuffle(items)
    t0 = time.time()
    docs = [(doc, text, gold) for doc, (_, text, gold) in zip(parse(nlp, items, args.cache), items)]
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", file=sys.stderr)
    n_hold = int(len(docs) * args.holdout)
    models = train_models(docs[n_hold:], docs[:n_hold], args)
    if args.folds > 1:
        # the record filter learns from records made by models that never saw their article
        rows, fixed = [], Counter()
        if args.rows_cache and args.rows_cache.exists():
            rows, fixed = pickle.loads(args.rows_cache.read_bytes())
        for k in range(args.folds if not rows else 0):
            part = docs[k::args.folds]
            rest = [d for i, d in enumerate(docs) if i % args.folds != k]
            n = int(len(rest) * args.holdout)
            r, f = record_rows(part, train_models(rest[n:], rest[:n], args))
            rows += r
            fixed.update(f)
            print(f"fold {k}: {len(r)} records", file=sys.stderr)
        if args.rows_cache:
            args.rows_cache.write_bytes(pickle.dumps((rows, fixed)))
        n_gold_cue = sum(1 for _, _, gold in docs for g in gold if "content" in g and "cue" in g)
        (models.weights["record"], models.weights["record_rel"], models.thresholds["record_mix"],
         models.thresholds["record"]) = record_filter(rows, fixed, args.record_c, n_gold_cue)
    out = {"provenance": "trained by training/train_attributions.py on the PolNeAR v1.0 train split "
                         "(Newell, Margolin and Ruths, LREC 2018); weights only, no corpus text",
           "thresholds": {k: round(v, 4) for k, v in models.thresholds.items()},
           "cue_lemmas": sorted(models.cue_lemmas), "weights": models.weights}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
