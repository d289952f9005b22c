"""The reference article (../shared/seed): every part must be right on it."""
from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed_helpers import find_attribution, overlaps, same_actor, trim

from thucydides.model import Analysis, Article

SNAPSHOT = Path(__file__).parent / "snapshots" / "seed.json"


def test_every_span_indexes_the_text(seed_analysis):
    text = seed_analysis.text
    spans = list(seed_analysis.spans())
    assert len(spans) > 50
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_text_is_the_file_exactly(seed_analysis, seed_text):
    assert seed_analysis.text == seed_text


def test_all_direct_quotes_found_with_their_speaker(seed_analysis, seed_gold):
    gold = [q for q in seed_gold["quotes"] if q["kind"] == "direct"]
    assert len(gold) == 7
    for q in gold:
        att = find_attribution(seed_analysis, q)
        assert att is not None, f"missed direct quote «{q['content']['text'][:50]}»"
        assert same_actor(q["speaker"], seed_analysis.actor(att.speaker)) or (
            q["speaker"].endswith("(unnamed)") and seed_analysis.actor(att.speaker).name == q["speaker"]), \
            f"«{q['content']['text'][:40]}» given to {att.speaker}, gold {q['speaker']}"
    # at most one direct quote the annotation does not have ("great power" is a scare quote)
    text = seed_analysis.text
    gold_spans = [trim(text, q["content"]["start"], q["content"]["end"]) for q in gold]
    extra = [a for a in seed_analysis.attributions if a.kind in ("direct", "mixed")
             and not any(overlaps(g, trim(text, a.content.start, a.content.end)) for g in gold_spans)]
    assert len(extra) <= 1, [a.content.text for a in extra]
    assert not any("great power" == a.content.text for a in seed_analysis.attributions)


def test_all_gold_attributions_have_the_right_speaker_and_country(seed_analysis, seed_gold):
    for q in seed_gold["quotes"]:
        att = find_attribution(seed_analysis, q)
        assert att is not None, f"missed «{q['content']['text'][:50]}»"
        actor = seed_analysis.actor(att.speaker)
        assert actor is not None, f"no speaker for «{q['content']['text'][:40]}»"
        assert same_actor(q["speaker"], actor) or actor.name == q["speaker"], (actor.name, q["speaker"])
        assert actor.country == q["speaker_country"], (actor.name, actor.country)


def test_spokesperson_and_surname_resolve_to_guo_jiakun(seed_analysis):
    guo = next(a for a in seed_analysis.actors if a.name == "Guo Jiakun")
    assert (guo.kind, guo.country, guo.sector) == ("person", "CHN", "GOV")
    assert "spokesperson" in guo.role.lower()
    said = [a for a in seed_analysis.attributions if a.speaker == guo.id]
    assert {a.source.text for a in said} >= {"Chinese Foreign Ministry spokesperson Guo Jiakun", "Guo",
                                             "the spokesperson"}


def test_media_are_detected(seed_analysis):
    media = {a.medium for a in seed_analysis.attributions if a.medium}
    assert "Truth Social post" in media and "X" in media


# ---------------------------------------------------------------- the snapshot

def digest(a: Analysis) -> dict:
    """The analysis without the article's words: offsets, codes and resolved names."""
    def sp(s):
        return [s.start, s.end] if s else None
    return {
        "actors": sorted([a_.id, a_.name, a_.kind, a_.country, a_.sector, a_.role, len(a_.mentions)]
                         for a_ in a.actors),
        "attributions": [[x.kind, sp(x.content), sp(x.cue), sp(x.source), x.speaker, x.medium]
                         for x in a.attributions],
        "events": [[e.type, e.cameo, e.source, e.target, sp(e.trigger), e.date, e.location, e.negated,
                    e.hypothetical, e.future, e.reported_by] for e in a.events],
    }


def test_snapshot_of_the_seed_analysis(seed_analysis):
    """Any change in what the seed yields shows here; rewrite with UPDATE_SNAPSHOTS=1 after review."""
    now = digest(seed_analysis)
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(now, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for key in ("actors", "attributions", "events"):
        assert now[key] == before[key], f"the seed's {key} changed; review and run UPDATE_SNAPSHOTS=1 pytest"


# ---------------------------------------------------------------- offsets on generated text

PIECES = ["China", "Guo Jiakun", "the spokesperson", "said", "told reporters", "“", "”", '"', "‘", "’",
          "Beijing", "Moscow’s war", "\n", "\n\n", ", ", ". ", "welcomed the talks", "according to Xinhua",
          "Trump‘s call", "U.S.-Russia", "Wang Yi", "was dismissed by", "🙂", "é", "\r\n", "  ", "—", ":"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_offsets_hold_on_generated_text(pipeline, pieces):
    text = " ".join(pieces)
    if not text.strip():
        return
    a = pipeline.analyze(Article(text=text, published="2025-02-14"))
    assert a.text == text
    for s in a.spans():
        assert 0 <= s.start <= s.end <= len(text)
        assert text[s.start:s.end] == s.text
    assert Analysis.from_dict(json.loads(json.dumps(a.to_dict()))) == a
