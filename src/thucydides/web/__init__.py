"""The HTTP API and the web page over a store: `thucydides serve`, or `create_app(db)` for any ASGI server."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
