"""The Spark job in local mode, on WARC files the test writes, then `thucydides load` into a store.

One Spark run (local[2], three small WARC files, one of them cut short) serves every test
here; it takes well under a minute. Without pyspark or Java the tests skip with a message
saying what to install; in CI (CI=true) they fail instead, so the job is always tested there.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import dump, fictional_article, wire_copy
from test_ingest import page, write_warc

from thucydides.ingest import ingest
from thucydides.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def need_spark() -> None:
    problems = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        problems.append("pyspark is not installed (pip install -e '.[spark]')")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        problems.append("Java is not installed (Debian: apt-get install default-jre-headless)")
    if problems:
        msg = "the Spark job cannot be tested: " + "; ".join(problems)
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def thucydides(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thucydides", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, check=False)


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory):
    need_spark()
    d = tmp_path_factory.mktemp("spark")
    (d / "crawl").mkdir()
    original = fictional_article(21, 8)
    write_warc(d / "crawl" / "CC-NEWS-1.warc.gz",
               [("https://courier.example/21", page("Talks in Port Ilvar", original)),
                ("https://courier.example/22", page("Kessa aid", fictional_article(22, 8)))])
    write_warc(d / "crawl" / "CC-NEWS-2.warc",
               [("https://mirror.example/wire-21", page("Talks (wire)", wire_copy(original))),
                ("https://mirror.example/23", page("Caldoria vote", fictional_article(23, 8)))], extra=False)
    cut = d / "crawl" / "CC-NEWS-3.warc.gz"
    write_warc(cut, [(f"https://courier.example/{i}", page(f"Story {i}", fictional_article(i, 8)))
                     for i in (24, 25, 26)])
    data = cut.read_bytes()
    cut.write_bytes(data[:len(data) - 400])  # the last record is cut short
    (d / "warc.paths").write_text("# three files, one task each\ncrawl/CC-NEWS-1.warc.gz\ncrawl/CC-NEWS-2.warc\n"
                                  "crawl/CC-NEWS-3.warc.gz\n", encoding="utf-8")
    r = thucydides("ingest", "--engine", "spark", "--master", "local[2]", "warc.paths", "--output", "records",
                   "--json", cwd=d)
    assert r.returncode in (0, 1), r.stderr
    return {"dir": d, "out": d / "records", "summary": json.loads(r.stdout), "stderr": r.stderr,
            "code": r.returncode, "warcs": sorted(str(p) for p in (d / "crawl").iterdir())}


def test_one_parquet_file_per_warc_with_counters_for_read_skipped_and_failed(spark_run):
    s = spark_run["summary"]
    assert spark_run["code"] == 1, "a skipped record makes the exit code 1"
    assert s["warc_files"] == 3
    assert (s["read"], s["written"], s["skipped"], s["failed"]) == (6, 6, 1, 0)
    assert s["counters"] == {"read": 6, "written": 6, "skipped": 1, "failed": 0}
    by_file = {Path(f["warc"]).name: f for f in s["files"]}
    assert by_file["CC-NEWS-3.warc.gz"]["skipped"] == 1
    assert "truncated" in by_file["CC-NEWS-3.warc.gz"]["problems"][0]["problem"]
    names = sorted(p.name for p in spark_run["out"].iterdir())
    assert names == ["_thucydides.json", "part-00000-CC-NEWS-1.parquet", "part-00001-CC-NEWS-2.parquet",
                     "part-00002-CC-NEWS-3.parquet"]
    assert json.loads((spark_run["out"] / "_thucydides.json").read_text())["written"] == 6
    assert "thucydides load" in spark_run["stderr"]


def test_parquet_rows_carry_the_contract_fields_with_exact_offsets(spark_run):
    import pyarrow.parquet as pq

    table = pq.read_table(spark_run["out"] / "part-00000-CC-NEWS-1.parquet")
    contract = ["id", "path", "title", "published", "source", "text", "actors", "attributions", "events"]
    assert table.column_names[:len(contract)] == contract
    rows = table.to_pylist()
    assert [r["url"] for r in rows] == ["https://courier.example/21", "https://courier.example/22"]
    assert all(r["contract"] == 1 and r["warc"].endswith("CC-NEWS-1.warc.gz") for r in rows)
    assert any(r["attributions"] for r in rows) and any(r["actors"] for r in rows)
    for r in rows:
        spans = [m for a in r["actors"] for m in a["mentions"]]
        spans += [s for a in r["attributions"] for s in (a["content"], a["cue"], a["source"]) if s]
        spans += [s for e in r["events"] for s in (e["trigger"], e["sentence"], e["source_span"], e["target_span"])
                  if s]
        assert spans and all(r["text"][s["start"]:s["end"]] == s["text"] for s in spans)


def test_load_gives_the_store_a_plain_ingest_gives_and_loading_again_adds_nothing(spark_run, new_db, pipeline):
    spark_db, local_db = new_db(), new_db()
    r = thucydides("load", str(spark_run["out"]), "--db", spark_db, "--json", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    first = json.loads(r.stdout)
    assert (first["read"], first["stored"], first["near_duplicates"]) == (6, 5, 1)
    again = json.loads(thucydides("load", str(spark_run["out"]), "--db", spark_db, "--json", cwd=ROOT).stdout)
    assert (again["stored"], again["unchanged"]) == (0, 6)
    with open_store(local_db) as store:
        report = ingest(spark_run["warcs"], store, pipeline=pipeline, on_skip=lambda err: None)
    assert (report.stored, report.near_duplicates) == (5, 1)
    assert dump(spark_db) == dump(local_db)


def test_load_of_a_folder_without_records_says_what_to_give(tmp_path):
    r = thucydides("load", str(tmp_path), "--db", str(tmp_path / "x.db"), cwd=ROOT)
    assert r.returncode == 2 and "holds no Parquet files" in r.stderr


def test_spark_engine_needs_an_output_folder(tmp_path):
    r = thucydides("ingest", "--engine", "spark", "warc.paths", cwd=tmp_path)
    assert r.returncode == 2 and "--output DIR" in r.stderr
