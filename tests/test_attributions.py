"""Attributions on constructions a news analyst meets every day (fictional people and places)."""
from __future__ import annotations

import pytest

from thucydides.model import Article


@pytest.fixture(scope="module")
def analyze(pipeline):
    def run(text: str, published: str = "2025-06-12"):
        return pipeline.analyze(Article(text=text, published=published))
    return run


def by_content(a, fragment: str):
    hits = [x for x in a.attributions if fragment in x.content.text]
    assert hits, f"no attribution holds «{fragment}»: {[x.content.text for x in a.attributions]}"
    return hits[0]


def speaker_name(a, att) -> str | None:
    actor = a.actor(att.speaker)
    return actor.name if actor else None


def test_said_after_a_quote_and_before_one(analyze):
    a = analyze("“We will not accept a partition of the valley,” Foreign Minister Amara Velk said on Tuesday.\n"
                "Prime Minister Tomas Reyle said: “Our troops will stay where they are.”")
    q1 = by_content(a, "We will not accept a partition of the valley")
    q2 = by_content(a, "Our troops will stay where they are")
    assert q1.kind == q2.kind == "direct"
    assert speaker_name(a, q1) == "Amara Velk" and speaker_name(a, q2) == "Tomas Reyle"
    assert q1.cue.text.endswith("said") and q2.cue.text.startswith("said")


def test_reported_speech_with_that_and_without(analyze):
    a = analyze("Amara Velk told reporters that the border would reopen within a week. "
                "Tomas Reyle said the talks had failed.")
    r1 = by_content(a, "the border would reopen within a week")
    r2 = by_content(a, "the talks had failed")
    assert r1.kind == r2.kind == "indirect"
    assert speaker_name(a, r1) == "Amara Velk" and speaker_name(a, r2) == "Tomas Reyle"


def test_according_to(analyze):
    a = analyze("According to Tomas Reyle, the ceasefire has held since Friday.")
    r = by_content(a, "the ceasefire has held since Friday")
    assert r.cue.text.lower() == "according to" and speaker_name(a, r) == "Tomas Reyle"


def test_pronoun_and_surname_resolve_to_the_person_named_before(analyze):
    a = analyze("Veloria's foreign minister, Amara Velk, arrived in Geneva on Monday.\n"
                "“This is the last chance for peace,” she said.\n"
                "“We came in good faith,” Velk added.")
    for frag in ("This is the last chance for peace", "We came in good faith"):
        assert speaker_name(a, by_content(a, frag)) == "Amara Velk"


def test_quote_over_two_paragraphs_is_one_quotation(analyze):
    a = analyze("Amara Velk said: “The valley belongs to those who live there.\n"
                "“No map drawn abroad will change that.”")
    q = by_content(a, "The valley belongs to those who live there")
    assert "No map drawn abroad will change that" in q.content.text
    assert speaker_name(a, q) == "Amara Velk"


def test_continued_quote_keeps_its_speaker(analyze):
    a = analyze("“The harder work starts now,” Tomas Reyle said. “Both sides must now show restraint "
                "along the whole frontier.”")
    q = by_content(a, "Both sides must now show restraint")
    assert speaker_name(a, q) == "Tomas Reyle"


def test_quote_split_by_its_cue_is_one_statement(analyze):
    a = analyze("“The harder work starts now,” said Tomas Reyle, the chief negotiator for the northern "
                "provinces. “Both sides must now show restraint along the whole frontier.”")
    q = by_content(a, "The harder work starts now")
    assert q.content.text.endswith("along the whole frontier") and q.kind == "direct"
    assert q.cue.text == "said" and speaker_name(a, q) == "Tomas Reyle"
    # its two pieces are not reported again as statements of their own
    assert [x.content.text for x in a.attributions if "restraint" in x.content.text] == [q.content.text]


def test_doubled_apostrophes_quote_like_double_marks(analyze):
    a = analyze("''Our troops will stay where they are,'' Prime Minister Tomas Reyle said on Monday.")
    q = by_content(a, "Our troops will stay where they are")
    assert q.kind == "direct" and q.content.text == "Our troops will stay where they are,"
    assert speaker_name(a, q) == "Tomas Reyle"


def test_partial_quote_inside_reported_speech(analyze):
    a = analyze("Tomas Reyle said the agreement was a “historic step” for both countries.")
    partial = [x for x in a.attributions if x.content.text == "historic step"]
    assert partial and partial[0].kind == "direct" and speaker_name(a, partial[0]) == "Tomas Reyle"
    whole = by_content(a, "the agreement was a")
    assert whole.kind == "indirect"


def test_one_quoted_word_inside_reported_speech_is_not_a_quotation_of_its_own(analyze):
    a = analyze("Tomas Reyle said the plan was “reckless” and would be withdrawn by the council.")
    assert not [x for x in a.attributions if x.content.text == "reckless"]
    whole = by_content(a, "the plan was “reckless” and would be withdrawn")
    assert whole.kind == "indirect" and speaker_name(a, whole) == "Tomas Reyle"


