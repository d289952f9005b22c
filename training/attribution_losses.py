"""Where the attribution finder loses each gold content of a PolNeAR split.

    .venv/bin/python training/attribution_losses.py ../shared/eval/polnear/dev

Every gold attribution with a content is put in the first stage that fails it, in the
order the finder runs:

  exact             the final records hold its content exactly (as the scorer trims it)
  boundary          a final record's content overlaps it by half both ways, but not exactly
  no cue in gold    the gold attribution has no cue to start from
  cue not a word    the cue's head is not a token the finder considers (its part of speech)
  cue lemma unseen  the head's lemma headed fewer than --min-cue-count gold cues in train
  cue below threshold  the cue classifier scores the head under its threshold
  content not a candidate  the cue fires, but no content candidate is the gold span
  content ranked wrong     the gold span is a candidate, and another one wins
  dropped after ranking    the finder chose the gold span, and the record filter (or a
                           later rule) dropped or changed it

It also scores the final contents (exact match, as the scorer does) with and without the
partial quotes inside a found statement ("he had a “highly productive” call"): the seed's
annotation keeps them as records of their own, PolNeAR's does not annotate them.

It reads the articles and annotations where they lie and prints counts only.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from train_attributions import corpus, head_token

from thucydides.extract import attribution_model as am
from thucydides.extract.attributions import cue_lexicon, extract_attributions
from thucydides.extract.quotes import find_quotes
from thucydides.nlp import load_nlp

STAGES = ("exact", "boundary", "no cue in gold", "cue not a word", "cue lemma unseen",
          "cue below threshold", "content not a candidate", "content ranked wrong",
          "dropped after ranking")


def _overlaps(a, b) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * (a[1] - a[0]) and inter >= 0.5 * (b[1] - b[0])


def _partial(att) -> bool:
    """A quotation the finder tied to the reported statement it lies in (its `_continues`
    link, which a quotation continuing another quotation also has)."""
    outer = getattr(att, "_continues", None)
    return outer is not None and outer.kind != "direct"


def losses(root: Path, limit: int = 0) -> tuple[Counter, Counter, Counter]:
    nlp, models, lex = load_nlp(), am.load_models(), cue_lexicon()
    if models is None:
        raise SystemExit("no attribution model: the package's models/attribution.json is missing")
    threshold = models.thresholds.get("cue", 0.5)
    stages, below, content_scores = Counter(), Counter(), Counter()
    for _stem, text, gold in corpus(root, limit):
        doc = nlp(text)
        ctx = am.Context.build(doc, find_quotes(text), lex)
        words = {t.i for t in am.cue_candidates(ctx, None)}
        scores = {t.i: models.score("cue", am.cue_features(t, ctx)) for t in am.cue_candidates(ctx, models.cue_lemmas)}
        found = {f.head.i: f for f in am.predict(ctx, models)}
        records = extract_attributions(doc)
        final = [am.trim(text, a.content.start, a.content.end) for a in records]
        partial = [am.trim(text, a.content.start, a.content.end) for a in records if _partial(a)]
        golds = Counter(am.trim(text, *g["content"]) for g in gold if "content" in g)
        for name, spans in (("all", Counter(final)), ("no partial", Counter(final) - Counter(partial))):
            content_scores[name, "tp"] += sum((golds & spans).values())
            content_scores[name, "pred"] += sum(spans.values())
        content_scores["gold"] += sum(golds.values())
        for g in gold:
            if "content" not in g:
                continue
            gc = am.trim(text, *g["content"])
            head = head_token(doc, *g["cue"]) if "cue" in g else None
            if gc in final:
                stage = "exact"
            elif any(_overlaps(gc, p) for p in final):
                stage = "boundary"
            elif "cue" not in g or head is None:
                stage = "no cue in gold"
            elif head.i not in words:
                stage = "cue not a word"
            elif head.i not in scores:
                stage = "cue lemma unseen"
            elif scores[head.i] < threshold or head.i not in found:
                stage = "cue below threshold"
                below[head.lemma_.lower()] += 1
            elif gc not in {(c[0], c[1]) for c in am.content_candidates(head, ctx)}:
                stage = "content not a candidate"
            elif am.trim(text, *found[head.i].content) != gc:
                stage = "content ranked wrong"
            else:
                stage = "dropped after ranking"
            stages[stage] += 1
    return stages, below, content_scores


def _f1(tp: int, pred: int, gold: int) -> str:
    p, r = tp / max(pred, 1), tp / max(gold, 1)
    return f"P {100 * p:.1f} R {100 * r:.1f} F1 {200 * p * r / max(p + r, 1e-9):.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", type=Path, help="a PolNeAR split directory (text/ and attributions/)")
    ap.add_argument("--limit", type=int, default=0, help="read only the first N articles")
    args = ap.parse_args()
    if not (args.split / "text").is_dir():
        raise SystemExit(f"{args.split}: no text/ directory; give a PolNeAR split such as ../shared/eval/polnear/dev")
    stages, below, scores = losses(args.split, args.limit)
    total = sum(stages.values())
    for s in STAGES:
        print(f"{s:26s} {stages[s]:5d}  {100 * stages[s] / max(total, 1):5.1f}%")
    print(f"{'gold contents':26s} {total:5d}")
    for name in ("all", "no partial"):
        print(f"content exact, {name + ' records:':20s} {_f1(scores[name, 'tp'], scores[name, 'pred'], scores['gold'])}"
              f"  ({scores[name, 'pred']} records)")
    print("cue lemmas most often below threshold: " + ", ".join(f"{w} {n}" for w, n in below.most_common(12)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
