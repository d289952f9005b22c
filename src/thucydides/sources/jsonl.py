"""JSON Lines: one article per line, `{"text" | "html", "url", "title", "published", "source"}`.

Also read when present: `id` (kept as the article id), `author`. A line's name in messages
is `FILE:LINE`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

from ..errors import InputError
from ..model import Article, url_article_id
from .html import article_from_html

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def normalise_date(value: object) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime, or an RFC 822 date (as feeds write them)."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    try:
        return parsedate_to_datetime(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError, IndexError):
        return None


def _str(obj: dict, key: str) -> str | None:
    v = obj.get(key)
    return v.strip() or None if isinstance(v, str) else None


def read_jsonl(path: str | Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the `with f:` below
    except OSError as exc:
        yield InputError(name, f"cannot be read ({exc.strerror})")
        return
    with f:
        for lineno, raw in enumerate(f, 1):
            item = f"{name}:{lineno}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield InputError(item, f"not valid UTF-8 (byte {exc.start})", "write the file as UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield InputError(item, f"not valid JSON ({exc.msg})", "write one JSON object per line")
                continue
            if not isinstance(obj, dict):
                yield InputError(item, "not a JSON object", 'write {"text": ..., "url": ...} on each line')
                continue
            url = _str(obj, "url")
            meta = {"title": _str(obj, "title"), "published": normalise_date(obj.get("published")),
                    "source": _str(obj, "source"), "author": _str(obj, "author")}
            text, html = obj.get("text"), obj.get("html")
            try:
                if isinstance(text, str):
                    text = text.removeprefix("\ufeff")
                    if not text.strip():
                        raise InputError(item, "the text is empty", 'give the article in "text"')
                    article = Article(text=text, **meta)
                elif isinstance(html, str) and html.strip():
                    page = article_from_html(html.encode("utf-8"), item, url=url)
                    article = Article(text=page.text, title=meta["title"] or page.title,
                                      published=meta["published"] or page.published,
                                      source=meta["source"] or page.source, author=meta["author"] or page.author)
                else:
                    raise InputError(item, 'has neither "text" nor "html"', 'give the article in "text" or "html"')
            except InputError as exc:
                yield exc
                continue
            explicit = obj.get("id")
            article.id = str(explicit) if explicit not in (None, "") else (url_article_id(url) if url else article.id)
            article.url = url
            article.path = url or item
            yield article
