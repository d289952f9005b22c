"""The store's command line as a user runs it, in subprocesses, on SQLite and PostgreSQL.

Each `ingest` subprocess loads the spaCy model (about a second), so the checks are grouped.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from store_helpers import dump, fictional_article, wire_copy

from thucydides.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))


def thucydides(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "thucydides", *args], capture_output=True, text=True, cwd=ROOT,
                       timeout=600, check=False)
    if check and r.returncode != 0:
        raise AssertionError(f"thucydides {' '.join(args)} exited {r.returncode}:\n{r.stderr}")
    return r


def test_examples_ingested_twice_give_identical_stats_and_every_listing_works(db_url, tmp_path):
    first = thucydides("ingest", "--db", db_url, "--json", *EXAMPLES)
    summary = json.loads(first.stdout)
    assert (summary["read"], summary["stored"], summary["skipped"]) == (len(EXAMPLES), len(EXAMPLES), 0)
    assert "articles read" in first.stderr
    stats1 = thucydides("stats", "--db", db_url, "--json").stdout
    again = thucydides("ingest", "--db", db_url, "--json", *EXAMPLES)
    assert json.loads(again.stdout)["unchanged"] == len(EXAMPLES)
    stats2 = thucydides("stats", "--db", db_url, "--json").stdout
    assert stats1 == stats2
    stats = json.loads(stats1)
    assert stats["articles"] == len(EXAMPLES) and stats["attributions"] > 0 and stats["events"] > 0
    assert stats["actors"] > 0

    quotes = json.loads(thucydides("quotes", "--db", db_url, "--json").stdout)
    assert len(quotes) == stats["attributions"]
    velk = json.loads(thucydides("quotes", "--db", db_url, "--speaker", "Velk", "--json").stdout)
    assert velk and all("Velk" in (q["speaker_name"] or q["source_text"] or "") for q in velk)
    assert json.loads(thucydides("quotes", "--db", db_url, "--search", "ceasefire", "--since", "2025-06-01",
                                 "--json").stdout)
    assert json.loads(thucydides("quotes", "--db", db_url, "--until", "2020-01-01", "--json").stdout) == []
    countries = {q["country"] for q in quotes if q["country"]}
    assert countries
    for iso3 in countries:
        by_country = json.loads(thucydides("quotes", "--db", db_url, "--country", iso3.lower(), "--json").stdout)
        assert by_country and {q["country"] for q in by_country} == {iso3}
    text = thucydides("quotes", "--db", db_url, "--speaker", "Velk").stdout
    assert "Velk" in text and "04-veloria-ceasefire.txt" in text

    events = json.loads(thucydides("events", "--db", db_url, "--json").stdout)
    assert len(events) == stats["events"]
    some = next(e for e in events if e["source"])
    by_type = json.loads(thucydides("events", "--db", db_url, "--type", some["type"], "--source", some["source"][0],
                                    "--json").stdout)
    assert by_type and all(e["type"] == some["type"] and some["source"][0] in e["source"] for e in by_type)
    aimed = next(e for e in events if e["target"])
    by_target = json.loads(thucydides("events", "--db", db_url, "--target", aimed["target"][0], "--json").stdout)
    assert by_target and all(aimed["target"][0] in e["target"] for e in by_target)
    # by confidence, and without what did not or might not happen
    cut = sorted(e["confidence"] for e in events)[len(events) // 2]
    sure = json.loads(thucydides("events", "--db", db_url, "--min-confidence", str(cut), "--json").stdout)
    assert sure and len(sure) < len(events) and all(e["confidence"] >= cut for e in sure)
    asserted = json.loads(thucydides("events", "--db", db_url, "--asserted", "--json").stdout)
    assert len(asserted) == sum(1 for e in events if not (e["negated"] or e["hypothetical"]))
    assert len(asserted) < len(events)
    sure_quotes = json.loads(thucydides("quotes", "--db", db_url, "--min-confidence", "0.8", "--json").stdout)
    assert len(sure_quotes) == sum(1 for q in quotes if q["confidence"] >= 0.8) < len(quotes)
    bad = thucydides("events", "--db", db_url, "--min-confidence", "high", check=False)
    assert bad.returncode == 2 and "'high' is not a confidence" in bad.stderr
    assert json.loads(thucydides("actors", "--db", db_url, "--search", "Velk", "--json").stdout)
    assert "Velk" in thucydides("actors", "--db", db_url).stdout
    assert len(json.loads(thucydides("articles", "--db", db_url, "--json").stdout)) == len(EXAMPLES)
    assert "CAMEO" in thucydides("events", "--db", db_url).stdout

    # exports: CSV to stdout, the full records as JSON Lines, Parquet to a file
    rows = list(csv.DictReader(io.StringIO(thucydides("export", "--db", db_url, "--format", "csv").stdout)))
    assert len(rows) == stats["attributions"] and "speaker_name" in rows[0]
    records = [json.loads(line) for line in
               thucydides("export", "--db", db_url, "--format", "jsonl").stdout.splitlines()]
    assert len(records) == len(EXAMPLES)
    with open_store(db_url) as store:
        assert all(store.get(r["id"]) == r for r in records)
    out = tmp_path / "events.parquet"
    thucydides("export", "--db", db_url, "--format", "parquet", "--table", "events", "--output", str(out))
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.num_rows == stats["events"] and "cameo" in table.column_names
    refused = thucydides("export", "--db", db_url, "--format", "parquet", check=False)
    assert refused.returncode == 2 and "--output" in refused.stderr


def _count(url: str) -> int:
    """Committed articles, read as another client would, without migrating or locking."""
    try:
        if url.startswith("postgresql://"):
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        import sqlite3

        conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - the database or its tables may not exist yet
        return 0


def test_an_ingest_killed_midway_and_run_again_ends_as_an_uninterrupted_run(new_db, tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    for i in range(40):
        (src / f"{i:02d}.txt").write_text(fictional_article(100 + i, 8), encoding="utf-8")
        if i % 5 == 4:  # wire copies of earlier articles, after the kill point too
            (src / f"{i:02d}-copy.txt").write_text(wire_copy(fictional_article(100 + i - 3, 8)), encoding="utf-8")
    sources = [str(src)]
    total = 40

    reference = new_db()
    thucydides("ingest", "--db", reference, "--workers", "2", *sources)

    killed = new_db()
    proc = subprocess.Popen([sys.executable, "-m", "thucydides", "ingest", "--db", killed, *sources], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _count(killed) < 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_when_killed = _count(killed)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 6 <= stored_when_killed < total

    rerun = thucydides("ingest", "--db", killed, "--json", *sources)
    summary = json.loads(rerun.stdout)
    assert summary["unchanged"] >= stored_when_killed and summary["skipped"] == 0
    assert thucydides("stats", "--db", killed, "--json").stdout == thucydides("stats", "--db", reference,
                                                                               "--json").stdout
    assert dump(killed) == dump(reference)
    stats = json.loads(thucydides("stats", "--db", reference, "--json").stdout)
    assert (stats["articles"], stats["near_duplicates"]) == (total, 8)


def test_bad_inputs_are_named_on_stderr_and_the_exit_code_says_so(tmp_path):
    db = str(tmp_path / "t.db")
    good = tmp_path / "good.txt"
    good.write_text(fictional_article(7, 8), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    notfeed = tmp_path / "feed.xml"
    notfeed.write_text("{not: xml}", encoding="utf-8")
    r = thucydides("ingest", "--db", db, "--progress", str(empty), str(good), str(notfeed),
                   str(tmp_path / "nope" / "*.html"), check=False)
    assert r.returncode == 1
    lines = [line for line in r.stderr.splitlines() if "skipped" in line and "thucydides: skipped" in line]
    assert len(lines) == 3
    for name in (empty, notfeed, tmp_path / "nope" / "*.html"):
        assert any(str(name) in line for line in lines)
    assert "1 stored" in r.stderr and "3 skipped" in r.stderr
    assert "the input is empty: 1" in r.stderr and "not an RSS or Atom feed: 1" in r.stderr
    assert "4/4 sources, 4 items" in r.stderr  # the progress bar, asked for with --progress
    ok = thucydides("ingest", "--db", db, str(good))
    assert ok.returncode == 0 and "1 already stored" in ok.stderr


def test_a_store_that_cannot_be_opened_stops_with_a_message(tmp_path):
    r = thucydides("stats", "--db", str(tmp_path / "no" / "such" / "folder" / "x.db"), check=False)
    assert r.returncode == 2 and "does not exist" in r.stderr and "Traceback" not in r.stderr
    r = thucydides("quotes", "--db", "postgresql://nobody:pw@127.0.0.1:9/none?connect_timeout=2", check=False)
    assert r.returncode == 2 and "cannot connect to PostgreSQL" in r.stderr and ":pw@" not in r.stderr


def test_the_default_store_is_thucydides_db_in_the_current_folder(tmp_path):
    (tmp_path / "a.txt").write_text(fictional_article(8, 8), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "THUCYDIDES_DB"}
    r = subprocess.run([sys.executable, "-m", "thucydides", "ingest", "a.txt"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=300, env=env, check=False)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "thucydides.db").exists()
