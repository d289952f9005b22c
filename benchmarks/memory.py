"""Memory over a long run: resident memory after 2,000 and after 20,000 synthetic articles.

    .venv/bin/python benchmarks/memory.py [--articles 20000] [--early 2000] [--no-zone]

Feeds fictional articles (`benchmarks/synthetic.py`: every one names new people, places
and figures) through one `Pipeline.analyze_many`, dropping each record as a long ingest
does once it is stored, and prints the process's resident memory (RSS) after the first
`--early` articles and at the end, and their ratio. spaCy interns every new string in its
vocabulary; `analyze_many` frees them batch by batch with `nlp.memory_zone()`.
`--no-zone` runs the same articles through plain `nlp.pipe` + `analyze_doc`, the way
without zones, to show the growth it prevents.

The issue's bar: memory after 20,000 within 10% of memory after 2,000 (ratio <= 1.10).
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import articles

from thucydides.model import Article
from thucydides.pipeline import Pipeline


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--early", type=int, default=2_000)
    ap.add_argument("--no-zone", action="store_true", help="without nlp.memory_zone(), for comparison")
    args = ap.parse_args()

    pipe = Pipeline()
    nlp = pipe.nlp
    stream = (Article(text=a["text"], title=a["title"], published=a["published"], url=a["url"])
              for a in articles(args.articles))
    if args.no_zone:
        def run():
            pairs = ((art.text, art) for art in stream)
            for doc, art in nlp.pipe(pairs, as_tuples=True, batch_size=pipe.batch_size):
                yield pipe.analyze_doc(doc, art)
        records = run()
    else:
        records = pipe.analyze_many(stream)

    started = time.perf_counter()
    marks: dict[int, tuple[float, int]] = {}
    samples: list[tuple[int, float]] = []  # every 250 articles: the highs between the marks too
    n = 0
    base = rss_mib()
    for n, record in enumerate(records, 1):
        del record
        if n % 250 == 0 or n == args.early or n == args.articles:
            gc.collect()
            samples.append((n, rss_mib()))
        if n == args.early or n == args.articles or n % 5000 == 0:
            marks[n] = (samples[-1][1], len(nlp.vocab.strings))
            print(f"{n:>7} articles  RSS {marks[n][0]:7.1f} MiB  strings {marks[n][1]:>9,}"
                  f"  {n / (time.perf_counter() - started):5.1f} articles/s", flush=True)
    early, late = marks[args.early][0], marks[n][0]
    high_n, high = max((s for s in samples if s[0] > args.early), key=lambda s: s[1])
    print(f"RSS after loading: {base:.1f} MiB; after {args.early:,}: {early:.1f} MiB; after {n:,}: {late:.1f} MiB; "
          f"highest sample after {args.early:,}: {high:.1f} MiB (at {high_n:,})")
    print(f"memory after {n:,} / after {args.early:,} = {late / early:.3f}; highest / after {args.early:,} = "
          f"{high / early:.3f}{' (without memory zones)' if args.no_zone else ''}   [bar: <= 1.10]")


if __name__ == "__main__":
    main()
