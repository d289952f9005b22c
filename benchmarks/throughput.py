"""The whole analysis against the bare spaCy parse of the same texts, in one process and one run.

    .venv/bin/python benchmarks/throughput.py [DIR_OF_TXT] [--rounds N] [--profile]
    (default: ../shared/eval/polnear/dev/text, the 84 PolNeAR dev articles; 3 rounds)

The parse is the limit: the same `load_nlp()` model (with its line-break component and
tokenizer rules) over the same texts with `nlp.pipe` and the pipeline's batch size. The
whole analysis is `Pipeline.analyze_many` (parse, memory zones, every stage, the records).
Each round times the parse and then the analysis; the best round of each is kept, on
wall-clock and on CPU time (the process's own, so other jobs on the machine disturb it
less). Then it times each stage on parsed documents, counts the files opened while
analysing (nothing may be loaded per article), and with --profile prints the stages'
hottest functions.

The issue's bar: analysis throughput >= 0.8 x the parse's.
"""
from __future__ import annotations

import argparse
import builtins
import cProfile
import io
import os
import pstats
import time
from pathlib import Path

from thucydides.model import Article
from thucydides.pipeline import STAGES, Pipeline

DEFAULT = Path(__file__).resolve().parents[1] / "../shared/eval/polnear/dev/text"


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> tuple[float, float]:
    w, c = _clocks()
    return w - t[0], c - t[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default=str(DEFAULT))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print the stages' hottest functions")
    args = ap.parse_args()
    paths = sorted(Path(args.root).glob("*.txt"))
    if not paths:
        raise SystemExit(f"no .txt files in {args.root}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)

    pipe = Pipeline()
    nlp = pipe.nlp
    articles = [Article(text=t, path=str(p)) for t, p in zip(texts, paths)]
    for _ in pipe.analyze_many(articles[:8]):  # warm-up: first-call costs out of the timings
        pass

    parse: list[tuple[float, float]] = []
    whole: list[tuple[float, float]] = []
    n_att = n_ev = 0
    for _ in range(args.rounds):
        t = _clocks()
        for _doc in nlp.pipe(texts, batch_size=pipe.batch_size):
            pass
        parse.append(_since(t))
        t = _clocks()
        n_att = n_ev = 0
        for a in pipe.analyze_many(articles):
            n_att += len(a.attributions)
            n_ev += len(a.events)
        whole.append(_since(t))
    p_wall, p_cpu = min(w for w, _ in parse), min(c for _, c in parse)
    a_wall, a_cpu = min(w for w, _ in whole), min(c for _, c in whole)

    # per-stage costs on parsed documents
    times: dict[str, float] = {}
    docs = list(nlp.pipe(texts, batch_size=pipe.batch_size))
    t = _clocks()
    for doc, art in zip(docs, articles):
        pipe.analyze_doc(doc, art, times)
    stages_wall, _ = _since(t)

    # nothing loaded per article: count the files opened while analysing
    opened: list[str] = []
    real_open = builtins.open
    real_io_open = io.open

    def counting_open(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    builtins.open = io.open = counting_open
    try:
        for _ in pipe.analyze_many(articles):
            pass
    finally:
        builtins.open, io.open = real_open, real_io_open

    print(f"{len(texts)} articles, {words:,} words, {n_att} attributions, {n_ev} events; best of {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':24} {'wall s':>8} {'cpu s':>8} {'words/s (cpu)':>14}")
    print(f"{'bare parse (nlp.pipe)':24} {p_wall:8.2f} {p_cpu:8.2f} {words / p_cpu:14,.0f}")
    print(f"{'whole analysis':24} {a_wall:8.2f} {a_cpu:8.2f} {words / a_cpu:14,.0f}")
    print(f"analysis throughput / parse throughput: {p_cpu / a_cpu:.3f} (cpu), {p_wall / a_wall:.3f} (wall)"
          "   [bar: >= 0.8]")
    print("stage costs on parsed documents, as a fraction of the parse (wall):")
    for name in STAGES:
        print(f"  {name:14} {times.get(name, 0.0):7.2f} s  {times.get(name, 0.0) / p_wall:6.3f}")
    print(f"  {'all stages':14} {stages_wall:7.2f} s  {stages_wall / p_wall:6.3f}")
    print(f"files opened while analysing {len(texts)} articles: {len(opened)}" +
          (f" ({', '.join(sorted(set(opened))[:5])})" if opened else ""))

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for doc, art in zip(docs, articles):
            pipe.analyze_doc(doc, art)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
