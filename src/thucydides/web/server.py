"""`thucydides serve`: the API and the page over a store, with uvicorn."""
from __future__ import annotations

import argparse
import ipaddress
import sys

from ..store import StoreError
from ..store.backends import redact


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    try:
        app = create_app(args.db)
    except StoreError as exc:
        print(f"thucydides: {exc}", file=sys.stderr)
        return 2
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"thucydides: serving {redact(str(args.db))} read-only at http://{shown}:{args.port}/ "
          f"(API schema at /openapi.json); Ctrl-C stops", file=sys.stderr, flush=True)
    if not _is_loopback(args.host):
        print(f"thucydides: {args.host} is reachable from other machines: anyone who can reach it can read the "
              "store and run analyses", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log,
                server_header=False)
    return 0
