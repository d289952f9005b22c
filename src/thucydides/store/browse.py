"""Read queries for browsing a store page by page: what the HTTP API and the web page show.

`queries.py` answers the command line (whole listings); these add what a page needs: an
offset and a total, one actor with their statements and events over time and whom they
acted on, and the network of actors. The same SQL runs on SQLite and PostgreSQL, except
for full-text search, which `queries` chooses per database.
"""
from __future__ import annotations

from typing import Any

from .backends import Backend
from .queries import _like, article_filters, date_range, event_filters, fts5_query, quote_filters

COOPERATION = ("verbal-cooperation", "material-cooperation")
CONFLICT = ("verbal-conflict", "material-conflict")

_QUOTE_COLUMNS = """ar.id AS article_id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published, ar.source,
                    at.n, at.speaker_id AS speaker, ac.name AS speaker_name, ac.country,
                    COALESCE(at.speaker_role, ac.role) AS role, at.kind, at.cue, at.content,
                    at.content_start, at.content_end, at.source_text, at.medium, at.confidence,
                    at.passage AS sentence"""


def _where(conds: list[str]) -> str:
    return "WHERE " + " AND ".join(conds) if conds else ""


def _page(limit: int, offset: int) -> str:
    return f" LIMIT {int(limit)} OFFSET {int(offset)}"


COUNT_CAP = 1000  # a filtered count stops here: "1,000+ statements" costs far less than the exact figure


def quotes(db: Backend, *, search: str | None = None, speaker: str | None = None, speaker_id: str | None = None,
           country: str | None = None, since: str | None = None, until: str | None = None,
           article: str | None = None, min_confidence: float | None = None, limit: int = 50, offset: int = 0,
           total: bool = True, plan: str = "auto") -> tuple[list[dict[str, Any]], int | None, bool]:
    """A page of statements, newest article first; how many match in all; whether that count is exact.

    `speaker` matches as on the command line (a part of the name, the actor id, or the
    source words); `speaker_id` matches one actor exactly. A count over a search and other
    filters stops at COUNT_CAP (the third value is then False: "at least").

    On SQLite a search that matches many statements is answered by walking the articles
    newest first and keeping the matching statements until the page is full, rather than
    by sorting every match: the page of 50 then costs about the same for a word in every
    second statement as for a word in ten. `plan` ("auto", "sort" or "walk") is for tests."""
    where, params = quote_filters(db, search=search, speaker=speaker, speaker_id=speaker_id, country=country,
                                  since=since, until=until, article=article, min_confidence=min_confidence)
    fts_n: int | None = None
    if search and db.dialect == "sqlite":
        fts_n = int(db.execute("SELECT COUNT(*) FROM attributions_fts WHERE attributions_fts MATCH ?",
                               [fts5_query(search)])[0][0])
    others = bool(speaker or speaker_id or country or since or until or article or min_confidence is not None)
    if fts_n == 0:
        return [], (0 if total else None), True
    walk = plan == "walk"
    if plan == "auto" and fts_n is not None and not (speaker_id or article):
        # Sorting costs about 6 times as much per match as walking costs per statement passed over;
        # walking passes over (offset + limit) / selectivity statements, more when other filters thin them.
        n_all = int(db.execute("SELECT MAX(id) FROM attributions")[0][0] or 0)
        thinning = 10 if (speaker or country or min_confidence is not None) else 1
        walk = 6 * fts_n * fts_n > (offset + limit) * n_all * thinning
    elif plan == "auto" and db.dialect == "sqlite" and country and not (search or speaker or speaker_id or article):
        # a country's share of the actors stands for its share of the statements: walk when it is large
        in_country = int(db.execute("SELECT COUNT(*) FROM actors WHERE country = ?", [country.upper()])[0][0])
        walk = in_country * 50 >= int(db.execute("SELECT COUNT(*) FROM actors")[0][0] or 0) > 0
    # SQLite keeps the order of a CROSS JOIN; PostgreSQL plans the join order itself
    source = ("articles ar CROSS JOIN attributions at ON at.article_id = ar.id" if walk and db.dialect == "sqlite"
              else "attributions at JOIN articles ar ON ar.id = at.article_id")
    sql = f"""SELECT {_QUOTE_COLUMNS}
              FROM {source}
              LEFT JOIN actors ac ON ac.id = at.speaker_id
              {_where(where)}
              ORDER BY ar.published DESC NULLS LAST, ar.id, at.n{_page(limit, offset)}"""
    rows = db.query(sql, params)
    if not total:
        return rows, None, True
    if len(rows) < limit and (rows or offset == 0):
        return rows, offset + len(rows), True
    if fts_n is not None and not others:
        return rows, fts_n, True
    if not search and not others:
        return rows, int(db.execute("SELECT COUNT(*) FROM attributions")[0][0]), True
    joins = ("" if not (since or until) else "JOIN articles ar ON ar.id = at.article_id") + \
            ("" if not (speaker or country) else " LEFT JOIN actors ac ON ac.id = at.speaker_id")
    if speaker_id or article:  # indexed and narrow: count them all
        return rows, int(db.execute(f"SELECT COUNT(*) FROM attributions at {joins} {_where(where)}", params)[0][0]), True
    n = int(db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM attributions at {joins} {_where(where)} "
                       f"LIMIT {COUNT_CAP + 1}) capped", params)[0][0])
    if n <= COUNT_CAP:
        return rows, n, True
    return rows, max(COUNT_CAP, offset + len(rows)), False


