"""Read-only connections to a store, for a server that must never write and must not block an ingest.

    store = open_readonly("thucydides.db")      # or "postgresql://user@host/db"
    store.quotes(search="ceasefire")             # the same Store API, reads only

SQLite is opened with `mode=ro` through a URI: the database stays in WAL mode (set by the
writer), so a running ingest keeps writing while every read sees the last committed
article. PostgreSQL sessions are set `default_transaction_read_only`, with a statement
timeout so one heavy query cannot hold a connection for ever, and plan every query for its
own parameters.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from .backends import DEFAULT_DB, Backend, PostgresBackend, SQLiteBackend
from .schema import SCHEMA_VERSION, StoreError, peek_version
from .store import Store


class ReadOnlySQLiteBackend(SQLiteBackend):
    """A SQLite connection that cannot write (`mode=ro`, `query_only`)."""

    def __init__(self, path: str) -> None:
        self.path = self.display = path
        if not Path(path).is_file():
            raise StoreError(f"{path}: no such database; fill one with `thucydides ingest --db {path} ...` "
                             "or choose another --db")
        uri = "file:" + quote(str(Path(path).resolve())) + "?mode=ro"
        try:
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
            self.conn.execute("PRAGMA query_only=1")
            self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open it as a SQLite database ({exc}); "
                             "choose another file with --db") from exc
        self._depth = 0


class ReadOnlyPostgresBackend(PostgresBackend):
    """A PostgreSQL session whose transactions are all read-only."""

    def __init__(self, url: str, statement_timeout_ms: int = 15000) -> None:
        super().__init__(url)
        self.execute("SET default_transaction_read_only = on")
        # psycopg prepares a statement run 5 times, and PostgreSQL may then plan it once for any
        # parameters: a date range or a search word changes the best plan, so plan each time.
        self.execute("SET plan_cache_mode = force_custom_plan")
        self.execute(f"SET statement_timeout = {int(statement_timeout_ms)}")


def connect_readonly(url: str | Path | None) -> Backend:
    """Like `backends.connect`, but the connection refuses every write."""
    url = str(url or DEFAULT_DB)
    if url.startswith(("postgresql://", "postgres://")):
        return ReadOnlyPostgresBackend(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or DEFAULT_DB
    elif "://" in url:
        raise StoreError(f"{url}: not a database URL; use a file path (SQLite) or postgresql://user@host/db")
    if url == ":memory:":
        raise StoreError("an in-memory database cannot be opened read-only; give a file")
    return ReadOnlySQLiteBackend(url)


def open_readonly(url: str | Path | None = None) -> Store:
    """A `Store` over a read-only connection. The database must exist with the current schema
    (open it once with `open_store`, which migrates, to bring an older one up to date)."""
    backend = connect_readonly(url)
    try:
        version = peek_version(backend)
        if version != SCHEMA_VERSION:
            what = "no thucydides store" if version == 0 else f"schema version {version}"
            raise StoreError(f"{backend.display}: {what}, but this thucydides reads version {SCHEMA_VERSION}; "
                             "open it once with a writing command (e.g. `thucydides stats --db ...`) to "
                             "create or upgrade it")
    except BaseException:
        backend.close()
        raise
    return Store(backend)


__all__ = ["ReadOnlyPostgresBackend", "ReadOnlySQLiteBackend", "connect_readonly", "open_readonly"]
