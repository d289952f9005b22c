"""How fast the HTTP API answers a quote search on a store of 100,000 quotations, measured in one run.

    .venv/bin/python benchmarks/api_quotes.py                      # a new SQLite store in a temporary folder
    .venv/bin/python benchmarks/api_quotes.py --quotes 20000 --requests 300
    .venv/bin/python benchmarks/api_quotes.py --db postgresql://user:pw@127.0.0.1/bench   # an EMPTY database

Builds the store quickly with synthetic records written through the store's own SQL (no
spaCy): fictional speakers and words, 10 statements an article, dates over 2.5 years, the
words drawn with a Zipf law so that searches range from a word in every fifth statement to
a word in a handful. Then it sends `GET /api/quotes?q=...` through the ASGI app (httpx, in
process: routing, validation, the database and the JSON are all counted, the network is
not), with single words of each frequency, two words, phrases, and words with a country or
date filter, and prints the 50th and 95th percentiles and their ratio to the 100 ms budget.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

BUDGET_MS = 100.0
SYLLABLES = ["ka", "ro", "vel", "mar", "ten", "sa", "dor", "il", "var", "os", "tri", "len", "gu", "pha", "ne", "zo",
             "bri", "cal", "men", "tor", "ush", "ya", "ler", "qui"]
POLICY = ["ceasefire", "sanctions", "talks", "border", "grain", "tariffs", "troops", "agreement", "peace", "aid",
          "security", "sovereignty", "negotiations", "refugees", "elections", "weapons", "pipeline", "embassy",
          "summit", "dialogue", "territory", "treaty", "exports", "inspection", "withdrawal", "occupation",
          "reconstruction", "humanitarian", "corridor", "prisoners", "drones", "airspace", "fishing", "water"]
COMMON = ["the", "we", "will", "not", "our", "is", "a", "of", "to", "and", "in", "that", "this", "must", "be",
          "are", "have", "all", "people", "government", "country", "today", "never", "every", "now"]
COUNTRIES = ["VLR", "OST", "MRN", "CLD", "SRN", "KSS", "PTI", "DRC", "LKM", "VNT"]
ROLES = ["foreign minister", "prime minister", "president", "defence minister", "spokesperson", "envoy"]


def vocabulary(rng: random.Random, n: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def build(url: str, quotes: int, per_article: int = 10, seed: int = 7) -> tuple[dict[str, int], list[str]]:
    """Fill the empty store at `url` with `quotes` synthetic statements; return the word frequencies
    (in how many statements each word occurs) and the statements' texts."""
    from thucydides.store import open_store

    rng = random.Random(seed)
    tail = vocabulary(rng)
    # Zipf weights over policy words then the long tail; function words in almost every statement
    ranked = POLICY + tail
    weights = [1.0 / (r + 1) ** 1.05 for r in range(len(ranked))]
    actors = []
    for i in range(1000):
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        country = COUNTRIES[i % len(COUNTRIES)]
        actors.append((f"new:person:{first.lower()}-{last.lower()}-{i}", f"{first} {last}", "person", country,
                       "GOV", rng.choice(ROLES), None))
    start = date(2024, 1, 1)
    df: Counter[str] = Counter()
    contents: list[str] = []
    with open_store(url) as store:
        if store.stats()["articles"]:
            raise SystemExit(f"{url} is not empty: give the benchmark a new database")
        db = store.db
        with db.transaction():
            db.executemany("INSERT INTO actors (id, name, kind, country, sector, role, wikidata) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", actors)
            n_articles = (quotes + per_article - 1) // per_article
            for a in range(n_articles):
                aid = f"bench{a:07d}"
                published = (start + timedelta(days=rng.randrange(900))).isoformat()
                title = f"Report {a}: {rng.choice(POLICY)} and {rng.choice(POLICY)}"
                parts, rows, recs = [title, "\n\n"], [], []
                pos = len(title) + 2
                for n in range(min(per_article, quotes - a * per_article)):
                    speaker = rng.choice(actors)
                    words = rng.choices(ranked, weights, k=rng.randint(8, 18))
                    words += rng.sample(COMMON, rng.randint(3, 8))
                    rng.shuffle(words)
                    content = " ".join(words).capitalize()
                    lead = f"{speaker[1]} said: “"
                    c0 = pos + len(lead)
                    sentence = f"{lead}{content}.”"
                    parts += [sentence, "\n"]
                    df.update(set(content.lower().split()))
                    contents.append(content)
                    rows.append((aid, n, "direct", content, c0, c0 + len(content), "said", pos + len(speaker[1]) + 1,
                                 pos + len(speaker[1]) + 5, speaker[1], pos, pos + len(speaker[1]), speaker[0],
                                 speaker[5], None, 0.9, sentence, pos))
                    recs.append({"kind": "direct", "content": {"start": c0, "end": c0 + len(content), "text": content},
                                 "cue": None, "source": {"start": pos, "end": pos + len(speaker[1]), "text": speaker[1]},
                                 "speaker": speaker[0], "medium": None, "confidence": 0.9})
                    pos += len(sentence) + 1
                text = "".join(parts)
                record = {"id": aid, "path": None, "title": title, "published": published, "source": "Bench Wire",
                          "text": text, "actors": [], "attributions": recs, "events": []}
                db.execute("""INSERT INTO articles (id, text_hash, url, path, title, published, source, author, text,
                                record, contract, ingested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                           (aid, aid, f"https://bench.example/{aid}", None, title, published, "Bench Wire", None, text,
                            json.dumps(record), 1, "2026-01-01T00:00:00Z"))
                db.executemany("""INSERT INTO attributions (article_id, n, kind, content, content_start, content_end,
                                    cue, cue_start, cue_end, source_text, source_start, source_end, speaker_id,
                                    speaker_role, medium, confidence, passage, passage_start)
                                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
        if db.dialect == "postgresql":
            db.execute("ANALYZE")
        else:
            db.execute("ANALYZE")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return dict(df), contents


def searches(df: dict[str, int], contents: list[str], total: int, seed: int = 11) -> list[tuple[str, dict]]:
    """Queries of every kind, each named by the kind it is."""
    rng = random.Random(seed)
    words = [w for w in df if w.isalpha() and w not in COMMON]

    def band(lo: float, hi: float, k: int) -> list[str]:
        pool = sorted(w for w in words if lo <= df[w] / total < hi)
        return rng.sample(pool, min(k, len(pool)))

    common, medium, rare = band(0.05, 1.0, 8), band(0.003, 0.05, 8), band(0.0, 0.0005, 8)
    out: list[tuple[str, dict]] = []
    out += [("common word", {"q": w}) for w in common]
    out += [("medium word", {"q": w}) for w in medium]
    out += [("rare word", {"q": w}) for w in rare]
    out += [("two words", {"q": f"{a} {b}"}) for a, b in zip(common, medium)]
    for c in rng.sample(contents, 8):
        toks = c.lower().split()
        i = rng.randrange(len(toks) - 1)
        out.append(("phrase", {"q": f'"{toks[i]} {toks[i + 1]}"'}))
    out += [("word + country", {"q": w, "country": rng.choice(COUNTRIES)}) for w in common[:4] + medium[:4]]
    out += [("word + dates", {"q": w, "since": "2025-01-01", "until": "2025-06-30"}) for w in common[:4] + medium[:4]]
    out += [("word, page 3", {"q": w, "offset": 100}) for w in common[:4]]
    return out


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an empty database to fill (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--quotes", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=600)
    args = ap.parse_args()

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from thucydides.web import create_app

    tmp = tempfile.TemporaryDirectory(prefix="thuc-bench-")
    url = args.db or str(Path(tmp.name) / "bench.db")
    t0 = time.perf_counter()
    df, contents = build(url, args.quotes)
    built = time.perf_counter() - t0
    print(f"store: {args.quotes:,} quotations in {args.quotes // 10:,} articles, built in {built:.1f} s "
          f"({'PostgreSQL' if url.startswith('postgres') else 'SQLite'})")

    queries = searches(df, contents, args.quotes)
    client = TestClient(create_app(url))
    hits: dict[str, list[int]] = {}
    for kind, q in queries:  # warm-up: each query once (and check it answers)
        r = client.get("/api/quotes", params={**q, "limit": 50})
        if r.status_code != 200:
            raise SystemExit(f"{q}: {r.status_code} {r.text}")
        hits.setdefault(kind, []).append(r.json()["total"])
    rng = random.Random(3)
    plan = [queries[i % len(queries)] for i in range(args.requests)]
    rng.shuffle(plan)
    times: dict[str, list[float]] = {}
    for kind, q in plan:
        t = time.perf_counter()
        r = client.get("/api/quotes", params={**q, "limit": 50})
        ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, r.text
        times.setdefault(kind, []).append(ms)
    every = [t for ts in times.values() for t in ts]
    print(f"{'search':16} {'requests':>8} {'matches (median)':>17} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, ts in times.items():
        print(f"{kind:16} {len(ts):>8} {statistics.median(hits[kind]):>17,.0f} {percentile(ts, 50):>8.1f} "
              f"{percentile(ts, 95):>8.1f}")
    p50, p95 = percentile(every, 50), percentile(every, 95)
    print(f"{'all':16} {len(every):>8} {'':>17} {p50:>8.1f} {p95:>8.1f}")
    print(f"p95 / budget ({BUDGET_MS:.0f} ms) = {p95 / BUDGET_MS:.2f}   (p50 / budget = {p50 / BUDGET_MS:.2f})")
    client.close()
    tmp.cleanup()
    sys.exit(0 if p95 <= BUDGET_MS else 1)


if __name__ == "__main__":
    main()
