"""Analysis records as Parquet rows: the contract's fields, nested, plus where each came from.

One row per article: the contract record's fields (`id`, `path`, `title`, `published`,
`source`, `text`, `actors`, `attributions`, `events`, with spans as `{start, end, text}`
structs) and the article's `url` and `author`, the `contract` version and the `warc` file
it was read from. pandas, R's arrow and DuckDB read it as it is; `thucydides load` puts it
into a store.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from ..model import CONTRACT_VERSION, Analysis, Article

PARQUET_SUFFIX = ".parquet"


def schema():
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    actor = pa.struct([("id", pa.string()), ("name", pa.string()), ("kind", pa.string()), ("country", pa.string()),
                       ("sector", pa.string()), ("role", pa.string()), ("wikidata", pa.string()),
                       ("mentions", pa.list_(span))])
    attribution = pa.struct([("kind", pa.string()), ("content", span), ("cue", span), ("source", span),
                             ("speaker", pa.string()), ("medium", pa.string()), ("confidence", pa.float64())])
    event = pa.struct([("type", pa.string()), ("mode", pa.string()), ("cameo", pa.string()),
                       ("goldstein", pa.float64()), ("quad", pa.string()), ("source", pa.list_(pa.string())),
                       ("target", pa.list_(pa.string())), ("source_span", span), ("target_span", span),
                       ("trigger", span), ("sentence", span), ("date", pa.string()), ("location", pa.string()),
                       ("negated", pa.bool_()), ("hypothetical", pa.bool_()), ("future", pa.bool_()),
                       ("reported_by", pa.string()), ("confidence", pa.float64())])
    return pa.schema([
        ("id", pa.string()), ("path", pa.string()), ("title", pa.string()), ("published", pa.string()),
        ("source", pa.string()), ("text", pa.string()), ("actors", pa.list_(actor)),
        ("attributions", pa.list_(attribution)), ("events", pa.list_(event)),
        ("url", pa.string()), ("author", pa.string()), ("contract", pa.int32()), ("warc", pa.string()),
    ])


def to_row(analysis: Analysis, article: Article, warc: str | None = None) -> dict[str, Any]:
    row = analysis.to_dict()
    row.update(url=article.url, author=article.author, contract=CONTRACT_VERSION, warc=warc)
    return row


def from_row(row: dict[str, Any]) -> tuple[Article, Analysis]:
    article = Article(text=row["text"], id=row["id"], path=row.get("path"), title=row.get("title"),
                      published=row.get("published"), source=row.get("source"), url=row.get("url"),
                      author=row.get("author"))
    return article, Analysis.from_dict(row)


# ---------------------------------------------------------------- files, local or on a cluster's store

def filesystem(uri: str):
    """(pyarrow FileSystem, path) for a local path or a URI pyarrow knows (s3://, hdfs://, gs://, file://)."""
    from pyarrow import fs

    if "://" in uri:
        return fs.FileSystem.from_uri(uri)
    return fs.LocalFileSystem(), os.path.abspath(uri)


class PartWriter:
    """Writes one Parquet file under a temporary name and moves it into place when closed,
    so a task that fails or is retried never leaves half a file under the final name."""

    def __init__(self, output: str, name: str) -> None:
        import pyarrow.parquet as pq

        self.fs, base = filesystem(output)
        self.final = f"{base.rstrip('/')}/{name}"
        self.tmp = f"{base.rstrip('/')}/_tmp.{os.getpid()}.{name}"
        self.schema = schema()
        self.writer = pq.ParquetWriter(self.tmp, self.schema, filesystem=self.fs, compression="zstd")
        self.rows = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        if rows:
            self.writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.rows += len(rows)

    def close(self) -> None:
        self.writer.close()
        self.fs.move(self.tmp, self.final)

    def abort(self) -> None:
        """Drop the temporary file of a task that failed (pyarrow's errors are OSError or ValueError)."""
        with contextlib.suppress(OSError, ValueError):
            self.writer.close()
            self.fs.delete_file(self.tmp)


def part_files(directory: str):
    """(filesystem, the Parquet files of an output folder in name order: the WARC list's order).
    A folder that does not exist has none; a single Parquet file is its own list."""
    from pyarrow import fs as pafs

    fs, base = filesystem(directory)
    info = fs.get_file_info(base)
    if info.type == pafs.FileType.File:
        return fs, [base]
    if info.type != pafs.FileType.Directory:
        return fs, []
    files = fs.get_file_info(pafs.FileSelector(base, recursive=False))
    return fs, sorted(f.path for f in files if f.type == pafs.FileType.File and f.base_name.endswith(PARQUET_SUFFIX)
                      and not f.base_name.startswith(("_", ".")))


def read_rows(fs, path: str, batch_size: int = 256) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    with fs.open_input_file(path) as f:
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=batch_size):
            yield from batch.to_pylist()
