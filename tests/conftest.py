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


# ---------------------------------------------------------------- the store, on both databases

PG_ENV = "THUCYDIDES_TEST_PG"


def postgres_url() -> str:
    """The test server's URL; skips (fails in CI) when THUCYDIDES_TEST_PG is unset."""
    url = os.environ.get(PG_ENV)
    if not url:
        msg = (f"{PG_ENV} is unset, so the PostgreSQL half of the store tests cannot run: start a server with "
               f"`export {PG_ENV}=$(sudo .ci/start-postgres)` (Debian) or point it at one you have")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return url


class DatabaseFactory:
    """Fresh, empty databases of one kind: SQLite files, or PostgreSQL schemas on the test server."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind, self.tmp_path, self.schemas, self.n = kind, tmp_path, [], 0
        self.base = postgres_url() if kind == "postgresql" else None

    def __call__(self) -> str:
        self.n += 1
        if self.kind == "sqlite":
            return str(self.tmp_path / f"store{self.n}.db")
        import uuid

        import psycopg

        schema = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{schema}"

    def cleanup(self) -> None:
        if self.schemas:
            import psycopg

            with psycopg.connect(self.base, autocommit=True) as conn:
                for schema in self.schemas:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request, tmp_path):
    """A function that returns the URL of a new, empty database of the parametrised kind."""
    factory = DatabaseFactory(request.param, tmp_path)
    yield factory
    factory.cleanup()


@pytest.fixture
def db_url(new_db) -> str:
    return new_db()
