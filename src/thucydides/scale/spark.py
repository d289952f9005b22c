"""The Spark job: WARC files in, analysis records out as Parquet, in the shape of Common Crawl's jobs.

    thucydides ingest --engine spark --master spark://host:7077 warc.paths --output records/
    thucydides load records/ --db postgresql://user@host/news

- The input is a list of WARC files, one path or URL a line (like Common Crawl's
  `warc.paths.gz`; `.gz` lists are read too, `#` starts a comment, relative paths are
  taken from the list's folder); a WARC file may also be named directly.
- One WARC file is one task. Each task streams its file (a local path, `file://`,
  `http(s)://`, or any URI pyarrow's file systems open: `s3://`, `hdfs://`, `gs://`),
  analyses its HTML responses in batches with a `Pipeline` that is built once per Python
  worker and reused by every task that worker runs, and writes the records to one Parquet
  file, `part-NNNNN-<warc name>.parquet`, under a temporary name moved into place at the
  end (a retried task replaces it whole).
- Counters (Spark accumulators, also in the job's summary): records read, written,
  skipped (unreadable: truncated records, pages with no article text) and failed (the
  analysis raised). The summary, with each file's counts and first problems, is printed
  and saved as `_thucydides.json` in the output folder.

Duplicates are not decided here but by `thucydides load`, against the store, exactly as
`ingest` decides them: running both gives the same database as a plain `ingest`.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, ThucydidesError

SPARK_EXTRA = "pip install 'thucydides[spark]'"
MAX_PROBLEMS = 20  # per WARC file, in the summary


class SparkUnavailable(ThucydidesError):
    """pyspark or Java is missing: the message says what to install."""


# ---------------------------------------------------------------- the list of WARC files

def warc_paths(sources: Iterable[str]) -> list[str]:
    """The WARC files named by SOURCEs: lists of paths or URLs (plain or .gz), or WARC files."""
    from ..sources.warc import is_warc_name

    out: list[str] = []
    for src in sources:
        if is_warc_name(src):
            out.append(_absolute(src, None))
            continue
        try:
            opener = gzip.open if src.endswith(".gz") else open
            with opener(src, "rt", encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(src, f"cannot be read as a list of WARC files ({exc.__class__.__name__})",
                             "give a text file with one WARC path or URL a line") from exc
        base = os.path.dirname(os.path.abspath(src))
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(_absolute(line, base))
    return out


def _absolute(path: str, base: str | None) -> str:
    if "://" in path:
        return path
    return os.path.abspath(os.path.join(base, path) if base else path)


def part_name(index: int, warc: str) -> str:
    stem = re.sub(r"\.(warc|arc)(\.gz)?$", "", warc.rstrip("/").rsplit("/", 1)[-1], flags=re.IGNORECASE)
    return f"part-{index:05d}-{re.sub(r'[^A-Za-z0-9._-]+', '_', stem)[:120]}.parquet"


def open_warc(uri: str):
    """A binary stream of the raw (still compressed) WARC file."""
    if uri.startswith(("http://", "https://")):
        import urllib.request

        from .. import __version__

        req = urllib.request.Request(uri, headers={"User-Agent": f"thucydides/{__version__}"})
        return urllib.request.urlopen(req, timeout=120)
    if "://" not in uri or uri.startswith("file://"):
        return open(uri.removeprefix("file://"), "rb")
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(uri)
    return filesystem.open_input_stream(path, compression=None)


# ---------------------------------------------------------------- one task: one WARC file

_pipeline = None


def worker_pipeline(actors_files: tuple[str, ...], batch_size: int):
    """The Pipeline of this Python worker: built by its first task, reused by the next ones."""
    global _pipeline
    if _pipeline is None:
        from ..pipeline import Pipeline

        _pipeline = Pipeline(actors_files=actors_files, batch_size=batch_size)
    return _pipeline


def process_warc(index: int, warc: str, output: str, actors_files: tuple[str, ...] = (), batch_size: int = 16,
                 counters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Analyse one WARC file into one Parquet file; return its counts."""
    from ..ingest import analyse_batch
    from ..sources.warc import read_warc_stream
    from .records import PartWriter, to_row

    started = time.monotonic()
    stats: dict[str, Any] = {"warc": warc, "file": part_name(index, warc), "read": 0, "written": 0,
                             "skipped": 0, "failed": 0, "problems": []}

    def count(key: str, n: int = 1) -> None:
        stats[key] += n
        if counters is not None and n:
            counters[key].add(n)

    def problem(name: str, what: str) -> None:
        print(f"thucydides: {name}: {what}", file=sys.stderr)
        if len(stats["problems"]) < MAX_PROBLEMS:
            stats["problems"].append({"item": name, "problem": what})

    writer = PartWriter(output, stats["file"])
    try:
        pipeline = None
        batch: list = []

        def flush() -> None:
            nonlocal pipeline
            if not batch:
                return
            pipeline = pipeline or worker_pipeline(actors_files, batch_size)
            rows = []
            for art, res in zip(batch, analyse_batch(pipeline, batch)):
                if isinstance(res, str):
                    count("failed")
                    problem(art.url or art.id, res)
                else:
                    rows.append(to_row(res, art, warc))
            writer.write(rows)
            count("written", len(rows))
            batch.clear()

        try:
            stream = open_warc(warc)
        except (OSError, ValueError) as exc:
            count("skipped")
            problem(warc, f"cannot be read ({exc})")
        else:
            with stream:
                for item in read_warc_stream(stream, warc):
                    if isinstance(item, InputError):
                        count("skipped")
                        problem(item.name, item.problem)
                        continue
                    count("read")
                    batch.append(item)
                    if len(batch) >= 4 * batch_size:
                        flush()
            flush()
        writer.close()
    except BaseException:
        writer.abort()
        raise
    stats["seconds"] = round(time.monotonic() - started, 2)
    return stats


