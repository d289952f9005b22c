"""The store: analysis records in, queries out, on SQLite or PostgreSQL.

    store = open_store("thucydides.db")            # or "postgresql://user@host/db"
    store.add(analysis, article)                    # one transaction; re-adding replaces
    store.quotes(country="CHN", search="ceasefire", since="2025-02-01")
    store.get(article_id)                           # the contract record, as stored

Every write of an article is one transaction: the article row, its fingerprints, actors,
mentions, attributions and events are all there or none is, which is what makes a killed
ingest safe to run again.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from ..model import CONTRACT_VERSION, Analysis, Article
from ..sources.dedupe import Fingerprint, fingerprint, jaccard, shingles
from . import queries
from .backends import Backend, connect
from .schema import SCHEMA_VERSION, migrate, now

_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+")


def passage(text: str, start: int, end: int) -> tuple[int, str]:
    """The sentence(s) around [start, end) within its paragraph: the evidence shown with a quote.

    Returns (offset, passage) with `text[offset:offset + len(passage)] == passage`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo = line_start
    for m in _SENTENCE_END.finditer(text, line_start, start):
        lo = m.end()
    hi = line_end
    m = _SENTENCE_END.search(text, max(end - 1, lo), line_end)
    if m:
        hi = m.start() + 1
        while hi < line_end and text[hi] in "\"”’')]":
            hi += 1
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, text[lo:hi]


