"""`thucydides load DIR`: the Spark job's Parquet records into a store, as `ingest` would put them.

Every row goes through ingest's own decisions against the store (new, updated, already
stored, exact or near copy of a stored article) and its one-transaction-per-article
writes, in the order of the files' names and their rows. So loading the same folder twice
adds nothing, a load killed and run again ends with the same database, and
`ingest --engine spark` + `load` gives the database a plain `ingest` of the same WARC
files gives.
"""
from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError
from ..ingest import Ingest, IngestReport, Progress
from ..store.store import Store
from .records import from_row, part_files, read_rows


def load(directory: str, store: Store, *, progress: bool | None = False,
         on_skip: Callable[[InputError], None] | None = None) -> IngestReport:
    """Put the records of the Parquet files in `directory` (or one Parquet file) into `store`."""
    import time

    started = time.monotonic()
    fs, files = part_files(directory)
    if not files:
        raise InputError(directory, "holds no Parquet files",
                         "give the --output folder of `thucydides ingest --engine spark`")
    ingest = Ingest(store, on_skip=on_skip, progress=progress)
    report = IngestReport(sources=len(files))
    bar = ingest._progress = Progress(len(files), enabled=progress)
    try:
        for n, path in enumerate(files, 1):
            try:
                rows = read_rows(fs, path)
                for row in rows:
                    article, analysis = from_row(row)
                    report.read += 1
                    slot = ingest.decide(article, n)
                    if slot.action in ("analyse", "update"):
                        slot.result = analysis
                    ingest.write(slot, report)
                    bar.update(n, report)
            except (OSError, ValueError, KeyError) as exc:  # pyarrow's errors derive from these
                ingest._skip(InputError(path, f"not a readable records file ({exc.__class__.__name__}: {exc})",
                                        "run the Spark job again for its WARC file"), report)
    finally:
        report.seconds = time.monotonic() - started
        bar.close(report)
    return report
