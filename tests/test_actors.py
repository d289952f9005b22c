"""Mentions to actors, case by case (tests/actor_cases.yaml), through the real pipeline."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from thucydides.model import Article

CASES = yaml.safe_load((Path(__file__).parent / "actor_cases.yaml").read_text(encoding="utf-8"))


def _case_id(c: dict) -> str:
    return f"{c['mention']}|{c['text'][:40]}|{c.get('date', '')}"


def test_there_are_enough_cases():
    assert len(CASES) >= 150
    assert len({_case_id(c) for c in CASES}) == len(CASES), "two cases are the same"


def _locate(text: str, mention: str, at: int = 1) -> tuple[int, int]:
    """The Nth occurrence of the mention as whole words ("he" is not in "the")."""
    found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", text)]
    assert len(found) >= at, f"the case's mention {mention!r} (occurrence {at}) is not in its text"
    return found[at - 1]


def _actor_of(analysis, start: int, end: int):
    """The actor one of whose mentions is the mention, or covers it, or lies inside it."""
    best, best_key = None, None
    for a in analysis.actors:
        for m in a.mentions:
            inter = min(m.end, end) - max(m.start, start)
            if inter <= 0:
                continue
            nested = (m.start <= start and end <= m.end) or (start <= m.start and m.end <= end)
            if not nested:
                continue
            key = (m.start == start and m.end == end, inter)
            if best_key is None or key > best_key:
                best, best_key = a, key
    return best


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_mention_resolves_to_actor(pipeline, case):
    date = case.get("date")
    published = date.isoformat() if isinstance(date, dt.date) else date
    analysis = pipeline.analyze(Article(text=case["text"], published=published))
    start, end = _locate(case["text"], case["mention"], case.get("at", 1))
    actor = _actor_of(analysis, start, end)
    if case.get("actor") == "none":
        assert actor is None, f"{case['mention']!r} became an actor: {actor}"
        return
    assert actor is not None, f"{case['mention']!r} is no actor's mention; actors: " + \
        ", ".join(f"{a.name} {[m.text for m in a.mentions]}" for a in analysis.actors)
    got = {"id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country, "sector": actor.sector,
           "role": actor.role}
    for key in ("id", "name", "kind", "country", "sector"):
        if key in case:
            assert got[key] == case[key], f"{key}: {got[key]!r}, expected {case[key]!r} ({got})"
    if "role" in case:
        assert (actor.role or "").lower() == case["role"].lower(), f"role {actor.role!r}, expected {case['role']!r}"
    if "role_has" in case:
        assert case["role_has"].lower() in (actor.role or "").lower(), f"role {actor.role!r}"


def test_seed_actors_have_the_gold_kind_country_and_mentions(seed_analysis, seed_gold):
    """Every actor of the seed's hand annotation, with its kind, country, sector and mentions."""
    by_name = {a.name: a for a in seed_analysis.actors}
    for g in seed_gold["actors"]:
        a = by_name.get(g["name"])
        assert a is not None, f"{g['name']} is not among the actors"
        assert (a.kind, a.country) == (g["kind"], g["country"]), (g["name"], a.kind, a.country)
        if g["kind"] == "person":
            assert a.sector == g["sector"], (g["name"], a.sector)
            gold_role = g["role"].lower().replace("defense secretary", "secretary of defense")
            assert gold_role.split()[-1].rstrip("r") in (a.role or "").lower().replace("adviser", "advisor"), \
                (g["name"], a.role)
        said = {m.text for m in a.mentions}
        for mention in g.get("mentions", []):
            assert mention in said or "the " + mention in said or mention.removeprefix("the ") in said, \
                (g["name"], mention, said)
