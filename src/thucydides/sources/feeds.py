"""RSS and Atom feeds (through feedparser): one article per entry.

An entry's text is its full content when the feed carries it. When it carries only a
summary, the linked page is fetched and its article extracted, but only if fetching was
asked for (`fetch_links`, on by default for a feed given by URL, off for a feed file).
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

from ..errors import InputError
from ..model import Article, url_article_id
from .html import article_from_html

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
SUMMARY_ONLY = 600  # an entry with less text than this is a summary of the linked article
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article",
          "pre", "ul", "ol", "table", "figure", "figcaption", "hr"}


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and bool(_FEED_ROOT.search(head))


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one line per block."""
    if "<" not in html:
        return "\n".join(line.strip() for line in html.splitlines() if line.strip())
    try:
        import lxml.html

        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
                el.tail = "\n" + (el.tail or "")
                if el.tag.lower() != "br":
                    el.text = "\n" + (el.text or "")
        raw = root.text_content()
    except Exception:  # noqa: BLE001 - lxml rejects some fragments: fall back to stripping tags
        raw = re.sub(r"<[^>]+>", " ", html)
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _date(parsed) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def read_feed(data: bytes, name: str, *, fetch_links: bool = False,
              fetch: Callable[[str], bytes] | None = None) -> Iterator[Article | InputError]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            problem = str(parsed.get("bozo_exception") or "").splitlines()[0:1]
            yield InputError(name, "not an RSS or Atom feed" + (f" ({problem[0]})" if problem else ""),
                             "check that the file or URL is the feed itself")
        return
    feed_title = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries, 1):
        link = entry.get("link") or None
        item = link or f"{name} entry {i}"
        try:
            content = entry.get("content") or []
            html = content[0].get("value", "") if content else entry.get("summary", "")
            text = fragment_text(html or "")
            meta = {"title": entry.get("title") or None,
                    "published": _date(entry.get("published_parsed") or entry.get("updated_parsed")),
                    "source": feed_title, "author": entry.get("author") or None}
            if len(text) < SUMMARY_ONLY and link and fetch_links and fetch is not None:
                page = article_from_html(fetch(link), link, url=link)
                yield Article(text=page.text, id=url_article_id(link), path=link, url=link,
                              title=meta["title"] or page.title, published=meta["published"] or page.published,
                              source=feed_title or page.source, author=meta["author"] or page.author)
                continue
            if not text.strip():
                yield InputError(item, "the feed entry has no text",
                                 "ingest the feed by URL, or with --fetch-links, to read the linked page")
                continue
            yield Article(text=text, id=url_article_id(link) if link else None, path=item, url=link, **meta)
        except InputError as exc:
            yield exc