def test_scare_quotes_and_titles_are_not_attributed(analyze):
    a = analyze("The two countries have long argued over the so-called “green line” along the river. "
                "Amara Velk's memoir, “A Valley Divided”, appeared in 2019.")
    assert not [x for x in a.attributions if x.content.text in ("green line", "A Valley Divided")]


def test_medium_is_read_from_the_sentence(analyze):
    a = analyze("In a post on X, Amara Velk wrote that the ceasefire was holding.\n"
                "Tomas Reyle said in a statement that his government would respect the truce.\n"
                "Speaking at a press conference in Geneva, the envoy Ilse Marrow said the talks would go on.")
    assert by_content(a, "the ceasefire was holding").medium == "X"
    assert by_content(a, "his government would respect the truce").medium == "statement"
    assert by_content(a, "the talks would go on").medium == "press conference"


def test_unnamed_sources_get_a_description_and_a_country(analyze):
    a = analyze("A senior White House official said the proposal was not viable.")
    r = by_content(a, "the proposal was not viable")
    actor = a.actor(r.speaker)
    assert actor is not None and actor.name.endswith("(unnamed)") and actor.country == "USA"


def test_confidence_orders_clear_cues_above_guesses(analyze):
    a = analyze("“We are ready,” Amara Velk said.\nThe talks, “a circus” to some, went on.")
    clear = by_content(a, "We are ready")
    assert 0.0 <= clear.confidence <= 1.0
    assert all(clear.confidence >= x.confidence for x in a.attributions)


def test_a_cue_never_runs_into_what_it_introduces(analyze):
    """Over the sample articles: a cue ends before its content starts, unless the cue sits
    inside a quotation it splits ("“A,” she said. “B.”")."""
    from pathlib import Path

    examples = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
    assert examples, "the sample articles are missing"
    seen = 0
    for path in examples:
        a = analyze(path.read_text(encoding="utf-8"))
        for att in a.attributions:
            if att.cue is None:
                continue
            seen += 1
            assert not (att.cue.start < att.content.start < att.cue.end), \
                f"{path.name}: cue {att.cue.text!r} runs into content {att.content.text[:40]!r}"
    assert seen > 20


def test_a_participle_speaks_for_the_subject_of_its_clause(analyze):
    a = analyze("Ostrane's prime minister, Tomas Reyle, rejected accusations that his forces had shelled the "
                "village of Dorrec on Wednesday, calling the claim a fabrication meant to poison the talks.")
    rejected = by_content(a, "his forces had shelled the village")
    assert "calling" not in rejected.content.text   # the participle's clause is a statement of its own
    calling = by_content(a, "a fabrication meant to poison")
    assert speaker_name(a, calling) == "Tomas Reyle"
    assert "his forces" not in (calling.source.text if calling.source else "")


def test_what_is_urged_stops_where_the_cue_s_own_next_verb_begins(analyze):
    a = analyze("The governor of Veloria urged neighbouring states to bolster their defences "
                "but stopped short of naming a figure.\n"
                "Amara Velk called on the council to fund the clinics but warned against new taxes.")
    urged = by_content(a, "to bolster their defences")
    assert "stopped" not in urged.content.text and not urged.content.text.endswith("but")
    called = by_content(a, "to fund the clinics")
    assert "warned" not in called.content.text and not called.content.text.endswith("but")


def test_a_content_never_ends_with_its_own_source_and_cue():
    from thucydides.extract.attributions import _without_own_cue
    text = "People like Tomas Reyle belong in the council, she said in a statement."
    cue = (text.index("said"), text.index("said") + 4)
    source = (text.index("she"), text.index("she") + 3)
    s, e = _without_own_cue(text, (0, len(text) - 1), cue, source)
    assert text[s:e] == "People like Tomas Reyle belong in the council"
    # a cue in the middle of a quotation that goes on after it is left be
    text2 = "“We will stay,” she said. “We will not leave the valley.”"
    cue2 = (text2.index("said"), text2.index("said") + 4)
    assert _without_own_cue(text2, (1, len(text2) - 1), cue2, None) == (1, len(text2) - 1)


def test_a_quotation_signed_on_its_line_is_said_by_the_name(analyze):
    a = analyze("Readers in Marzin told us what they think of the new bridge.\n"
                "“It has cut my drive to work in half, and the tolls are fair.” ― Amara Velk\n"
                "“Nobody asked the people who live under it what they wanted.” ― Tomas Reyle.\n"
                "“The bridge is fine.”\n- Reuters\n")
    first = by_content(a, "It has cut my drive to work in half")
    second = by_content(a, "Nobody asked the people who live under it")
    assert first.kind == second.kind == "direct"
    assert first.cue.text == "―" and speaker_name(a, first) == "Amara Velk"
    assert speaker_name(a, second) == "Tomas Reyle"
    # a photo or agency credit is not a speaker
    assert all(x.source is None or "Reuters" not in x.source.text for x in a.attributions)


