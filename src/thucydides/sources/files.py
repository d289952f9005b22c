"""Plain-text and HTML files, and standard input."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import InputError
from ..extract.dates import resolve as resolve_date
from ..model import Article
from .html import article_from_html, looks_like_html

# "MUNICH, Feb. 14, 2025 —" or "WASHINGTON (Reuters), March 3, 2025 -": a wire dateline
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:\([^)]{1,30}\))?,\s+((?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})"
                      r"|(?:\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}))\s*[—–-]", re.MULTILINE)


def dateline_date(text: str) -> str | None:
    """The date of a wire-style dateline near the top of a text, as YYYY-MM-DD."""
    m = DATELINE.search(text[:600])
    if not m:
        return None
    r = resolve_date(m.group(1), None)
    return r[0] if r and r[1] == "day" else None

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 as the contract defines it: a leading BOM dropped, nothing else changed."""
    if not data.strip():
        raise InputError(name, "the input is empty", "pass a file with article text")
    if b"\x00" in data[:8192]:
        raise InputError(name, "the input is binary, not text", "pass a UTF-8 text or HTML file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid UTF-8 (byte {exc.start})",
                         "convert it to UTF-8, e.g. with iconv") from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(name, "the input is empty", "pass a file with article text")
    return text


def read_bytes_as_article(data: bytes, name: str, *, is_html: bool | None = None,
                          published: str | None = None) -> Article:
    if is_html is None:
        is_html = Path(name).suffix.lower() in HTML_SUFFIXES or looks_like_html(data)
    text = decode_text(data, name) if not is_html else None
    if is_html:
        if b"\x00" in data[:8192]:
            raise InputError(name, "the input is binary, not HTML", "pass an HTML page")
        article = article_from_html(data, name)
    else:
        article = Article(text=text, path=name, published=dateline_date(text))
        first = text.lstrip().split("\n", 1)[0].strip()
        if first and len(first) < 200 and "\n\n" in text[:len(first) + 4]:
            article.title = first  # a first line set apart by a blank line is a headline
    if published:
        article.published = published
    return article


def read_path(path: str | Path, *, published: str | None = None) -> Article:
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "no such file", "check the path")
    if p.is_dir():
        raise InputError(name, "is a directory", "pass the files in it, or use `thucydides ingest`")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from exc
    return read_bytes_as_article(data, name, published=published)


def read_stdin(*, published: str | None = None) -> Article:
    data = sys.stdin.buffer.read()
    article = read_bytes_as_article(data, "-", published=published)
    article.path = None
    return article
