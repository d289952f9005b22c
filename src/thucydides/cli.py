"""The command line: a thin layer over the Python API."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator

from . import __version__, commands
from .errors import InputError, ThucydidesError
from .model import Analysis, Article


def _date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD")
    return value


def error(msg: str) -> None:
    print(f"thucydides: {msg}", file=sys.stderr)


# ---------------------------------------------------------------- analyze

def _read_inputs(paths: list[str], published: str | None, failures: list[str]) -> Iterator[Article]:
    from .sources.files import read_path, read_stdin

    for p in paths:
        try:
            yield read_stdin(published=published) if p == "-" else read_path(p, published=published)
        except InputError as exc:
            failures.append(p)
            error(f"skipped {exc}")


def format_text(a: Analysis) -> str:
    """A report for a person: who said what, with the speaker's name and country; the events."""
    lines = [f"== {a.title or a.path or a.id}" + (f"  ({a.published})" if a.published else "")]
    lines.append(f"   {len(a.attributions)} statements, {len(a.events)} events, {len(a.actors)} actors")
    if a.attributions:
        lines.append("")
        lines.append("Who said what")
    for at in a.attributions:
        actor = a.actor(at.speaker)
        who = actor.name if actor else (at.source.text if at.source else "(unknown speaker)")
        extra = ", ".join(x for x in (actor.role if actor else None, actor.country if actor else None) if x)
        if extra:
            who += f" ({extra})"
        cue = at.cue.text if at.cue else "—"
        medium = f" [{at.medium}]" if at.medium else ""
        content = at.content.text.replace("\n", " ")
        if len(content) > 220:
            content = content[:217] + "..."
        mark = f"“{content}”" if at.kind == "direct" else content
        lines.append(f"  - {who} {cue}{medium}: {mark}")
    if a.events:
        lines.append("")
        lines.append("Who did what to whom")
    for e in a.events:
        def names(ids):
            return " & ".join((a.actor(i).name if a.actor(i) else i) for i in ids) or "?"
        flags = [f for f, on in (("negated", e.negated), ("hypothetical", e.hypothetical), ("future", e.future)) if on]
        when = f" on {e.date}" if e.date else ""
        where = f" in {e.location}" if e.location else ""
        by = f" (reported by {names([e.reported_by])})" if e.reported_by else ""
        fl = f" [{', '.join(flags)}]" if flags else ""
        trig = e.trigger.text if e.trigger else ""
        lines.append(f"  - {e.type}{'/' + e.mode if e.mode else ''} (CAMEO {e.cameo}) {names(e.source)} -> "
                     f"{names(e.target)}: “{trig}”{when}{where}{fl}{by}")
    return "\n".join(lines) + "\n"


def cmd_analyze(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline

    failures: list[str] = []
    try:
        pipe = Pipeline(actors_files=args.actors or ())
    except ThucydidesError as exc:
        error(str(exc))
        return 2
    articles = _read_inputs(args.paths, args.published, failures)
    out = sys.stdout
    for analysis in pipe.analyze_many(articles):
        if args.format == "jsonl":
            out.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
        elif args.format == "json":
            out.write(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(format_text(analysis) + "\n")
        out.flush()
    if failures:
        error(f"{len(failures)} of {len(args.paths)} inputs could not be analysed")
        return 1
    return 0


# ---------------------------------------------------------------- the parser

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="thucydides", description="Who said what, and who did what to whom, in the news.")
    p.add_argument("--version", action="version", version=f"thucydides {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse text or HTML files (or - for stdin) and print the records")
    a.add_argument("paths", nargs="+", metavar="PATH", help="text or HTML files; - reads standard input")
    a.add_argument("--format", choices=["text", "json", "jsonl"], default="text")
    a.add_argument("--published", type=_date, help="publication date YYYY-MM-DD, for resolving dates and roles")
    a.add_argument("--actors", action="append", metavar="FILE", help="a YAML file of your own actors (repeatable)")
    a.set_defaults(func=cmd_analyze)
    commands.register(sub)  # ingest, load, quotes, events, actors, articles, stats, export
    _register_serve(sub)
    return p


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return int(value)


def _register_serve(sub: argparse._SubParsersAction) -> None:
    import os

    from .store import DEFAULT_DB

    def cmd_serve(args: argparse.Namespace) -> int:
        from .web.server import cmd_serve as serve

        return serve(args)

    s = sub.add_parser("serve", help="serve the HTTP API and the web page over a store, read-only",
                       description="Serve the store read-only: the JSON API under /api (documented at "
                                   "/openapi.json) and a web page to search quotes and explore articles, actors "
                                   "and their network. An ingest can keep writing to the store meanwhile.")
    s.add_argument("--db", default=os.environ.get("THUCYDIDES_DB", DEFAULT_DB), metavar="URL",
                   help=f"a SQLite file or postgresql://user:password@host/db (default: $THUCYDIDES_DB or "
                        f"{DEFAULT_DB})")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    s.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True,
                   help="log each request on stderr (default: yes)")
    s.set_defaults(func=cmd_serve)


def main(argv: Iterable[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        return args.func(args)
    except ThucydidesError as exc:
        error(str(exc))
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
