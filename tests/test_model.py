"""The contract record: its JSON form and round trip."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thucydides.model import Actor, Analysis, Attribution, Event, Span, article_id


def sample() -> Analysis:
    text = "Guo said: “Dialogue is the way.” China welcomed the talks."
    g = Span.of(text, 0, 3)
    return Analysis(
        id=article_id(text), text=text, path="x.txt", title="T", published="2025-02-14", source="S",
        actors=[Actor(id="person:guo-jiakun", name="Guo Jiakun", kind="person", country="CHN", sector="GOV",
                      role="Foreign Ministry spokesperson", mentions=[g])],
        attributions=[Attribution(kind="direct", content=Span.of(text, 11, 31), cue=Span.of(text, 4, 8),
                                  source=g, speaker="person:guo-jiakun", medium=None, confidence=0.9)],
        events=[Event(type="SUPPORT", sentence=Span.of(text, 33, len(text)), trigger=Span.of(text, 39, 47),
                      cameo="051", goldstein=3.4, quad="verbal-cooperation", source=["CHN"], target=[],
                      source_span=Span.of(text, 33, 38), confidence=0.7)],
    )


def test_round_trip_is_identity():
    a = sample()
    assert Analysis.from_dict(a.to_dict()) == a


def test_json_form_has_every_contract_field():
    d = sample().to_dict()
    assert set(d) >= {"id", "path", "title", "published", "source", "text", "actors", "attributions", "events"}
    assert set(d["actors"][0]) >= {"id", "name", "kind", "country", "sector", "role", "wikidata", "mentions"}
    assert set(d["attributions"][0]) >= {"kind", "content", "cue", "source", "speaker", "medium", "confidence"}
    assert set(d["events"][0]) >= {"type", "mode", "cameo", "goldstein", "quad", "source", "target", "source_span",
                                   "target_span", "trigger", "sentence", "date", "location", "negated",
                                   "hypothetical", "future", "reported_by", "confidence"}
    for span in (d["attributions"][0]["content"], d["events"][0]["trigger"]):
        assert d["text"][span["start"]:span["end"]] == span["text"]


@given(st.text(min_size=1, max_size=200), st.data())
def test_span_of_indexes_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s = Span.of(text, start, end)
    assert text[s.start:s.end] == s.text
    assert Span.from_dict(s.to_dict()) == s


def test_article_id_ignores_whitespace_differences():
    assert article_id("China  said\nit welcomes") == article_id("China said it welcomes")
    assert article_id("China said") != article_id("Russia said")