class Store:
    """One database. Build with `open_store(url)`; use as a context manager to close it."""

    def __init__(self, backend: Backend) -> None:
        self.db = backend

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing

    def add(self, analysis: Analysis, article: Article | None = None, fp: Fingerprint | None = None) -> None:
        """Store an analysed article, replacing any earlier version with the same id."""
        fp = fp or fingerprint(analysis.text)
        record = analysis.to_dict()
        url = article.url if article else None
        author = article.author if article else None
        db = self.db
        with db.transaction():
            aid = analysis.id
            for table in ("event_actors", "events", "attributions", "mentions", "fingerprints"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
            db.execute(
                """INSERT INTO articles (id, text_hash, url, path, title, published, source, author, text, record,
                                         contract, ingested)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET text_hash = excluded.text_hash, url = excluded.url,
                     path = excluded.path, title = excluded.title, published = excluded.published,
                     source = excluded.source, author = excluded.author, text = excluded.text,
                     record = excluded.record, contract = excluded.contract, ingested = excluded.ingested""",
                (aid, fp.text_hash, url, analysis.path, analysis.title, analysis.published, analysis.source, author,
                 analysis.text, json.dumps(record, ensure_ascii=False), CONTRACT_VERSION, now()))
            db.executemany("INSERT INTO fingerprints (band, hash, article_id) VALUES (?, ?, ?)",
                           [(b, h, aid) for b, h in fp.bands])
            self._add_actors(analysis)
            db.executemany(
                "INSERT INTO mentions (article_id, actor_id, start_char, end_char, text) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(aid, a.id, m.start, m.end, m.text) for a in analysis.actors for m in a.mentions])
            rows = []
            for n, at in enumerate(analysis.attributions):
                spans = [s for s in (at.content, at.cue, at.source) if s]
                p_start, p_text = passage(analysis.text, min(s.start for s in spans), max(s.end for s in spans))
                speaker = analysis.actor(at.speaker)
                rows.append((aid, n, at.kind, at.content.text, at.content.start, at.content.end,
                             *_span(at.cue), *_span(at.source), at.speaker, speaker.role if speaker else None,
                             at.medium, at.confidence, p_text, p_start))
            db.executemany(
                """INSERT INTO attributions (article_id, n, kind, content, content_start, content_end, cue, cue_start,
                     cue_end, source_text, source_start, source_end, speaker_id, speaker_role, medium, confidence,
                     passage, passage_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
            rows, links = [], []
            for n, e in enumerate(analysis.events):
                rows.append((aid, n, e.type, e.mode, e.cameo, e.goldstein, e.quad, *_span(e.trigger),
                             e.sentence.text, e.sentence.start, e.sentence.end,
                             e.source_span.text if e.source_span else None,
                             e.target_span.text if e.target_span else None, e.date, e.location,
                             int(e.negated), int(e.hypothetical), int(e.future), e.reported_by, e.confidence))
                links += [(aid, n, "source", i, a) for i, a in enumerate(e.source)]
                links += [(aid, n, "target", i, a) for i, a in enumerate(e.target)]
            db.executemany(
                """INSERT INTO events (article_id, n, type, mode, cameo, goldstein, quad, trigger, trigger_start,
                     trigger_end, sentence, sentence_start, sentence_end, source_text, target_text, date, location,
                     negated, hypothetical, future, reported_by, confidence)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
            db.executemany("INSERT INTO event_actors (article_id, n, role, pos, actor_id) VALUES (?, ?, ?, ?, ?)",
                           links)

    def _add_actors(self, analysis: Analysis) -> None:
        rows = {a.id: (a.id, a.name, a.kind, a.country, a.sector, a.role, a.wikidata) for a in analysis.actors}
        # every id an attribution or event points at exists, even if the record did not list it
        refs = [at.speaker for at in analysis.attributions] + [e.reported_by for e in analysis.events]
        refs += [i for e in analysis.events for i in (*e.source, *e.target)]
        for ref in refs:
            if ref and ref not in rows:
                rows[ref] = (ref, ref, "unknown", None, None, None, None)
        self.db.executemany(
            """INSERT INTO actors (id, name, kind, country, sector, role, wikidata) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 country = COALESCE(excluded.country, actors.country),
                 sector = COALESCE(excluded.sector, actors.sector),
                 role = COALESCE(excluded.role, actors.role),
                 wikidata = COALESCE(excluded.wikidata, actors.wikidata)""",
            sorted(rows.values()))

    def add_duplicate(self, article: Article, original_id: str, kind: str, similarity: float,
                      text_hash: str | None = None) -> None:
        """Record `article` as a copy of the stored article `original_id` (kind 'exact' or 'near')."""
        with self.db.transaction():
            self.db.execute(
                """INSERT INTO duplicates (copy, original_id, kind, similarity, copy_id, text_hash, url, path, title,
                     published, source, ingested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (copy) DO NOTHING""",
                (locator(article), original_id, kind, round(similarity, 4), article.id,
                 text_hash or fingerprint(article.text).text_hash, article.url, article.path, article.title,
                 article.published, article.source, now()))

    # ------------------------------------------------------------------ looking up, for ingest

    def stored(self, article_id: str) -> tuple[str, str | None] | None:
        """(text hash, locator) of a stored article, or None."""
        rows = self.db.execute("SELECT text_hash, COALESCE(url, path) FROM articles WHERE id = ?", (article_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def has_copy(self, loc: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM duplicates WHERE copy = ?", (loc,)))

    def by_text_hash(self, text_hash: str) -> str | None:
        rows = self.db.execute("SELECT id FROM articles WHERE text_hash = ? ORDER BY id LIMIT 1", (text_hash,))
        return rows[0][0] if rows else None

    def near_duplicate(self, fp: Fingerprint, threshold: float) -> tuple[str, float] | None:
        """The most similar stored article with Jaccard similarity >= threshold, or None."""
        if not fp.bands:
            return None
        cond = " OR ".join(["(band = ? AND hash = ?)"] * len(fp.bands))
        params = [x for pair in fp.bands for x in pair]
        ids = [r[0] for r in self.db.execute(f"SELECT DISTINCT article_id FROM fingerprints WHERE {cond}", params)]
        best: tuple[str, float] | None = None
        for aid in sorted(ids):
            rows = self.db.execute("SELECT text FROM articles WHERE id = ?", (aid,))
            if not rows:
                continue
            sim = jaccard(set(fp.shingles), shingles(rows[0][0]))
            if sim >= threshold and (best is None or sim > best[1]):
                best = (aid, sim)
        return best

    # ------------------------------------------------------------------ reading

    def get(self, article_id: str) -> dict[str, Any] | None:
        """The contract record of a stored article, exactly as `Analysis.to_dict()` made it."""
        rows = self.db.execute("SELECT record FROM articles WHERE id = ?", (article_id,))
        return json.loads(rows[0][0]) if rows else None

    def records(self) -> Iterator[dict[str, Any]]:
        for (aid,) in self.db.execute("SELECT id FROM articles ORDER BY published NULLS LAST, id"):
            rec = self.get(aid)
            if rec is not None:
                yield rec

    def quotes(self, **filters: Any) -> list[dict[str, Any]]:
        """Quotations and reported statements; filters: speaker, country, search, since, until, limit."""
        return queries.quotes(self.db, **filters)

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Coded events; filters: source, target, type, since, until, limit."""
        return queries.events(self.db, **filters)

    def actors(self, **filters: Any) -> list[dict[str, Any]]:
        """Actors with how many articles name them and how many statements they made; filter: search."""
        return queries.actors(self.db, **filters)

    def articles(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored articles; filters: search (full text), since, until, limit."""
        return queries.articles(self.db, **filters)

    def duplicates(self, **filters: Any) -> list[dict[str, Any]]:
        return queries.duplicates(self.db, **filters)

    def stats(self) -> dict[str, int]:
        return queries.stats(self.db)


def _span(span) -> tuple:
    return (span.text, span.start, span.end) if span else (None, None, None)


def locator(article: Article) -> str:
    """Where an article came from: its URL, else its path (file, or file:line), else its id."""
    return article.url or article.path or f"id:{article.id}"


def open_store(url: str | Path | None = None, *, version: int | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `url`: a SQLite path, `sqlite:///path`,
    or `postgresql://user:password@host:port/db`. The default is `thucydides.db` here."""
    backend = connect(url)
    try:
        migrate(backend, version)
    except BaseException:
        backend.close()
        raise
    return Store(backend)


__all__ = ["SCHEMA_VERSION", "Store", "locator", "open_store", "passage"]
