"""Read queries, the same SQL on SQLite and PostgreSQL except for full-text search.

Each function returns plain dicts (JSON-ready), ordered newest article first, with the
evidence a reader needs: the article link, the offsets and the sentence.
"""
from __future__ import annotations

import re
from typing import Any

from .backends import Backend

_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"|(\S+)')


def fts5_query(text: str) -> str:
    """A user's search words as a safe FTS5 query: every word (or "quoted phrase") must occur."""
    parts = []
    for phrase, word in _PHRASE.findall(text):
        tokens = _WORD.findall(phrase or word)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(parts) or '""'


FEW_MATCHES = 2000  # a PostgreSQL search with fewer matches is answered from the list of them


def _search_quotes(db: Backend, text: str) -> tuple[str, list[Any]]:
    """Full-text search over quotations: FTS5 on SQLite, tsvector on PostgreSQL (both stem English).

    PostgreSQL guesses badly how many statements a phrase matches, and a guess too high makes
    it walk every article newest first looking for a rare phrase (180 ms on 100,000
    statements). So the matches are listed first from the GIN index (a few ms): when they are
    few, the query takes that list; when they are many, walking the newest articles is right."""
    if db.dialect == "sqlite":
        return "at.id IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)", [fts5_query(text)]
    ids = [r[0] for r in db.execute("SELECT id FROM attributions WHERE content_tsv @@ websearch_to_tsquery('english', ?)"
                                    f" LIMIT {FEW_MATCHES + 1}", [text])]
    if len(ids) <= FEW_MATCHES:
        return "at.id = ANY(?)", [ids]
    return "at.content_tsv @@ websearch_to_tsquery('english', ?)", [text]


def _like(value: str) -> str:
    return "%" + value.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit else ""


def quote_filters(db: Backend, *, search: str | None = None, speaker: str | None = None,
                  speaker_id: str | None = None, country: str | None = None, since: str | None = None,
                  until: str | None = None, article: str | None = None,
                  min_confidence: float | None = None) -> tuple[list[str], list[Any]]:
    """The WHERE conditions and their parameters for statements (`at`, with `ar` their
    article and `ac` their speaker): the command line's and the HTTP API's filters alike.
    `speaker` is a part of the name, the actor id or the source words; `speaker_id` one actor;
    `min_confidence` keeps the statements the analyzer was at least this sure of."""
    where: list[str] = []
    params: list[Any] = []
    if search:
        cond, p = _search_quotes(db, search)
        where.append(cond)
        params += p
    if speaker:
        where.append("(LOWER(ac.name) LIKE ? OR LOWER(at.speaker_id) = ? OR LOWER(at.source_text) LIKE ?)")
        params += [_like(speaker), speaker.lower(), _like(speaker)]
    if speaker_id:
        where.append("at.speaker_id = ?")
        params.append(speaker_id)
    if country:
        where.append("ac.country = ?")
        params.append(country.upper())
    date_range(where, params, "ar.published", since, until)
    if article:
        where.append("at.article_id = ?")
        params.append(article)
    if min_confidence is not None:
        where.append("at.confidence >= ?")
        params.append(float(min_confidence))
    return where, params


def event_filters(*, source: str | None = None, target: str | None = None, actor: str | None = None,
                  type: str | None = None, since: str | None = None, until: str | None = None,
                  article: str | None = None, min_confidence: float | None = None,
                  asserted: bool = False) -> tuple[list[str], list[Any]]:
    """The WHERE conditions and their parameters for events (`ev`, with `ar` their article):
    `source`/`target` are an id, a part of the name or an ISO3 country; `actor` one actor id
    on either side; `min_confidence` keeps the events the analyzer was at least this sure of;
    `asserted` leaves out negated and hypothetical events (what did not, or might, happen)."""
    where: list[str] = []
    params: list[Any] = []
    for role, value in (("source", source), ("target", target)):
        if value:
            cond, p = _actor_match("a", value)
            where.append(f"""EXISTS (SELECT 1 FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
                             WHERE ea.article_id = ev.article_id AND ea.n = ev.n AND ea.role = '{role}' AND {cond})""")
            params += p
    if actor:
        where.append("""EXISTS (SELECT 1 FROM event_actors ea
                        WHERE ea.article_id = ev.article_id AND ea.n = ev.n AND ea.actor_id = ?)""")
        params.append(actor)
    if type:
        where.append("ev.type = ?")
        params.append(type.upper())
    date_range(where, params, "COALESCE(ev.date, ar.published)", since, until)
    if article:
        where.append("ev.article_id = ?")
        params.append(article)
    if min_confidence is not None:
        where.append("ev.confidence >= ?")
        params.append(float(min_confidence))
    if asserted:
        where.append("ev.negated = 0 AND ev.hypothetical = 0")
    return where, params


