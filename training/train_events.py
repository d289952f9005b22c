"""Train the event models on PLOVER-labelled sentences and write models/events.json.

    .venv/bin/python training/train_events.py ../shared/eval/plover/train.csv \
        --out src/thucydides/models/events.json
    .venv/bin/python training/train_events.py ../shared/eval/plover/train.csv --cv 5   # quick CV
    .venv/bin/python training/train_events.py ../shared/eval/plover/train.csv --cv 5 --curve   # learning curve

Needs scikit-learn (`pip install scikit-learn`); the shipped model is a table of weights
that the package reads without it. The corpus stays where it is: only weights are written.
Features and candidates come from `thucydides.extract.event_model`, the code that runs at
inference. The corpus's label YIELD is trained as CONCEDE (the scorer accepts CONCEDE or
RETREAT for it).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from thucydides.extract import event_model as em
from thucydides.extract.events import trigger_index
from thucydides.model import Analysis, Article


def norm(s: str) -> list[str]:
    return re.sub(r"[^a-z0-9 ]", "", (s or "").lower().replace("-", " ")).split()


def token_f1(gold: str, pred: str) -> float:
    """The PLOVER scorer's match: token F1 of the normalised words."""
    ta, tb = norm(gold), norm(pred)
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(tb), common / len(ta)
    return 2 * p * r / (p + r)


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse(rows: list[dict]) -> list[dict]:
    """Parse each sentence once, as the pipeline does, with its actor mentions."""
    from thucydides.pipeline import Pipeline

    pipe = Pipeline()
    out = []
    texts = [r["text"] for r in rows]
    for doc, row in zip(pipe.nlp.pipe(texts, batch_size=64), rows):
        analysis = Analysis.for_article(Article(text=row["text"]))
        st = pipe.resolver.resolve(doc, analysis)
        mentions = {i for m in st.mentions for i in range(m.tokens[0], m.tokens[1])}
        out.append({"doc": doc, "row": row, "mentions": mentions})
    return out


def main_sentence(doc):
    """The sentence the event is in: the PLOVER items are single sentences, but the parser may
    split them; take the longest piece."""
    return max(doc.sents, key=len)


def examples(items: list[dict]):
    lex = trigger_index()
    type_x, type_y, party = [], [], {"source": ([], [], []), "target": ([], [], [])}
    for it in items:
        doc, row = it["doc"], it["row"]
        sent = main_sentence(doc)
        label = em.CORPUS_LABELS.get(row["label"].upper(), row["label"].upper())
        type_x.append(em.type_features(sent, lex))
        type_y.append(label)
        trig = em.choose_trigger(sent, label, lex)
        cands = em.party_candidates(sent)
        ranks = em.side_ranks(cands, trig)
        for role in ("source", "target"):
            gold = row.get(role, "")
            if not gold:
                continue
            xs, ys, groups = party[role]
            pool = cands
            if role == "target":
                # as at inference, the target is never the phrase that names the source
                pool = [c for c in cands if token_f1(row.get("source", ""), em.span_text(doc, c)) < 0.5
                        or token_f1(gold, em.span_text(doc, c)) >= 0.5]
            labels = [int(token_f1(gold, em.span_text(doc, c)) >= 0.5) for c in pool]
            if not any(labels):
                continue  # nothing to learn from where no candidate matches
            groups.append(len(xs))
            for c, lab in zip(pool, labels):
                xs.append(em.party_features(c, trig, sent, it["mentions"], ranks, label))
                ys.append(lab)
    return type_x, type_y, party


def fit(items: list[dict], c_type: float = 3.0, c_party: float = 1.0, min_count: int = 2) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    type_x, type_y, party = examples(items)
    counts = Counter(f for fs in type_x for f in fs)
    vec = DictVectorizer()
    X = vec.fit_transform([{k: 1 for k in fs if counts[k] >= min_count} for fs in type_x])
    clf = LogisticRegression(C=c_type, max_iter=5000)
    clf.fit(X, type_y)
    names = vec.get_feature_names_out()
    type_w = {}
    for k, lab in enumerate(clf.classes_):
        type_w[str(lab)] = {str(n): round(float(w), 3) for n, w in zip(names, clf.coef_[k]) if abs(w) >= 5e-3}
    type_b = {str(lab): round(float(b), 4) for lab, b in zip(clf.classes_, clf.intercept_)}
    party_w = {}
    for role, (xs, ys, groups) in party.items():
        v = DictVectorizer()
        Xp = v.fit_transform([{k: 1 for k in fs} for fs in xs]).tocsr()
        w = fit_listwise(Xp, ys, groups, c_party)
        party_w[role] = {str(n): round(float(x), 3) for n, x in zip(v.get_feature_names_out(), w) if abs(x) >= 5e-3}
    return {"type": type_w, "type_bias": type_b, "party": party_w}


