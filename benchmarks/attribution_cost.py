"""What the attribution stage costs on top of the spaCy parse, measured in one run.

    .venv/bin/python benchmarks/attribution_cost.py [DIR_OF_TXT]   (default: ../shared/eval/polnear/dev/text)

Parses the texts once with the pipeline's model (timed), then runs the attribution stage
on the parsed documents (timed), and prints the ratio. The issue's bar: at most 0.15.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from thucydides.extract.attributions import cue_lexicon, extract_attributions
from thucydides.nlp import load_nlp


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "../shared/eval/polnear/dev/text"
    paths = sorted(root.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no .txt files in {root}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    nlp = load_nlp()
    lex = cue_lexicon()
    extract_attributions(nlp("Warm-up: the minister said “yes.”"), lex)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = sum(len(extract_attributions(d, lex)) for d in docs)
    attr = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words} words, {n} attributions")
    print(f"parse        {parse:7.2f} s  ({words / parse:,.0f} words/s)")
    print(f"attributions {attr:7.2f} s")
    print(f"attribution cost / parse cost = {attr / parse:.3f}")


if __name__ == "__main__":
    main()
