"""The paged quote search behind /api/quotes: both ways of answering it give the same page.

On SQLite a search that matches many statements walks the articles newest first instead of
sorting every match; here both plans, and the automatic choice, must return the same rows in
the same order (dates with ties and missing dates included) and the same totals, on a store
of generated fictional statements.
"""
from __future__ import annotations

import random

import pytest
from conftest import DatabaseFactory

from thucydides.model import Actor, Analysis, Attribution, Span
from thucydides.store import browse, open_store
from thucydides.store.readonly import open_readonly

WORDS = ["ceasefire", "border", "grain", "talks", "sanctions", "truce", "envoy", "corridor", "river", "harbour",
         "ferry", "lantern", "orchard", "quarry", "tunnel"]
COUNTRIES = ["VLR", "OST", "MRN", "CLD"]
DATES = [None, "2025-01-03", "2025-01-03", "2025-02-10", "2025-03-15", "2025-03-15", "2025-04-01"]


def _store(url: str, articles: int = 150, per_article: int = 6, seed: int = 5) -> None:
    rng = random.Random(seed)
    people = [Actor(f"new:person:p{i}", f"Person {i}", "person", COUNTRIES[i % 4]) for i in range(12)]
    with open_store(url) as store:
        for a in range(articles):
            parts, atts = [f"Report {a}\n\n"], []
            for _ in range(per_article):
                who = rng.choice(people)
                # a word is in about one statement in len(WORDS) / k: "ceasefire" often, "tunnel" rarely
                content = " ".join(rng.choices(WORDS, weights=[1 / (i + 1) ** 1.5 for i in range(len(WORDS))], k=5))
                lead = f"{who.name} said: “"
                start = sum(map(len, parts)) + len(lead)
                parts.append(f"{lead}{content}.”\n")
                text_so_far = "".join(parts)
                atts.append(Attribution("direct", Span(start, start + len(content), content),
                                        speaker=who.id, confidence=0.9))
                assert text_so_far[start:start + len(content)] == content
            text = "".join(parts)
            store.add(Analysis(id=f"a{a:04d}", text=text, title=f"Report {a}", published=rng.choice(DATES),
                               actors=people, attributions=atts))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, tmp_path_factory):
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp("queries"))
    url = factory()
    _store(url)
    store = open_readonly(url)
    yield store.db
    store.close()
    factory.cleanup()


QUERIES = [
    {}, {"search": "ceasefire"}, {"search": "tunnel"}, {"search": "ceasefire border"}, {"search": '"grain talks"'},
    {"search": "ceasefire", "country": "OST"}, {"search": "border", "since": "2025-02-01"},
    {"search": "ceasefire", "until": "2025-01-31"}, {"search": "truce", "speaker": "person 3"},
    {"country": "VLR"}, {"country": "ZZZ"}, {"speaker_id": "new:person:p4"}, {"since": "2025-03-15"},
    {"search": "ceasefire", "offset": 120}, {"search": "ceasefire", "offset": 10_000}, {"search": "nowhere"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: ",".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_walking_and_sorting_give_the_same_page(db, query):
    query = dict(query)
    offset = query.pop("offset", 0)
    everything, n, exact = browse.quotes(db, **query, limit=10_000, plan="sort")
    assert exact and n == len(everything)
    keys = [(r["published"] is None, r["published"] or "", r["article_id"], r["n"]) for r in everything]
    # newest first, undated last, then by article and position
    assert keys == sorted(keys, key=lambda k: (k[0], tuple(-ord(c) for c in k[1]), k[2], k[3]))
    for limit in (7, 50):
        expected = everything[offset:offset + limit]
        pages = {plan: browse.quotes(db, **query, limit=limit, offset=offset, plan=plan)
                 for plan in ("sort", "walk", "auto")}
        for plan, (rows, total, exact) in pages.items():
            assert rows == expected, plan
            if exact:
                assert total == len(everything), plan
            else:
                assert browse.COUNT_CAP <= total <= len(everything), plan


def test_a_filtered_count_stops_at_the_cap(db, monkeypatch):
    everything, n, _ = browse.quotes(db, search="ceasefire", country="OST", limit=10_000)
    assert n > 12
    monkeypatch.setattr(browse, "COUNT_CAP", 10)
    rows, total, exact = browse.quotes(db, search="ceasefire", country="OST", limit=5)
    assert (total, exact) == (10, False) and rows == everything[:5]
    rows, total, exact = browse.quotes(db, search="ceasefire", country="OST", limit=5, offset=n - 2)
    assert exact and total == n and rows == everything[-2:]  # the last page knows where it ends


@pytest.mark.parametrize("query", [q for q in QUERIES if "search" in q],
                         ids=lambda q: ",".join(f"{k}={v}" for k, v in q.items()))
def test_a_search_gives_the_same_page_from_its_list_of_matches_or_from_the_index(db, query, monkeypatch):
    """PostgreSQL answers a search with few matches from the list of them, one with many by
    walking the articles: the page and the total must not depend on which."""
    from thucydides.store import queries

    query = dict(query)
    offset = query.pop("offset", 0)
    listed = browse.quotes(db, **query, limit=20, offset=offset)
    monkeypatch.setattr(queries, "FEW_MATCHES", 0)  # every search now counts as one with many matches
    assert browse.quotes(db, **query, limit=20, offset=offset) == listed
