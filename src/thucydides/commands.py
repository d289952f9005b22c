"""The store's verbs on the command line: ingest, load, quotes, events, actors, articles, stats, export.

Each is a thin layer over `thucydides.ingest` and `thucydides.store`; every listing prints
`--json` for scripts. Exit codes: 0 when all went well; 1 when `ingest` skipped some items
(each named on stderr, with a summary at the end); 2 when the command could not run at all
(a store that cannot be opened, a bad option).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

from .errors import ThucydidesError
from .store import DEFAULT_DB

EXPORT_TABLES = ("quotes", "events", "actors", "articles", "duplicates", "records")


def _date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD")
    return value


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return n


def _open(args: argparse.Namespace):
    from .store import open_store

    return open_store(args.db)


def _print_json(rows: Any) -> None:
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _clip(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


# ---------------------------------------------------------------- ingest

def cmd_ingest(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        return _ingest_spark(args)
    if args.output or args.master:
        raise ThucydidesError("--output and --master are for --engine spark; a local ingest writes to --db")
    from .ingest import ingest

    with _open(args) as store:
        report = ingest(args.sources, store, workers=args.workers, actors_files=args.actors or (),
                        fetch_links=args.fetch_links, progress=args.progress)
    return _finish(args, report, failed=bool(report.skipped))


def _finish(args: argparse.Namespace, report, failed: bool) -> int:
    """A run's report: as JSON on stdout with --json, its summary on stderr; exit 1 when
    something was skipped or failed."""
    if args.json:
        _print_json(report.to_dict())
    print(f"thucydides: {report.summary()}", file=sys.stderr)
    return 1 if failed else 0


def _ingest_spark(args: argparse.Namespace) -> int:
    from .scale.spark import run_spark

    if not args.output:
        raise ThucydidesError("--engine spark writes Parquet records: name their folder with --output DIR, "
                              "then put them into a store with `thucydides load DIR --db URL`")
    report = run_spark(args.sources, args.output, master=args.master, actors_files=args.actors or ())
    return _finish(args, report, failed=bool(report.problems))


def cmd_load(args: argparse.Namespace) -> int:
    from .scale.load import load

    with _open(args) as store:
        report = load(args.directory, store, progress=args.progress)
    return _finish(args, report, failed=bool(report.skipped))


# ---------------------------------------------------------------- listings

def cmd_quotes(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.quotes(speaker=args.speaker, country=args.country, search=args.search, since=args.since,
                            until=args.until, article=args.article, min_confidence=args.min_confidence,
                            limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        who = r["speaker_name"] or r["source_text"] or "(unknown speaker)"
        extra = ", ".join(x for x in (r["role"], r["country"]) if x)
        mark = f"“{_clip(r['content'], 300)}”" if r["kind"] == "direct" else _clip(r["content"], 300)
        medium = f" [{r['medium']}]" if r["medium"] else ""
        print(f"{r['published'] or '????-??-??'}  {who}{f' ({extra})' if extra else ''} {r['cue'] or '—'}{medium}: "
              f"{mark}")
        print(f"            {_clip(r['title'], 80) or ''} <{r['link']}> @{r['content_start']}")
    print(f"{len(rows)} statements", file=sys.stderr)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.events(source=args.source, target=args.target, type=args.type, since=args.since,
                            until=args.until, article=args.article, min_confidence=args.min_confidence,
                            asserted=args.asserted, limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        flags = [f for f in ("negated", "hypothetical", "future") if r[f]]
        src = " & ".join(r["source_names"]) or r["source_text"] or "?"
        tgt = " & ".join(r["target_names"]) or r["target_text"] or "?"
        print(f"{r['date'] or r['published'] or '????-??-??'}  {r['type']}{'/' + r['mode'] if r['mode'] else ''} "
              f"(CAMEO {r['cameo']}) {src} -> {tgt}: “{r['trigger'] or ''}”"
              f"{' in ' + r['location'] if r['location'] else ''}{' [' + ', '.join(flags) + ']' if flags else ''}")
        print(f"            {_clip(r['sentence'], 160)} <{r['link']}>")
    print(f"{len(rows)} events", file=sys.stderr)
    return 0


def cmd_actors(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.actors(search=args.search, country=args.country, limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    print(f"{'id':36} {'name':30} {'kind':12} {'cntry':5} {'articles':>8} {'stmts':>6} {'events':>6}  role")
    for r in rows:
        print(f"{_clip(r['id'], 36):36} {_clip(r['name'], 30):30} {r['kind']:12} {r['country'] or '':5} "
              f"{r['articles']:>8} {r['statements']:>6} {r['events']:>6}  {r['role'] or ''}")
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.articles(search=args.search, since=args.since, until=args.until, limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        print(f"{r['published'] or '????-??-??'}  {r['id']}  {_clip(r['title'], 70) or '(no title)'}  "
              f"[{r['statements']} statements, {r['events']} events, {r['copies']} copies] <{r['link']}>")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args) as store:
        stats = store.stats()
    if args.json:
        print(json.dumps(stats, sort_keys=True))
        return 0
    for key, value in stats.items():
        print(f"{key:18} {value:>8}")
    return 0


# ---------------------------------------------------------------- export

def _flat(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def cmd_export(args: argparse.Namespace) -> int:
    from .store import StoreError

    table = args.table or ("records" if args.format == "jsonl" else "quotes")
    if table == "records" and args.format != "jsonl":
        raise StoreError("the full records nest lists and objects: export them with --format jsonl, "
                         "or choose a flat --table (quotes, events, actors, articles, duplicates)")
    if args.format == "parquet" and not args.output:
        raise StoreError("Parquet is a binary file: give it a name with --output FILE")
    with _open(args) as store:
        getter: Callable[[], Any] = {"quotes": store.quotes, "events": store.events, "actors": store.actors,
                                     "articles": store.articles, "duplicates": store.duplicates,
                                     "records": store.records}[table]
        rows = list(getter())
    if args.format == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), args.output)
    else:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115 - closed below unless stdout
        try:
            if args.format == "jsonl":
                for r in rows:
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
            elif rows:
                w = csv.DictWriter(out, fieldnames=list(rows[0]))
                w.writeheader()
                for r in rows:
                    w.writerow({k: _flat(v) for k, v in r.items()})
        finally:
            if args.output:
                out.close()
    print(f"thucydides: exported {len(rows)} {table} rows" + (f" to {args.output}" if args.output else ""),
          file=sys.stderr)
    return 0


# ---------------------------------------------------------------- the parser

def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=os.environ.get("THUCYDIDES_DB", DEFAULT_DB), metavar="URL",
                   help="a SQLite file or postgresql://user:password@host/db (default: $THUCYDIDES_DB or "
                        f"{DEFAULT_DB})")


def _confidence(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a confidence; use a number from 0 to 1, e.g. 0.6")
    return x


def _listing_options(p: argparse.ArgumentParser) -> None:
    _db_option(p)
    p.add_argument("--limit", type=_positive, metavar="N", help="at most N rows")
    p.add_argument("--json", action="store_true", help="print a JSON array of records")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the store's verbs to the `thucydides` parser (called from cli.build_parser)."""
    p = sub.add_parser("ingest", help="read articles, feeds, WARC archives and JSON Lines into the store",
                       description="Read SOURCEs into the store: text and HTML files, directories, globs, lists "
                                   "of sources, RSS/Atom feeds (files or URLs), WARC archives, JSON Lines. "
                                   "Copies of stored articles are linked, not stored again; running the same "
                                   "ingest twice adds nothing. Exit code 1 when some items were skipped.")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    _db_option(p)
    p.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="analyse in N processes, each loading the model once (default 1)")
    p.add_argument("--actors", action="append", metavar="FILE", help="a YAML file of your own actors (repeatable)")
    p.add_argument("--fetch-links", action=argparse.BooleanOptionalAction, default=None,
                   help="fetch the pages that summary-only feed entries link to (default: only for feeds "
                        "given by URL)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--json", action="store_true", help="print the run's summary as JSON on stdout")
    p.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="local: analyse here into --db (default); spark: run an Apache Spark job over the WARC "
                        "files that each SOURCE lists (one path or URL a line), one file per task, writing "
                        "Parquet records to --output for `thucydides load`")
    p.add_argument("--master", metavar="URL", help="Spark master, e.g. spark://host:7077 or local[4] "
                                                 "(default: spark-submit's, else local[*])")
    p.add_argument("--output", metavar="DIR", help="with --engine spark: the folder (or s3://, hdfs:// URI) "
                                                 "for the Parquet records")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("load", help="put the Parquet records of `ingest --engine spark` into the store",
                       description="Store the records in DIR (the --output of `thucydides ingest --engine "
                                   "spark`) as ingest would: copies of stored articles are linked, not stored "
                                   "again, and loading the same folder twice adds nothing. Exit code 1 when "
                                   "some files could not be read.")
    p.add_argument("directory", metavar="DIR")
    _db_option(p)
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--json", action="store_true", help="print the run's summary as JSON on stdout")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("quotes", help="list quotations and reported statements in the store")
    p.add_argument("--speaker", metavar="NAME", help="speaker's name (or a part of it) or actor id")
    p.add_argument("--country", metavar="ISO3", help="speaker's country, e.g. CHN")
    p.add_argument("--search", metavar="TEXT", help="words (or a \"quoted phrase\") in the statement")
    p.add_argument("--since", type=_date, metavar="DATE", help="articles published on or after YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="DATE", help="articles published on or before YYYY-MM-DD")
    p.add_argument("--article", metavar="ID", help="only this article")
    p.add_argument("--min-confidence", type=_confidence, metavar="P",
                   help="only statements the analyzer was at least this sure of (0-1)")
    _listing_options(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("events", help="list coded events (who did what to whom) in the store")
    p.add_argument("--source", metavar="A", help="acting party: actor id, a part of its name, or ISO3 country")
    p.add_argument("--target", metavar="B", help="receiving party: actor id, a part of its name, or ISO3 country")
    p.add_argument("--type", metavar="T", help="PLOVER type, e.g. ACCUSE")
    p.add_argument("--since", type=_date, metavar="DATE", help="events on or after YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="DATE", help="events on or before YYYY-MM-DD")
    p.add_argument("--article", metavar="ID", help="only this article")
    p.add_argument("--min-confidence", type=_confidence, metavar="P",
                   help="only events the analyzer was at least this sure of (0-1)")
    p.add_argument("--asserted", action="store_true",
                   help="leave out negated and hypothetical events (what did not, or might, happen)")
    _listing_options(p)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("actors", help="list actors in the store, most quoted first")
    p.add_argument("--search", metavar="NAME", help="a part of the name or id")
    p.add_argument("--country", metavar="ISO3")
    _listing_options(p)
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("articles", help="list stored articles, or find them by full-text search")
    p.add_argument("--search", metavar="TEXT", help="words (or a \"quoted phrase\") in the title or text")
    p.add_argument("--since", type=_date, metavar="DATE")
    p.add_argument("--until", type=_date, metavar="DATE")
    _listing_options(p)
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("stats", help="count articles, duplicates, attributions, events and actors in the store")
    _db_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="export the store as CSV, JSON Lines or Parquet")
    _db_option(p)
    p.add_argument("--format", choices=["csv", "jsonl", "parquet"], required=True)
    p.add_argument("--table", choices=EXPORT_TABLES,
                   help="what to export (default: the full records for jsonl, quotes otherwise)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout; required for parquet)")
    p.set_defaults(func=cmd_export)