def _task(partition: Iterator[tuple[int, str]], output: str, actors_files: tuple[str, ...], batch_size: int,
          counters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for index, warc in partition:
        yield process_warc(index, warc, output, actors_files, batch_size, counters)


# ---------------------------------------------------------------- the driver

@dataclass
class SparkReport:
    output: str
    files: list[dict[str, Any]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def total(self, key: str) -> int:
        return sum(f[key] for f in self.files)

    @property
    def problems(self) -> int:
        return self.total("skipped") + self.total("failed")

    def to_dict(self) -> dict[str, Any]:
        return {"output": self.output, "warc_files": len(self.files), "read": self.total("read"),
                "written": self.total("written"), "skipped": self.total("skipped"), "failed": self.total("failed"),
                "counters": self.counters, "seconds": round(self.seconds, 2), "files": self.files}

    def summary(self) -> str:
        return (f"{len(self.files)} WARC files: {self.total('read')} articles read, {self.total('written')} records "
                f"written to {self.output}, {self.total('skipped')} skipped, {self.total('failed')} failed "
                f"in {self.seconds:.1f} s; put them into a store with `thucydides load {self.output} --db URL`")


def check_spark() -> None:
    """Raise SparkUnavailable, saying what to install, when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(f"--engine spark needs pyspark: {SPARK_EXTRA}") from exc
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not shutil.which("java"):
        raise SparkUnavailable("--engine spark needs Java 17 or newer: install it (Debian: "
                               "apt-get install default-jre-headless) or set JAVA_HOME")


def run_spark(sources: list[str], output: str, *, master: str | None = None, actors_files: Iterable[str] = (),
              batch_size: int = 16, app_name: str = "thucydides-ingest") -> SparkReport:
    """Run the job over the WARC files that `sources` name; records go to `output` as Parquet."""
    check_spark()
    warcs = warc_paths(sources)
    if not warcs:
        raise InputError(" ".join(sources), "names no WARC files", "list one WARC path or URL a line")
    from .records import filesystem

    output = _absolute(output, None)  # the workers may run elsewhere
    fs, base = filesystem(output)
    fs.create_dir(base, recursive=True)

    # The workers run this interpreter (the one with thucydides installed) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName(app_name)
    if master:
        conf.setMaster(master)
    else:
        conf.setIfMissing("spark.master", "local[*]")
    if conf.get("spark.master", "").startswith("local"):
        # all in this machine: keep the driver on the loopback interface
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        conf.setIfMissing("spark.driver.host", "127.0.0.1")
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1")
    conf.setIfMissing("spark.python.worker.reuse", "true")  # one model per Python worker, kept between tasks
    conf.setIfMissing("spark.ui.showConsoleProgress", "false")
    started = time.monotonic()
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("WARN")
    try:
        counters = {k: sc.accumulator(0) for k in ("read", "written", "skipped", "failed")}
        actors = tuple(os.path.abspath(a) for a in actors_files)
        rdd = sc.parallelize(list(enumerate(warcs)), numSlices=len(warcs))  # one WARC file per task
        files = rdd.mapPartitions(lambda part: _task(part, output, actors, batch_size, counters)).collect()
        report = SparkReport(output=output, files=sorted(files, key=lambda f: f["file"]),
                             counters={k: v.value for k, v in counters.items()})
    finally:
        sc.stop()
    report.seconds = time.monotonic() - started
    with fs.open_output_stream(f"{base.rstrip('/')}/_thucydides.json") as f:
        f.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    return report


__all__ = ["SparkReport", "SparkUnavailable", "check_spark", "process_warc", "run_spark", "warc_paths"]
