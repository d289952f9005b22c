"""The store on a real SQLite file and a real PostgreSQL server: writing, reading, searching, migrating."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thucydides.model import Article
from thucydides.store import SCHEMA_VERSION, StoreError, open_store
from thucydides.store.queries import fts5_query
from thucydides.store.store import passage

TEXT = """Veloria and Ostrane agree to reopen border crossings

PORT ILVAR, June 12, 2025 — Amara Velk, Veloria's foreign minister, said on Thursday that the crossings
would reopen next week.
“We have kept every promise we made in this room,” Velk told reporters in Port Ilvar.
Tomas Reyle, Ostrane's prime minister, rejected the claim that his forces had shelled the village of Dorrec.
"""


@pytest.fixture(scope="module")
def analysed(pipeline):
    article = Article(text=TEXT, path="veloria.txt", title="Veloria and Ostrane agree to reopen border crossings",
                      published="2025-06-12", url="https://news.example/veloria")
    return article, pipeline.analyze(article)


def test_a_stored_article_gives_back_its_record_and_its_rows(db_url, analysed):
    article, analysis = analysed
    with open_store(db_url) as store:
        store.add(analysis, article)
        assert store.get(analysis.id) == analysis.to_dict()
        assert store.get("no-such-id") is None
        stats = store.stats()
        assert stats["articles"] == 1
        assert stats["attributions"] == len(analysis.attributions) > 0
        assert stats["events"] == len(analysis.events)
        assert stats["actors"] >= len(analysis.actors) > 0

        quotes = store.quotes(speaker="Velk")
        direct = [q for q in quotes if q["kind"] == "direct"]
        assert direct and direct[0]["content"].startswith("We have kept every promise")
        q = direct[0]
        assert "Velk" in q["speaker_name"] and q["published"] == "2025-06-12"
        assert q["link"] == "https://news.example/veloria"
        assert TEXT[q["content_start"]:q["content_end"]] == q["content"]
        assert "told reporters in Port Ilvar" in q["sentence"]  # the evidence sentence


def test_adding_again_replaces_instead_of_adding(db_url, analysed):
    article, analysis = analysed
    with open_store(db_url) as store:
        store.add(analysis, article)
        before = store.stats()
        store.add(analysis, article)
        assert store.stats() == before


def test_full_text_search_stems_and_filters_combine(db_url, analysed):
    article, analysis = analysed
    with open_store(db_url) as store:
        store.add(analysis, article)
        # "promises" finds "promise" on both databases (FTS5 porter / PostgreSQL english)
        assert [q["content"][:16] for q in store.quotes(search="promises")] == ["We have kept eve"]
        assert store.quotes(search='"every promise"')
        assert store.quotes(search="U.S.-Russia (ceasefire") == []  # punctuation is not query syntax
        assert store.quotes(search="promise", since="2025-06-13") == []
        assert store.quotes(search="promise", until="2025-06-12")
        assert store.quotes(speaker="Nobody Atall") == []
        assert [a["id"] for a in store.articles(search="crossings")] == [analysis.id]
        assert store.articles(search="tariffs") == []


def test_events_and_actors_are_listed_with_their_parties(db_url, analysed):
    article, analysis = analysed
    with open_store(db_url) as store:
        store.add(analysis, article)
        events = store.events()
        assert len(events) == len(analysis.events)
        for e in events:
            assert set(e) >= {"type", "cameo", "source", "target", "sentence", "trigger", "negated", "link"}
            assert isinstance(e["negated"], bool)
        for e in analysis.events:
            if e.source:
                assert store.events(source=e.source[0], type=e.type)
        actors = {a["id"]: a for a in store.actors()}
        velk = [a for a in actors.values() if "Velk" in a["name"]]
        assert velk and sum(a["statements"] for a in velk) >= 1 and velk[0]["articles"] == 1
        assert "Velk" in store.actors(search="velk")[0]["name"]


def test_an_old_database_is_migrated_and_its_articles_become_searchable(db_url, analysed):
    article, analysis = analysed
    with open_store(db_url, version=1) as store:
        assert store.db.execute("SELECT MAX(version) FROM schema_version")[0][0] == 1
        store.add(analysis, article)
    with open_store(db_url) as store:
        assert store.db.execute("SELECT MAX(version) FROM schema_version")[0][0] == SCHEMA_VERSION
        assert store.quotes(search="promise")
        assert store.get(analysis.id) == analysis.to_dict()


def test_a_newer_database_is_refused(db_url):
    with open_store(db_url) as store:
        store.db.execute("INSERT INTO schema_version (version, description, applied) VALUES (99, 'future', 'x')")
    with pytest.raises(StoreError, match="upgrade thucydides"):
        open_store(db_url)


def test_unreachable_postgresql_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL.*check that the server runs") as err:
        open_store("postgresql://someone:secret@127.0.0.1:9/nothing?connect_timeout=2")
    assert "secret" not in str(err.value)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open it as a SQLite database"):
        open_store(str(p))


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_search_text_makes_a_valid_full_text_query(text):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('Veloria and Ostrane agree to a ceasefire')")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (fts5_query(text),)).fetchall()


@given(st.text(alphabet=st.sampled_from("ab .!?\n“”\""), max_size=80), st.data())
@settings(max_examples=300, deadline=None)
def test_the_evidence_passage_indexes_the_text_and_holds_the_span(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    offset, p = passage(text, start, end)
    assert text[offset:offset + len(p)] == p and p == p.strip()
    core = text[start:end].strip()
    if core and "\n" not in core:
        assert core in p
