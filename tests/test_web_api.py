"""The HTTP API over a real store, SQLite and PostgreSQL: what each route answers, bad input, read-only.

The store holds the hand-written articles of `web_data` (fictional people, known answers),
so these tests check the server and not the extractors.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import psycopg
import pytest
import web_data
from conftest import DatabaseFactory
from fastapi.testclient import TestClient

from thucydides.store import StoreError, open_store
from thucydides.store.readonly import open_readonly
from thucydides.web import create_app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """(client, db url, analyses by id) over a store filled with the hand-written articles."""
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp("web"))
    url = factory()
    analyses = {a.id: a for a in web_data.fill(url)}
    app = create_app(url)
    with TestClient(app) as client:
        yield client, url, analyses
    factory.cleanup()


@pytest.fixture
def client(served):
    return served[0]


def ok(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, f"{path} {params}: {r.status_code} {r.text}"
    return r.json()


# ---------------------------------------------------------------- the routes

def test_health_stats_and_the_schema(client):
    health = ok(client, "/api/health")
    assert health["status"] == "ok" and health["read_only"] is True and health["contract"] == 1
    assert ok(client, "/api/stats")["articles"] == 3
    schema = ok(client, "/openapi.json")
    for path in ("/api/health", "/api/articles", "/api/articles/{article_id}", "/api/quotes", "/api/actors",
                 "/api/actors/{actor_id}", "/api/events", "/api/network", "/api/analyze"):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/quotes"]["get"]["parameters"]}
    assert {"q", "speaker", "country", "since", "until", "limit", "offset"} <= params
    # no documentation pages that would load scripts from a CDN
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_an_article_is_its_contract_record(served):
    client, _, analyses = served
    for aid, analysis in analyses.items():
        assert ok(client, f"/api/articles/{aid}") == analysis.to_dict()
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404 and "no article" in r.json()["detail"]
    page = ok(client, "/api/articles")
    assert [a["id"] for a in page["articles"]] == ["web-apr", "web-mar", "web-feb"]  # newest first
    assert page["total"] == 3 and page["articles"][1]["statements"] == 3 and page["articles"][1]["events"] == 3
    assert [a["id"] for a in ok(client, "/api/articles", q="fabrication")["articles"]] == ["web-mar"]
    assert ok(client, "/api/articles", since="2025-03-01", until="2025-03-31")["total"] == 1


def test_quote_search_with_its_filters_and_evidence(served):
    client, _, analyses = served
    page = ok(client, "/api/quotes", q="promises")  # stemmed: "promise"
    assert page["total"] == 1 and page["total_exact"]
    q = page["quotes"][0]
    assert q["speaker"] == "new:person:amara-velk" and q["speaker_name"] == "Amara Velk" and q["country"] == "VLR"
    assert q["content"] == "We have kept every promise we made in this room" and q["kind"] == "direct"
    text = analyses[q["article_id"]].text
    assert text[q["content_start"]:q["content_end"]] == q["content"]  # the evidence offsets
    assert q["link"] == "https://news.example/web-feb" and q["medium"] == "press conference"
    assert ok(client, "/api/quotes", q='"every promise"')["total"] == 1
    assert ok(client, "/api/quotes", q="U.S.-Russia (ceasefire")["total"] == 0  # punctuation is not syntax

    everyone = ok(client, "/api/quotes")
    assert everyone["total"] == 6
    assert [r["published"] for r in everyone["quotes"]] == sorted((r["published"] for r in everyone["quotes"]),
                                                                  reverse=True)
    assert {r["speaker"] for r in ok(client, "/api/quotes", speaker="reyle")["quotes"]} == {"new:person:tomas-reyle"}
    assert ok(client, "/api/quotes", actor="new:person:tomas-reyle")["total"] == 3
    assert ok(client, "/api/quotes", actor="new:person:tomas")["total"] == 0  # exact id
    assert {r["country"] for r in ok(client, "/api/quotes", country="ost")["quotes"]} == {"OST"}
    assert ok(client, "/api/quotes", since="2025-03-01", until="2025-03-31")["total"] == 3
    assert ok(client, "/api/quotes", q="ceasefire", country="OST")["total"] == 1
    assert ok(client, "/api/quotes", q="ceasefire", until="2025-02-28")["total"] == 1
    assert ok(client, "/api/quotes", article="web-apr")["total"] == 1

    first, second = (ok(client, "/api/quotes", limit=2, offset=o) for o in (0, 2))
    assert first["total"] == second["total"] == 6 and first["limit"] == 2 and second["offset"] == 2
    assert [r["content"] for r in first["quotes"] + second["quotes"]] == [r["content"] for r in everyone["quotes"][:4]]
    assert ok(client, "/api/quotes", offset=100)["quotes"] == []


def test_the_actor_page_data(client):
    page = ok(client, "/api/actors")
    assert page["total"] == 5
    assert page["actors"][0]["id"] == "new:person:tomas-reyle"  # most quoted first
    assert [a["id"] for a in ok(client, "/api/actors", q="velk")["actors"]] == ["new:person:amara-velk"]
    assert {a["id"] for a in ok(client, "/api/actors", country="OST")["actors"]} == {"new:person:tomas-reyle",
                                                                                      "new:state:ostrane"}
    d = ok(client, "/api/actors/new:state:ostrane")
    assert d["actor"]["name"] == "Ostrane" and d["actor"]["events"] == 5
    assert {m["month"]: (m["acted"], m["acted_on"], m["conflict"], m["cooperation"]) for m in d["timeline"]} == {
        "2025-02": (1, 1, 1, 1), "2025-03": (3, 0, 3, 0)}  # undated events take the article's date
    (to,) = [c for c in d["counterparts"] if c["direction"] == "to"]
    assert (to["id"], to["events"], to["conflict"], to["cooperation"]) == ("new:state:veloria", 4, 4, 0)
    (frm,) = [c for c in d["counterparts"] if c["direction"] == "from"]
    assert (frm["id"], frm["cooperation"], frm["goldstein"]) == ("new:state:veloria", 1, 4.0)
    assert len(d["events"]) == 5 and d["quotes"] == []
    velk = ok(client, "/api/actors/new:person:amara-velk")
    assert [q["n"] for q in velk["quotes"]] == [0, 1] and velk["timeline"][0]["statements"] == 2
    assert [c["id"] for c in velk["counterparts"]] == ["new:person:ilse-marrow"]
    r = client.get("/api/actors/nobody")
    assert r.status_code == 404 and "no actor" in r.json()["detail"]


def test_events_and_their_filters(client):
    page = ok(client, "/api/events")
    assert page["total"] == 6
    rejected = ok(client, "/api/events", source="OST", type="REJECT")["events"]
    assert [(e["type"], e["source"], e["target"], e["trigger"]) for e in rejected] == [
        ("REJECT", ["new:state:ostrane"], ["new:state:veloria"], "rejected")]
    assert rejected[0]["source_names"] == ["Ostrane"] and rejected[0]["sentence"].startswith("Ostrane rejected")
    assert ok(client, "/api/events", target="Velk")["total"] == 1
    assert ok(client, "/api/events", actor="new:person:amara-velk")["total"] == 1
    flags = {e["type"]: (e["negated"], e["hypothetical"]) for e in ok(client, "/api/events", source="ostrane")["events"]}
    assert flags == {"ACCUSE": (False, False), "REJECT": (False, False), "SANCTION": (False, True),
                     "ASSAULT": (True, False)}
    assert ok(client, "/api/events", since="2025-04-01")["total"] == 1
    assert client.get("/api/events", params={"type": "INVADE"}).status_code == 422


def test_events_and_quotes_by_confidence_and_assertion(client):
    # the hypothetical sanction is the one event the analyzer was less sure of
    sure = ok(client, "/api/events", min_confidence=0.6)
    assert sure["total"] == 5 and "SANCTION" not in {e["type"] for e in sure["events"]}
    asserted = ok(client, "/api/events", source="ostrane", asserted="true")["events"]
    assert sorted(e["type"] for e in asserted) == ["ACCUSE", "REJECT"]   # not the denied attack, not the "if"
    assert ok(client, "/api/events", asserted="false")["total"] == 6
    quotes = ok(client, "/api/quotes", min_confidence=0.9)["quotes"]
    assert sorted(q["confidence"] for q in quotes) == [0.9, 0.9, 0.93, 0.95]
    assert ok(client, "/api/quotes", speaker="Reyle", min_confidence=0.9)["total"] == 1
    r = client.get("/api/events", params={"min_confidence": "2"})
    assert r.status_code == 422 and "min_confidence" in r.json()["detail"]


def test_the_network_splits_cooperation_from_conflict(client):
    net = ok(client, "/api/network")
    edges = {(e["source"], e["target"], e["kind"]): e["weight"] for e in net["edges"]}
    # negated and hypothetical events are left out unless asked for
    assert edges == {("new:state:ostrane", "new:state:veloria", "conflict"): 2,
                     ("new:state:veloria", "new:state:ostrane", "cooperation"): 1,
                     ("new:person:ilse-marrow", "new:person:amara-velk", "cooperation"): 1}
    assert {n["id"] for n in net["nodes"]} == {"new:state:ostrane", "new:state:veloria", "new:person:ilse-marrow",
                                               "new:person:amara-velk"}
    ost = next(n for n in net["nodes"] if n["id"] == "new:state:ostrane")
    assert (ost["outgoing"], ost["incoming"], ost["conflict"], ost["cooperation"]) == (2, 1, 2, 1)
    every = {(e["source"], e["target"], e["kind"]): e["weight"] for e in ok(client, "/api/network",
                                                                              asserted="false")["edges"]}
    assert every[("new:state:ostrane", "new:state:veloria", "conflict")] == 4
    assert len(ok(client, "/api/network", since="2025-04-01")["edges"]) == 1
    assert ok(client, "/api/network", type="AGREE")["edges"][0]["kind"] == "cooperation"
    top = ok(client, "/api/network", limit=1)
    assert len(top["edges"]) == 1 and top["total_edges"] == 3 and top["edges"][0]["weight"] == 2


# ---------------------------------------------------------------- bad input: 404 and 422, never 500

@pytest.mark.parametrize("path,params", [
    ("/api/quotes", {"limit": 0}), ("/api/quotes", {"limit": 100000}), ("/api/quotes", {"offset": -1}),
    ("/api/quotes", {"since": "2025-13-01"}), ("/api/quotes", {"until": "yesterday"}),
    ("/api/quotes", {"country": "CHINA"}), ("/api/quotes", {"q": "x" * 5000}), ("/api/quotes", {"since": "1e9"}),
    ("/api/actors", {"kind": "wizard"}), ("/api/network", {"limit": -5}),
    ("/api/network", {"asserted": "perhaps"}), ("/api/events", {"type": "accuse"}),
])
def test_bad_input_is_refused_with_a_message(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.json()["detail"]


def test_a_nul_character_is_a_space_in_words_and_not_found_in_an_id(client):
    # PostgreSQL refuses NUL in text: the server must not pass one on (nor fail with a 500)
    assert ok(client, "/api/quotes", q="promise\x00")["total"] == 1
    assert ok(client, "/api/quotes", speaker="\x00Reyle")["total"] == 3  # " reyle" in "tomas reyle"
    assert ok(client, "/api/events", source="Ostrane\x00")["total"] == 0
    assert client.get("/api/articles/web-feb%00").status_code == 404
    assert client.get("/api/actors/%00").status_code == 404


def test_unknown_pages_are_404_and_search_syntax_is_just_words(client):
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/nothing-here").status_code == 404
    for q in ['"', "AND OR NOT", "NEAR(a b)", "*", "a:b", "(((", "'; DROP TABLE articles; --", "ünïcödé 北京"]:
        assert ok(client, "/api/quotes", q=q)["total"] >= 0
        assert ok(client, "/api/articles", q=q)["total"] >= 0


# ---------------------------------------------------------------- read-only, and usable while an ingest writes

def test_the_server_cannot_write(served):
    client = served[0]
    pool = client.app.state.pool
    with pool.store() as store, pytest.raises((sqlite3.OperationalError, psycopg.errors.ReadOnlySqlTransaction)):
        store.db.execute("DELETE FROM attributions")
    assert ok(client, "/api/stats")["attributions"] == 6


def test_reads_go_on_while_an_ingest_holds_a_write_transaction(served):
    client, url, _ = served
    analysis, article = web_data.articles()[0]
    analysis.id = article.id = "web-concurrent"
    writer = open_store(url)
    try:
        with writer.db.transaction():
            writer.add(analysis, article)
            # the write is not committed: the server answers at once, without it
            assert ok(client, "/api/stats")["articles"] == 3
            assert client.get("/api/articles/web-concurrent").status_code == 404
        assert ok(client, "/api/stats")["articles"] == 4  # committed: seen by the next request
        assert ok(client, "/api/articles/web-concurrent")["id"] == "web-concurrent"
        with writer.db.transaction():
            for table in ("event_actors", "events", "attributions", "mentions", "fingerprints", "articles"):
                col = "id" if table == "articles" else "article_id"
                writer.db.execute(f"DELETE FROM {table} WHERE {col} = ?", ("web-concurrent",))
    finally:
        writer.close()
    assert ok(client, "/api/stats")["articles"] == 3


def test_a_missing_store_is_refused_at_start(tmp_path):
    missing = tmp_path / "nothing.db"
    with pytest.raises(StoreError, match="no such database"):
        open_readonly(missing)
    assert not missing.exists()  # not created by looking
    r = subprocess.run([sys.executable, "-m", "thucydides", "serve", "--db", str(missing)], capture_output=True,
                       text=True, timeout=60, check=False)
    assert r.returncode == 2 and "no such database" in r.stderr and "thucydides ingest" in r.stderr


# ---------------------------------------------------------------- the page and its headers

def test_pages_are_static_files_with_a_strict_policy(client):
    for path in ("/", "/quotes", "/articles", "/actors", "/network", "/articles/web-feb",
                 "/actors/new:person:amara-velk"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert '<script src="/static/app.js"' in r.text
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    page = client.get("/").text + client.get("/static/style.css").text
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js


# ---------------------------------------------------------------- POST /api/analyze

@pytest.fixture(scope="module")
def sqlite_client(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("web-analyze") / "store.db")
    web_data.fill(url)
    with TestClient(create_app(url)) as client:
        yield client


def test_analyze_returns_a_record_and_refuses_oversized_text(sqlite_client):
    client = sqlite_client  # the analysis does not touch the store: one database is enough
    text = ("GENEVA — Ilse Marrow, the United Nations special envoy, said on Monday that talks between "
            "Veloria and Ostrane would resume next week.\n“The door remains open,” Marrow told reporters.\n")
    r = client.post("/api/analyze", json={"text": text, "published": "2025-06-12", "title": "Talks"})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["text"] == text and rec["published"] == "2025-06-12" and rec["title"] == "Talks"
    assert any("door remains open" in a["content"]["text"] for a in rec["attributions"])
    for a in rec["attributions"]:
        assert text[a["content"]["start"]:a["content"]["end"]] == a["content"]["text"]
    assert ok(client, "/api/stats")["articles"] == 3  # nothing stored

    from thucydides.web.models import MAX_ANALYZE_CHARS

    assert client.post("/api/analyze", json={"text": "x" * (MAX_ANALYZE_CHARS + 1)}).status_code == 422
    r = client.post("/api/analyze", content=b'{"text": "' + b"x" * (5 * MAX_ANALYZE_CHARS) + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and "at most" in r.json()["detail"]
    assert client.post("/api/analyze", json={"text": ""}).status_code == 422
    assert client.post("/api/analyze", json={"words": "x"}).status_code == 422
    assert client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}
                       ).status_code == 422
    assert client.post("/api/analyze", json={"text": "x", "published": "soon"}).status_code == 422