def articles(db: Backend, *, search: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of stored articles, newest first, with their counts of statements and events."""
    where, params = article_filters(db, search, since, until)
    rows = db.query(f"""SELECT ar.id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published, ar.source, ar.author,
                          (SELECT COUNT(*) FROM attributions t WHERE t.article_id = ar.id) AS statements,
                          (SELECT COUNT(*) FROM events e WHERE e.article_id = ar.id) AS events
                        FROM articles ar {_where(where)}
                        ORDER BY ar.published DESC NULLS LAST, ar.id{_page(limit, offset)}""", params)
    count = int(db.execute(f"SELECT COUNT(*) FROM articles ar {_where(where)}", params)[0][0])
    return rows, count


def actors(db: Backend, *, search: str | None = None, country: str | None = None, kind: str | None = None,
           limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of actors, most quoted first, with how many articles, statements and events name them."""
    where: list[str] = []
    params: list[Any] = []
    if search:
        where.append("(LOWER(a.name) LIKE ? OR LOWER(a.id) LIKE ?)")
        params += [_like(search), _like(search)]
    if country:
        where.append("a.country = ?")
        params.append(country.upper())
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    rows = db.query(f"""SELECT a.id, a.name, a.kind, a.country, a.sector, a.role, a.wikidata,
                          (SELECT COUNT(DISTINCT m.article_id) FROM mentions m WHERE m.actor_id = a.id) AS articles,
                          (SELECT COUNT(*) FROM attributions t WHERE t.speaker_id = a.id) AS statements,
                          (SELECT COUNT(*) FROM event_actors e WHERE e.actor_id = a.id) AS events
                        FROM actors a {_where(where)}
                        ORDER BY statements DESC, articles DESC, a.name, a.id{_page(limit, offset)}""", params)
    count = int(db.execute(f"SELECT COUNT(*) FROM actors a {_where(where)}", params)[0][0])
    return rows, count


def actor(db: Backend, actor_id: str) -> dict[str, Any] | None:
    rows = actors_by_id(db, [actor_id])
    return rows.get(actor_id)


def actors_by_id(db: Backend, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in db.query(f"""SELECT a.id, a.name, a.kind, a.country, a.sector, a.role, a.wikidata,
                                (SELECT COUNT(DISTINCT m.article_id) FROM mentions m WHERE m.actor_id = a.id)
                                  AS articles,
                                (SELECT COUNT(*) FROM attributions t WHERE t.speaker_id = a.id) AS statements,
                                (SELECT COUNT(*) FROM event_actors e WHERE e.actor_id = a.id) AS events
                              FROM actors a WHERE a.id IN ({", ".join("?" * len(chunk))})""", chunk):
            out[r["id"]] = r
    return out


def events(db: Backend, *, source: str | None = None, target: str | None = None, actor: str | None = None,
           type: str | None = None, since: str | None = None, until: str | None = None,
           article: str | None = None, min_confidence: float | None = None, asserted: bool = False,
           limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of events, newest first, with their parties; `source`/`target` match as on the command
    line (id, a part of the name, or an ISO3 country), `actor` is one actor id on either side;
    `min_confidence` and `asserted` as in `event_filters`."""
    where, params = event_filters(source=source, target=target, actor=actor, type=type, since=since, until=until,
                                  article=article, min_confidence=min_confidence, asserted=asserted)
    rows = db.query(f"""SELECT ar.id AS article_id, COALESCE(ar.url, ar.path) AS link, ar.title, ar.published,
                          ev.n, ev.date, ev.type, ev.mode, ev.cameo, ev.goldstein, ev.quad,
                          ev.source_text, ev.target_text, ev.trigger, ev.trigger_start, ev.trigger_end,
                          ev.location, ev.negated, ev.hypothetical, ev.future, ev.reported_by, ev.confidence,
                          ev.sentence, ev.sentence_start
                        FROM events ev JOIN articles ar ON ar.id = ev.article_id
                        {_where(where)}
                        ORDER BY COALESCE(ev.date, ar.published) DESC NULLS LAST, ar.id, ev.n{_page(limit, offset)}""",
                    params)
    count = int(db.execute(f"""SELECT COUNT(*) FROM events ev JOIN articles ar ON ar.id = ev.article_id
                               {_where(where)}""", params)[0][0])
    return _with_parties(db, rows), count


def _with_parties(db: Backend, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = sorted({(r["article_id"], r["n"]) for r in rows})
    parties: dict[tuple[str, int], dict[str, list]] = {}
    for i in range(0, len(keys), 200):
        chunk = keys[i:i + 200]
        cond = " OR ".join(["(ea.article_id = ? AND ea.n = ?)"] * len(chunk))
        for p in db.query(f"""SELECT ea.article_id, ea.n, ea.role, ea.actor_id, a.name FROM event_actors ea
                              JOIN actors a ON a.id = ea.actor_id WHERE {cond}
                              ORDER BY ea.article_id, ea.n, ea.role, ea.pos""", [x for k in chunk for x in k]):
            d = parties.setdefault((p["article_id"], p["n"]), _no_parties())
            d[p["role"]].append(p["actor_id"])
            d[p["role"] + "_names"].append(p["name"])
    out = []
    for r in rows:
        r = {**r, **parties.get((r["article_id"], r["n"]), _no_parties())}
        for flag in ("negated", "hypothetical", "future"):
            r[flag] = bool(r[flag])
        out.append(r)
    return out


def _no_parties() -> dict[str, list]:
    return {"source": [], "target": [], "source_names": [], "target_names": []}


def actor_timeline(db: Backend, actor_id: str) -> list[dict[str, Any]]:
    """Month by month: how many statements the actor made, and events they took part in on each side."""
    months: dict[str, dict[str, Any]] = {}

    def bucket(month: str | None) -> dict[str, Any]:
        key = month or "undated"
        return months.setdefault(key, {"month": key, "statements": 0, "acted": 0, "acted_on": 0,
                                       "cooperation": 0, "conflict": 0})

    for r in db.query("""SELECT SUBSTR(ar.published, 1, 7) AS month, COUNT(*) AS n
                         FROM attributions at JOIN articles ar ON ar.id = at.article_id
                         WHERE at.speaker_id = ? GROUP BY SUBSTR(ar.published, 1, 7)""", [actor_id]):
        bucket(r["month"])["statements"] += int(r["n"])
    for r in db.query("""SELECT SUBSTR(COALESCE(ev.date, ar.published), 1, 7) AS month, ea.role, ev.quad,
                                COUNT(*) AS n
                         FROM event_actors ea
                         JOIN events ev ON ev.article_id = ea.article_id AND ev.n = ea.n
                         JOIN articles ar ON ar.id = ev.article_id
                         WHERE ea.actor_id = ?
                         GROUP BY SUBSTR(COALESCE(ev.date, ar.published), 1, 7), ea.role, ev.quad""", [actor_id]):
        b = bucket(r["month"])
        n = int(r["n"])
        b["acted" if r["role"] == "source" else "acted_on"] += n
        if r["quad"] in COOPERATION:
            b["cooperation"] += n
        elif r["quad"] in CONFLICT:
            b["conflict"] += n
    return sorted(months.values(), key=lambda b: (b["month"] == "undated", b["month"]))


def counterparts(db: Backend, actor_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """Whom the actor acted on (`direction` "to") and who acted on them ("from"), by number of events."""
    rows = db.query("""SELECT CASE WHEN me.role = 'source' THEN 'to' ELSE 'from' END AS direction,
                              other.actor_id AS id, a.name, a.country, ev.quad, COUNT(*) AS n,
                              AVG(ev.goldstein) AS goldstein
                       FROM event_actors me
                       JOIN event_actors other ON other.article_id = me.article_id AND other.n = me.n
                            AND other.role <> me.role
                       JOIN events ev ON ev.article_id = me.article_id AND ev.n = me.n
                       JOIN actors a ON a.id = other.actor_id
                       WHERE me.actor_id = ? AND other.actor_id <> me.actor_id
                       GROUP BY CASE WHEN me.role = 'source' THEN 'to' ELSE 'from' END, other.actor_id, a.name,
                                a.country, ev.quad""", [actor_id])
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["direction"], r["id"])
        m = merged.setdefault(key, {"direction": r["direction"], "id": r["id"], "name": r["name"],
                                    "country": r["country"], "events": 0, "cooperation": 0, "conflict": 0,
                                    "_gs": 0.0, "_gn": 0})
        n = int(r["n"])
        m["events"] += n
        if r["quad"] in COOPERATION:
            m["cooperation"] += n
        elif r["quad"] in CONFLICT:
            m["conflict"] += n
        if r["goldstein"] is not None:
            m["_gs"] += float(r["goldstein"]) * n
            m["_gn"] += n
    out = []
    for m in merged.values():
        gs, gn = m.pop("_gs"), m.pop("_gn")
        m["goldstein"] = round(gs / gn, 2) if gn else None
        out.append(m)
    out.sort(key=lambda m: (-m["events"], m["direction"], m["name"], m["id"]))
    return out[:limit]


def network(db: Backend, *, since: str | None = None, until: str | None = None, type: str | None = None,
            asserted: bool = True, limit: int = 300) -> dict[str, Any]:
    """Actors as nodes and events as weighted edges, one per (source, target, cooperation|conflict).

    `asserted` leaves out negated and hypothetical events (what did not, or might, happen);
    `limit` keeps the heaviest edges, and the nodes they join."""
    where = ["s.actor_id <> t.actor_id"]
    params: list[Any] = []
    date_range(where, params, "COALESCE(ev.date, ar.published)", since, until)
    if type:
        where.append("ev.type = ?")
        params.append(type.upper())
    if asserted:
        where.append("ev.negated = 0 AND ev.hypothetical = 0")
    polarity = ("CASE WHEN ev.quad IN ('verbal-conflict', 'material-conflict') THEN 'conflict' "
                "WHEN ev.quad IN ('verbal-cooperation', 'material-cooperation') THEN 'cooperation' "
                "WHEN ev.goldstein < 0 THEN 'conflict' ELSE 'cooperation' END")
    rows = db.query(f"""SELECT s.actor_id AS source, t.actor_id AS target, {polarity} AS kind,
                               COUNT(*) AS weight, AVG(ev.goldstein) AS goldstein,
                               MIN(COALESCE(ev.date, ar.published)) AS first,
                               MAX(COALESCE(ev.date, ar.published)) AS last
                        FROM events ev
                        JOIN articles ar ON ar.id = ev.article_id
                        JOIN event_actors s ON s.article_id = ev.article_id AND s.n = ev.n AND s.role = 'source'
                        JOIN event_actors t ON t.article_id = ev.article_id AND t.n = ev.n AND t.role = 'target'
                        {_where(where)}
                        GROUP BY s.actor_id, t.actor_id, {polarity}
                        ORDER BY weight DESC, source, target, kind""", params)
    total_edges = len(rows)
    rows = rows[:limit]
    edges = [{"source": r["source"], "target": r["target"], "kind": r["kind"], "weight": int(r["weight"]),
              "goldstein": round(float(r["goldstein"]), 2) if r["goldstein"] is not None else None,
              "first": r["first"], "last": r["last"]} for r in rows]
    degree: dict[str, dict[str, int]] = {}
    for e in edges:
        for end, side in ((e["source"], "outgoing"), (e["target"], "incoming")):
            d = degree.setdefault(end, {"outgoing": 0, "incoming": 0, "cooperation": 0, "conflict": 0})
            d[side] += e["weight"]
            d[e["kind"]] += e["weight"]
    info = _actor_rows(db, list(degree))
    nodes = []
    for aid, d in degree.items():
        a = info.get(aid, {"name": aid, "kind": "unknown", "country": None})
        nodes.append({"id": aid, "name": a["name"], "kind": a["kind"], "country": a["country"],
                      "weight": d["outgoing"] + d["incoming"], **d})
    nodes.sort(key=lambda n: (-n["weight"], n["name"], n["id"]))
    return {"nodes": nodes, "edges": edges, "total_edges": total_edges}


def _actor_rows(db: Backend, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in db.query(f"SELECT id, name, kind, country FROM actors WHERE id IN ({', '.join('?' * len(chunk))})",
                          chunk):
            out[r["id"]] = r
    return out


__all__ = [
    "actor",
    "actor_timeline",
    "actors",
    "actors_by_id",
    "articles",
    "counterparts",
    "events",
    "network",
    "quotes",
]
