"""The store: SQLite by default, PostgreSQL for a shared server; one schema, the same queries.

    from thucydides.store import open_store
    with open_store("thucydides.db") as store:
        store.add(analysis, article)
        store.quotes(speaker="Guo", since="2025-02-01")
"""
from .backends import DEFAULT_DB
from .schema import SCHEMA_VERSION, StoreError
from .store import Store, open_store

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "Store", "StoreError", "open_store"]
