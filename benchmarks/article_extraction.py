"""Article-extraction accuracy: our HTML reader against the gold article bodies.

Reads ../shared/eval/article-extraction (ground-truth.json and html/*.html.gz, the Zyte
article-extraction benchmark), extracts each page's text with `thucydides.sources.html`
and prints the 4-gram shingle precision, recall and F1, averaged over pages:

    .venv/bin/python benchmarks/article_extraction.py [--json] [--data DIR]

Score, as in that benchmark: text -> tokens (`\\w+`) -> the set of 4-token shingles;
precision = |pred & gold| / |pred|, recall = |pred & gold| / |gold|, F1 their harmonic mean,
per page, then the mean over pages (a page where both are empty scores 1).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "article-extraction"
TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return {tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 0))} or (
        {tuple(tokens)} if tokens else set())


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_sh, g_sh = shingles(pred), shingles(gold)
    if not p_sh and not g_sh:
        return 1.0, 1.0, 1.0
    tp = len(p_sh & g_sh)
    precision = tp / len(p_sh) if p_sh else 0.0
    recall = tp / len(g_sh) if g_sh else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extract(html: bytes, url: str | None) -> str:
    from thucydides.errors import InputError
    from thucydides.sources.html import article_from_html

    try:
        return article_from_html(html, "page", url=url).text
    except InputError:
        return ""


def evaluate(data: Path) -> dict:
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    started = time.perf_counter()
    for key in sorted(gold):
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        scores.append(prf(extract(html, gold[key].get("url")), gold[key].get("articleBody") or ""))
    n = len(scores)
    return {"pages": n, "precision": round(sum(s[0] for s in scores) / n, 4),
            "recall": round(sum(s[1] for s in scores) / n, 4), "f1": round(sum(s[2] for s in scores) / n, 4),
            "seconds_per_page": round((time.perf_counter() - started) / n, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not (args.data / "ground-truth.json").exists():
        print(f"{args.data} is absent: this benchmark needs ../shared/eval/article-extraction", file=sys.stderr)
        return 2
    r = evaluate(args.data)
    if args.json:
        print(json.dumps(r))
    else:
        print(f"article extraction on {r['pages']} pages: shingle F1 {r['f1']:.3f} "
              f"(precision {r['precision']:.3f}, recall {r['recall']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
