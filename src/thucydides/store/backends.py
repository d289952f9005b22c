"""The two databases behind one small interface: execute, transaction, close.

SQL is written once, with `?` placeholders, in the dialect both SQLite (3.35+) and
PostgreSQL (12+) accept (`INSERT ... ON CONFLICT`, `NULLS LAST`, `excluded.`); the
PostgreSQL backend turns the placeholders into psycopg's `%s`. The few things that differ
(column types in the schema, full-text search) are chosen by `Backend.dialect`.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .schema import StoreError

DEFAULT_DB = "thucydides.db"


class Backend:
    dialect: str = ""
    display: str = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[None]:
        raise NotImplementedError
        yield

    def close(self) -> None:
        raise NotImplementedError


class SQLiteBackend(Backend):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self.display = path
        if path != ":memory:" and not Path(path).parent.exists():
            raise StoreError(f"{path}: the folder {Path(path).parent} does not exist; create it or choose another --db")
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
            # WAL: readers (a `quotes` in another shell) never block the ingest, and a killed
            # writer leaves every committed article in place.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open it as a SQLite database ({exc}); "
                             "choose another file with --db") from exc
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


_PLACEHOLDER = re.compile(r"\?")


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from exc
        self.display = redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise StoreError(f"{self.display}: cannot connect to PostgreSQL ({first}); "
                             "check that the server runs and the URL, user and password are right") from exc
        self._sql: dict[str, str] = {}

    def _convert(self, sql: str) -> str:
        out = self._sql.get(sql)
        if out is None:
            out = self._sql[sql] = _PLACEHOLDER.sub("%s", sql)
        return out

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(self._convert(sql), tuple(params) or None)
            return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._convert(sql), rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.conn.cursor() as cur:
            cur.execute(self._convert(sql), tuple(params) or None)
            names = [d.name for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[None]:
        with self.conn.transaction():
            if exclusive:  # one migrating process at a time
                self.execute("SELECT pg_advisory_xact_lock(?)", (0x7468756379,))
            yield

    def close(self) -> None:
        self.conn.close()


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def connect(url: str | Path | None) -> Backend:
    """`postgresql://...` (or `postgres://`) opens PostgreSQL; anything else is a SQLite file
    (`sqlite:///path/to.db` or a plain path)."""
    url = str(url or DEFAULT_DB)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or DEFAULT_DB
    elif url.startswith("sqlite://"):
        url = url[len("sqlite://"):] or ":memory:"
    elif "://" in url:
        raise StoreError(f"{url}: not a database URL; use a file path (SQLite) or postgresql://user@host/db")
    return SQLiteBackend(url)
