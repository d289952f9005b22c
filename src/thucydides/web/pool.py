"""A few read-only store connections shared by the server's worker threads.

A connection serves one request at a time; a request that finds all of them busy waits
for one (and gets a 503 after `wait` seconds rather than piling up). A PostgreSQL
connection that broke (server restarted) is dropped and a new one opened on demand.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..store import Store, StoreError
from ..store.readonly import open_readonly

log = logging.getLogger("thucydides.web")


class Busy(StoreError):
    """Every connection stayed in use for too long."""


class StorePool:
    def __init__(self, url: str, size: int = 8, wait: float = 30.0) -> None:
        self.url, self.wait = url, wait
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._all: list[Store] = []
        self._lock = threading.Lock()
        first = open_readonly(url)  # fail at start, with the store's own message, not at the first request
        self.dialect = first.dialect
        self._keep(first)
        self._idle.put(first)

    def _keep(self, store: Store) -> None:
        with self._lock:
            self._all.append(store)

    def _drop(self, store: Store) -> None:
        with self._lock:
            if store in self._all:
                self._all.remove(store)
        try:
            store.close()
        except Exception as exc:  # noqa: BLE001 - a broken connection may fail to close; it is gone either way
            log.debug("closing a broken store connection: %s", exc)

    @staticmethod
    def _healthy(store: Store) -> bool:
        conn = store.db.conn
        return not (getattr(conn, "closed", False) or getattr(conn, "broken", False))

    @contextmanager
    def store(self) -> Iterator[Store]:
        if not self._slots.acquire(timeout=self.wait):
            raise Busy(f"every connection to the store stayed busy for {self.wait:.0f} s; try again")
        try:
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                store = open_readonly(self.url)
                self._keep(store)
            try:
                yield store
            finally:
                if self._healthy(store):
                    self._idle.put(store)
                else:
                    self._drop(store)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            stores, self._all = self._all, []
        for s in stores:
            try:
                s.close()
            except Exception as exc:  # noqa: BLE001
                log.debug("closing a store connection: %s", exc)
