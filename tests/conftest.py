"""Shared fixtures: the seed article and gold data live in ../shared, which CI always has.

Where ../shared is absent (a user's checkout) the tests that need it skip with a message;
in CI (CI=true) a missing ../shared is an error, so nothing is skipped silently there.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"


def need_shared(path: Path) -> Path:
    if path.exists():
        return path
    msg = f"{path} is absent: the tests that use ../shared gold data need the project's shared folder"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(need_shared(SEED_DIR / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_path(seed_gold) -> Path:
    return SEED_DIR / seed_gold["document"]


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    with open(seed_path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def pipeline():
    from thucydides.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_analysis(pipeline, seed_text, seed_path):
    from thucydides.model import Article

    # The gold note dates the article to 2025-02-13/14; the seed file carries no date.
    return pipeline.analyze(Article(text=seed_text, path=str(seed_path), published="2025-02-14"))
