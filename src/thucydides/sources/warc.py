"""WARC and WARC.gz archives (through warcio): one article per HTML response record.

Only news-like records are read: `response` (HTTP 200) or `resource` records whose content
type is HTML; requests, metadata, robots.txt and images are passed over. A truncated or
damaged record is reported with its offset and URL, and the records before it are kept.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..model import Article, url_article_id
from .html import article_from_html

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_warc_name(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _html_record(record) -> bool:
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return False
        ctype = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return False
    return "html" in ctype.lower()


def read_warc(path: str | Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the `with f:` below
    except OSError as exc:
        yield InputError(name, f"cannot be read ({exc.strerror})")
        return
    with f:
        yield from read_warc_stream(f, name)


def read_warc_stream(f: BinaryIO, name: str) -> Iterator[Article | InputError]:
    """The articles of a WARC archive read from an open binary stream (a file, an HTTP
    response, an object store's stream); `name` names it in messages."""
    from warcio.archiveiterator import ArchiveIterator

    it = ArchiveIterator(f)
    offset = 0  # where the record being read starts: the end of the last whole one
    uri = None
    try:
        for record in it:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            if not _html_record(record):
                offset = it.get_record_offset() + it.get_record_length()
                continue
            payload = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0):
                yield InputError(f"{name} at byte {offset} ({uri})", "truncated WARC record",
                                 "the archive was cut short; the records before it were read")
                return
            offset = it.get_record_offset() + it.get_record_length()
            if not uri:
                continue
            try:
                page = article_from_html(payload, uri, url=uri)
            except InputError as exc:
                yield exc
                continue
            page.id = url_article_id(uri)
            page.path = page.url = uri
            yield page
    except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on damaged archives
        if offset == 0 and uri is None:
            yield InputError(name, f"not a readable WARC file ({exc.__class__.__name__})",
                             "pass a .warc or .warc.gz archive")
        else:
            yield InputError(f"{name} at byte {offset}" + (f" ({uri})" if uri else ""),
                             f"truncated or damaged WARC record ({exc.__class__.__name__})",
                             "the records before it were read")