def fit_listwise(X, y, groups: list[int], c: float):
    """A conditional logit over each sentence's candidates: maximise the probability that the
    chosen candidate is one that matches the gold phrase (any of them), with an L2 penalty."""
    import numpy as np
    from scipy.optimize import minimize

    y = np.asarray(y, dtype=bool)
    starts = np.asarray(groups)
    gid = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, X.shape[0])))
    lam = 1.0 / c

    def loss_grad(w):
        s = X @ w
        m = np.maximum.reduceat(s, starts)[gid]
        e = np.exp(s - m)
        z_all = np.add.reduceat(e, starts)
        z_pos = np.add.reduceat(np.where(y, e, 0.0), starts)
        loss = float(np.sum(np.log(z_all) - np.log(z_pos))) + 0.5 * lam * float(w @ w)
        g = e / z_all[gid] - np.where(y, e, 0.0) / z_pos[gid]
        return loss, X.T @ g + lam * w

    res = minimize(loss_grad, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x


def evaluate(model: em.EventModel, items: list[dict]) -> dict:
    """Score held-out sentences directly (the quick loop; benchmarks/plover_cv.py scores the
    full analyzer)."""
    lex = trigger_index()
    ok = s_ok = t_ok = 0
    for it in items:
        doc, row = it["doc"], it["row"]
        sent = main_sentence(doc)
        probs = model.type_probs(em.type_features(sent, lex))
        pred = max(probs, key=probs.get)
        gold = row["label"].upper()
        ok += pred == gold or (gold == "YIELD" and pred in ("CONCEDE", "RETREAT"))
        trig = em.choose_trigger(sent, pred, lex)
        cands = em.party_candidates(sent)
        src, _ = model.best_party("source", cands, trig, sent, it["mentions"], ptype=pred)
        reported = em.reported_actor(src, cands, trig)
        if reported:   # as the pipeline does: "Roberts says the army is training pilots"
            src = max(reported, key=lambda c: model.party_score("source", em.party_features(
                c, trig, sent, it["mentions"], em.side_ranks(cands, trig), pred)))
        tgt, _ = model.best_party("target", cands, trig, sent, it["mentions"], exclude=em.first_conjunct(src, cands, doc),
                                  ptype=pred)
        if tgt is not None and src is not None and src.lo <= tgt.lo and tgt.hi <= src.hi:
            src = em.first_conjunct(src, cands, doc)
        s_ok += src is not None and token_f1(row["source"], em.span_text(doc, src)) >= 0.5
        t_ok += tgt is not None and token_f1(row["target"], em.span_text(doc, tgt)) >= 0.5
    n = len(items)
    return {"type": ok / n, "source": s_ok / n, "target": t_ok / n}


def folds(n: int, k: int, seed: int = 13) -> list[list[int]]:
    import random

    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    return [idx[i::k] for i in range(k)]


def learning_curve(items: list[dict], args) -> None:
    """How the held-out figures grow with the training data: the model alone (this script's
    quick scoring), on a part of each fold's training sentences."""
    import random

    for frac in (0.5, 0.75, 1.0):
        tot, n = Counter(), 0
        for seed in (13, 7, 21):
            for held in folds(len(items), args.cv, seed):
                hs = set(held)
                train = [it for i, it in enumerate(items) if i not in hs]
                random.Random(seed).shuffle(train)
                train = train[:int(len(train) * frac)]
                model = em.EventModel(fit(train, args.c_type, args.c_party, args.min_count))
                for a, b in evaluate(model, [items[i] for i in held]).items():
                    tot[a] += b * len(held)
                n += len(held)
        size = int(len(items) * (args.cv - 1) / args.cv * frac)
        print(f"{size:5d} training sentences: " + "  ".join(f"{a} {100 * b / n:.1f}" for a, b in tot.items()), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", type=Path)
    ap.add_argument("--out", type=Path, default=Path("src/thucydides/models/events.json"))
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation instead of writing a model")
    ap.add_argument("--c-type", type=float, default=3.0)
    ap.add_argument("--c-party", type=float, default=1.0,
                    help="inverse L2 strength of the party rankers (1.0: best target over three CV shuffles)")
    ap.add_argument("--min-count", type=int, default=2, help="keep type features seen in this many sentences")
    ap.add_argument("--seed", type=int, default=13, help="shuffle of the sentences into cross-validation folds")
    ap.add_argument("--curve", action="store_true",
                    help="with --cv: the learning curve, training on a half, three quarters and all of each "
                         "fold's training part, over the shuffles 13, 7 and 21")
    args = ap.parse_args()
    rows = read_rows(args.csv)
    t0 = time.time()
    items = parse(rows)
    print(f"parsed {len(items)} sentences in {time.time() - t0:.0f}s", file=sys.stderr)
    if args.cv and args.curve:
        learning_curve(items, args)
        return
    if args.cv:
        tot = Counter()
        for k, held in enumerate(folds(len(items), args.cv, args.seed)):
            hs = set(held)
            model = em.EventModel(fit([it for i, it in enumerate(items) if i not in hs], args.c_type, args.c_party, args.min_count))
            r = evaluate(model, [items[i] for i in held])
            print(f"fold {k}: " + "  ".join(f"{a} {100 * b:.1f}" for a, b in r.items()))
            for a, b in r.items():
                tot[a] += b * len(held)
        print("all:    " + "  ".join(f"{a} {100 * b / len(items):.1f}" for a, b in tot.items()))
        return
    data = fit(items, args.c_type, args.c_party, args.min_count)
    data["meta"] = {
        "trained_on": "PLOVER-labelled news sentences, train split of yibo-hu-lab/event-coding-reliability "
                      "(plv.csv); no licence file, research data; only weights are shipped",
        "sentences": len(items), "c_type": args.c_type, "c_party": args.c_party, "min_count": args.min_count,
        "script": "training/train_events.py",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