def test_a_transcript_turn_is_said_by_its_speaker_label(analyze):
    a = analyze("Velorian Foreign Minister Tomas Reyle spoke to the radio host Jonas Marrow on Sunday. "
                "Partial transcript as follows:\n\n"
                "“MARROW: Minister, will Veloria close the border with Ostrava?\n\n"
                "“REYLE: We have no plans to close it. Our talks with Ostrava continue.\n\n"
                "“And they will go on as long as they need to.\n\n"
                "“(CROSSTALK.)\n\n"
                "“MARROW: And if they fail?\n\n"
                "“REYLE: Then we will talk again.\n")
    turn = by_content(a, "We have no plans to close it")
    assert turn.kind == "direct" and turn.cue.text == ":" and turn.source.text == "REYLE"
    assert speaker_name(a, turn) == "Tomas Reyle"
    # a quote mark that runs on carries the turn over the next paragraph, not over a stage note
    assert turn.content.text.endswith("as long as they need to")
    question = by_content(a, "will Veloria close the border")
    assert question.source.text == "MARROW" and not question.content.text.startswith("MARROW")
    assert by_content(a, "Then we will talk again").source.text == "REYLE"
    # nothing claims a quotation made of the label and the run-on marks
    assert not any(x.content.text.lstrip("“ ").startswith(("MARROW:", "REYLE:")) for x in a.attributions)


def test_one_capitalised_label_is_not_a_transcript(analyze):
    a = analyze("UPDATE: The ministry said the border would stay open.\n\nWASHINGTON: Talks resumed.")
    assert not any(x.cue is not None and x.cue.text == ":" and x.source is not None
                   and x.source.text in ("UPDATE", "WASHINGTON") for x in a.attributions)


def test_a_headline_gives_a_statement_after_its_speaker_and_a_colon(analyze):
    a = analyze("Tomas Reyle: Talks With Ostrava Will Go On Despite the Shelling\n\n"
                "The Velorian foreign minister spoke in Marzin on Monday.")
    h = by_content(a, "Talks With Ostrava Will Go On")
    assert h.source.text == "Tomas Reyle" and h.cue.text == ":"
    assert speaker_name(a, h) == "Tomas Reyle"
    a = analyze("A lesson from Amara Velk: 'Be the voice that people hear.'\n\nThe minister spoke on Monday.")
    h = by_content(a, "Be the voice that people hear")
    assert h.source.text == "Amara Velk" and h.kind == "direct"
    # a label before the colon that names no one is not a speaker
    a = analyze("The Latest: Markets in Marzin fall for a third day\n\nShares fell on Monday.")
    assert not any(x.source is not None and x.source.text == "The Latest" and x.cue.text == ":"
                   for x in a.attributions)



def test_loss_report_accounts_for_every_gold_content():
    """training/attribution_losses.py puts each PolNeAR gold content in exactly one stage,
    and names a directory that is not a split instead of failing on it."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    from conftest import ROOT, SHARED, need_shared

    dev = need_shared(SHARED / "eval" / "polnear" / "dev")
    script = ROOT / "training" / "attribution_losses.py"
    out = subprocess.run([sys.executable, str(script), str(dev), "--limit", "3"], capture_output=True,
                         text=True, check=True).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    counts = {line[:26].strip(): int(line[26:].split()[0]) for line in lines if not line.startswith("content exact")}
    scored = {line.split(",")[1].split(":")[0].strip(): line for line in lines if line.startswith("content exact")}
    n_gold = 0
    for t in sorted((dev / "text").glob("*.txt"))[:3]:
        ann = sorted((dev / "attributions").glob(t.stem + "_*.ann"))[0]
        n_gold += sum(1 for line in ann.read_text(encoding="utf-8").splitlines()
                      if line.startswith("E") and "Content:" in line)
    assert counts["gold contents"] == n_gold > 0
    assert sum(v for k, v in counts.items() if k != "gold contents") == n_gold
    assert counts["exact"] > 0
    # the scores read the same final records: recall over all of them is the exact stage's share,
    # and leaving the partial quotes out never adds a record
    recall = float(re.search(r" R ([0-9.]+) ", scored["all records"]).group(1))
    assert abs(recall - 100 * counts["exact"] / n_gold) < 0.06
    n_records = {k: int(re.search(r"\((\d+) records\)", v).group(1)) for k, v in scored.items()}
    assert n_records["no partial records"] <= n_records["all records"]
    bad = subprocess.run([sys.executable, str(script), str(Path(__file__).parent)], capture_output=True, text=True)
    assert bad.returncode != 0 and "no text/ directory" in bad.stderr