def quotes(db: Backend, *, speaker: str | None = None, country: str | None = None, search: str | None = None,
           since: str | None = None, until: str | None = None, article: str | None = None,
           min_confidence: float | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    where, params = quote_filters(db, search=search, speaker=speaker, country=country, since=since, until=until,
                                  article=article, min_confidence=min_confidence)
    sql = f"""SELECT ar.id AS article_id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published, ar.source,
                     at.n, at.speaker_id AS speaker, ac.name AS speaker_name, ac.country,
                     COALESCE(at.speaker_role, ac.role) AS role, at.kind, at.cue, at.content,
                     at.content_start, at.content_end, at.source_text, at.medium, at.confidence,
                     at.passage AS sentence
              FROM attributions at JOIN articles ar ON ar.id = at.article_id
              LEFT JOIN actors ac ON ac.id = at.speaker_id
              {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY ar.published DESC NULLS LAST, ar.id, at.n{_limit(limit)}"""
    return db.query(sql, params)


def _actor_match(alias: str, value: str) -> tuple[str, list[Any]]:
    """An event party matching `value`: its id, a name containing it, or (an ISO code) its country."""
    cond = f"(LOWER({alias}.id) = ? OR LOWER({alias}.name) LIKE ?"
    params: list[Any] = [value.lower(), _like(value)]
    if re.fullmatch(r"[A-Za-z]{3}", value):
        cond += f" OR {alias}.country = ?"
        params.append(value.upper())
    return cond + ")", params


def events(db: Backend, *, source: str | None = None, target: str | None = None, type: str | None = None,
           since: str | None = None, until: str | None = None, article: str | None = None,
           min_confidence: float | None = None, asserted: bool = False,
           limit: int | None = None) -> list[dict[str, Any]]:
    where, params = event_filters(source=source, target=target, type=type, since=since, until=until,
                                  article=article, min_confidence=min_confidence, asserted=asserted)
    sql = f"""SELECT ar.id AS article_id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published,
                     ev.n, ev.date, ev.type, ev.mode, ev.cameo, ev.goldstein, ev.quad,
                     ev.source_text, ev.target_text, ev.trigger, ev.trigger_start, ev.trigger_end,
                     ev.location, ev.negated, ev.hypothetical, ev.future, ev.reported_by, ev.confidence,
                     ev.sentence, ev.sentence_start
              FROM events ev JOIN articles ar ON ar.id = ev.article_id
              {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY COALESCE(ev.date, ar.published) DESC NULLS LAST, ar.id, ev.n{_limit(limit)}"""
    rows = db.query(sql, params)
    if not rows:
        return rows
    parties: dict[tuple[str, int], dict[str, list]] = {}
    ids = sorted({r["article_id"] for r in rows})
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for p in db.query(f"""SELECT ea.article_id, ea.n, ea.role, ea.actor_id, a.name FROM event_actors ea
                              JOIN actors a ON a.id = ea.actor_id
                              WHERE ea.article_id IN ({", ".join("?" * len(chunk))})
                              ORDER BY ea.article_id, ea.n, ea.role, ea.pos""", chunk):
            d = parties.setdefault((p["article_id"], p["n"]), {"source": [], "target": [], "source_names": [],
                                                               "target_names": []})
            d[p["role"]].append(p["actor_id"])
            d[p["role"] + "_names"].append(p["name"])
    out = []
    for r in rows:
        d = parties.get((r["article_id"], r["n"]), {"source": [], "target": [], "source_names": [],
                                                    "target_names": []})
        r = {**r, **d}
        for flag in ("negated", "hypothetical", "future"):
            r[flag] = bool(r[flag])
        out.append(r)
    return out


def actors(db: Backend, *, search: str | None = None, country: str | None = None,
           limit: int | None = None) -> list[dict[str, Any]]:
    where, params = [], []
    if search:
        where.append("(LOWER(a.name) LIKE ? OR LOWER(a.id) LIKE ?)")
        params += [_like(search), _like(search)]
    if country:
        where.append("a.country = ?")
        params.append(country.upper())
    sql = f"""SELECT a.id, a.name, a.kind, a.country, a.sector, a.role, a.wikidata,
                     (SELECT COUNT(DISTINCT m.article_id) FROM mentions m WHERE m.actor_id = a.id) AS articles,
                     (SELECT COUNT(*) FROM attributions t WHERE t.speaker_id = a.id) AS statements,
                     (SELECT COUNT(*) FROM event_actors e WHERE e.actor_id = a.id) AS events
              FROM actors a {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY statements DESC, articles DESC, a.name, a.id{_limit(limit)}"""
    return db.query(sql, params)


def date_range(where: list[str], params: list[Any], expr: str, since: str | None, until: str | None) -> None:
    """Add `since <= expr <= until` (ISO dates; either bound may be absent) to a WHERE list."""
    if since:
        where.append(f"{expr} >= ?")
        params.append(since)
    if until:
        where.append(f"{expr} <= ?")
        params.append(until)


def article_filters(db: Backend, search: str | None, since: str | None,
                    until: str | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters for articles (aliased `ar`): full-text search and dates."""
    where: list[str] = []
    params: list[Any] = []
    if search:
        if db.dialect == "sqlite":
            where.append("ar.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts5_query(search))
        else:
            where.append("ar.search_tsv @@ websearch_to_tsquery('english', ?)")
            params.append(search)
    date_range(where, params, "ar.published", since, until)
    return where, params


def articles(db: Backend, *, search: str | None = None, since: str | None = None, until: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    where, params = article_filters(db, search, since, until)
    sql = f"""SELECT ar.id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published, ar.source, ar.author,
                     (SELECT COUNT(*) FROM attributions t WHERE t.article_id = ar.id) AS statements,
                     (SELECT COUNT(*) FROM events e WHERE e.article_id = ar.id) AS events,
                     (SELECT COUNT(*) FROM duplicates d WHERE d.original_id = ar.id) AS copies
              FROM articles ar {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY ar.published DESC NULLS LAST, ar.id{_limit(limit)}"""
    return db.query(sql, params)


def duplicates(db: Backend, *, limit: int | None = None) -> list[dict[str, Any]]:
    return db.query(f"""SELECT d.copy, d.kind, d.similarity, d.original_id, COALESCE(ar.url, ar.path) AS original,
                               d.title, d.published, d.source
                        FROM duplicates d JOIN articles ar ON ar.id = d.original_id
                        ORDER BY d.original_id, d.copy{_limit(limit)}""")


def stats(db: Backend) -> dict[str, int]:
    def count(sql: str) -> int:
        return int(db.execute(sql)[0][0])

    return {
        "articles": count("SELECT COUNT(*) FROM articles"),
        "duplicates": count("SELECT COUNT(*) FROM duplicates"),
        "exact_duplicates": count("SELECT COUNT(*) FROM duplicates WHERE kind = 'exact'"),
        "near_duplicates": count("SELECT COUNT(*) FROM duplicates WHERE kind = 'near'"),
        "attributions": count("SELECT COUNT(*) FROM attributions"),
        "events": count("SELECT COUNT(*) FROM events"),
        "actors": count("SELECT COUNT(*) FROM actors"),
        "mentions": count("SELECT COUNT(*) FROM mentions"),
    }
