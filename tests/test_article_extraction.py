"""The HTML reader on the article-extraction benchmark in ../shared/eval (181 news pages)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import SHARED, need_shared

ROOT = Path(__file__).resolve().parents[1]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("article_extraction", ROOT / "benchmarks" / "article_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shingle_f1_is_defined_as_in_the_benchmark():
    bench = load_benchmark()
    assert bench.prf("a b c d e", "a b c d e") == (1.0, 1.0, 1.0)
    p, r, f = bench.prf("a b c d e f", "a b c d e")  # one extra shingle
    assert (p, r) == (2 / 3, 1.0) and abs(f - 0.8) < 1e-9
    assert bench.prf("", "a b c d") == (0.0, 0.0, 0.0)
    assert bench.prf("", "") == (1.0, 1.0, 1.0)


def test_article_text_scores_at_least_095_shingle_f1():
    data = need_shared(SHARED / "eval" / "article-extraction" / "ground-truth.json").parent
    result = load_benchmark().evaluate(data)
    assert result["pages"] == 181
    assert result["f1"] >= 0.95, result
