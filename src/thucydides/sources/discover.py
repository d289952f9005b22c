"""From what the user typed to articles: paths, directories, globs, lists and URLs.

A SOURCE of `thucydides ingest` is
- a text or HTML file (read as by `analyze`), a JSON Lines file (`.jsonl`, `.ndjson`),
  a WARC archive (`.warc`, `.warc.gz`, `.arc`, `.arc.gz`), or an RSS/Atom feed file
  (recognised by its content: an XML document whose root is `rss`, `feed` or `rdf:RDF`);
- a directory (every such file in it and below, in name order; hidden files and list
  files are left out: name a list to read it);
- a glob (`'news/**/*.html'`), expanded in name order;
- a list: a `.txt` file whose every line is a URL or a path (blank lines and `# comments`
  allowed), such as the feeds you follow; paths are relative to the list's folder;
- an `http(s)://` URL of a feed or an article page, fetched because you asked for it.
"""
from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..model import Article, url_article_id
from .feeds import looks_like_feed, read_feed
from .files import read_bytes_as_article
from .html import article_from_html
from .jsonl import JSONL_SUFFIXES, read_jsonl
from .warc import is_warc_name, read_warc
from .web import fetch

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".rss", ".atom"}
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")
LIST_MAX_BYTES = 1_000_000


def is_url(ref: str) -> bool:
    return bool(_URL.match(ref))


def _wanted(path: Path) -> bool:
    name = path.name.lower()
    return (path.suffix.lower() in ARTICLE_SUFFIXES or name.endswith(JSONL_SUFFIXES) or is_warc_name(name))


def _list_entries(path: Path) -> list[str] | None:
    """The entries of a list file, or None when the file is not a list (an article, say)."""
    if path.suffix.lower() not in (".txt", ".list") or path.stat().st_size > LIST_MAX_BYTES:
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (UnicodeDecodeError, OSError):
        return None
    entries = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not entries:
        return None
    out = []
    for e in entries:
        if is_url(e):
            out.append(e)
            continue
        p = Path(e) if Path(e).is_absolute() else path.parent / e
        if " " in e.strip() or not (p.exists() or _GLOB.search(e)):
            return None
        out.append(str(p))
    return out


def expand(refs: list[str], _depth: int = 0) -> list[str | InputError]:
    """The concrete sources (files and URLs) behind what the user typed, in order."""
    out: list[str | InputError] = []
    for ref in refs:
        if is_url(ref):
            out.append(ref)
            continue
        p = Path(ref)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*")
                           if f.is_file() and _wanted(f) and _list_entries(f) is None
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                out.append(InputError(ref, "the directory holds no text, HTML, feed, WARC or JSON Lines files"))
            out.extend(found)
        elif p.is_file():
            entries = _list_entries(p) if _depth < 2 else None
            if entries is None:
                out.append(ref)
            else:
                out.extend(expand(entries, _depth + 1))
        elif _GLOB.search(ref):
            matches = sorted(m for m in glob.glob(ref, recursive=True) if os.path.isfile(m))
            if not matches:
                out.append(InputError(ref, "no files match this pattern", "check the pattern and quote it"))
            out.extend(matches)
        else:
            out.append(InputError(ref, "no such file", "check the path"))
    return out


def read_source(ref: str, *, fetch_links: bool | None = None) -> Iterator[Article | InputError]:
    """The articles in one concrete source, and an InputError for each item that could not be read.

    `fetch_links`: fetch the pages that a feed's entries link to when the entries carry only
    a summary; by default only for feeds given by URL."""
    try:
        if is_url(ref):
            data = fetch(ref)
            if looks_like_feed(data):
                yield from read_feed(data, ref, fetch_links=True if fetch_links is None else fetch_links,
                                     fetch=fetch)
                return
            page = article_from_html(data, ref, url=ref)
            page.id, page.path, page.url = url_article_id(ref), ref, ref
            yield page
            return
        name = ref.lower()
        if is_warc_name(name):
            yield from read_warc(ref)
            return
        if name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(ref)
            return
        try:
            data = Path(ref).read_bytes()
        except OSError as exc:
            yield InputError(ref, f"cannot be read ({exc.strerror})")
            return
        if looks_like_feed(data) or Path(ref).suffix.lower() in (".rss", ".atom", ".xml"):
            yield from read_feed(data, ref, fetch_links=bool(fetch_links), fetch=fetch)
            return
        yield read_bytes_as_article(data, ref)
    except InputError as exc:
        yield exc
