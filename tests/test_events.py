"""Events: type, direction, modality, dates, and the ontology tables they are coded with."""
from __future__ import annotations

import pytest
from seed_helpers import norm, same_actor

from thucydides.extract import event_model
from thucydides.extract.events import cameo_table, plover_table, trigger_index
from thucydides.knowledge import load_yaml
from thucydides.model import PLOVER_TYPES, QUADS, Article


def analyze(pipeline, text):
    return pipeline.analyze(Article(text=text, published="2025-02-14"))


def top_event(a):
    return max(a.events, key=lambda e: e.confidence) if a.events else None


# ---------------------------------------------------------------- the seed article

def _names(analysis, ids) -> list[str]:
    """The names of the actors an event's side holds."""
    return [analysis.actor(i).name for i in ids]


def _side_ok(analysis, names, ids) -> bool:
    """As ../shared/tools/thuc_eval.py matches a side: a name, a surname or a country code."""
    if not names:
        return True
    actors = [analysis.actor(i) for i in ids or []]
    return any(same_actor(w, a) or norm(w) == norm(a.name) or w == a.country
               for w in names.split("|") for a in actors if a is not None)


def test_at_least_ten_of_the_twelve_seed_events(seed_analysis, seed_gold):
    missed = [g for g in seed_gold["events"] if not any(
        e.type == g["plover"] and _side_ok(seed_analysis, g["source"], e.source)
        and _side_ok(seed_analysis, g.get("target"), e.target) for e in seed_analysis.events)]
    assert len(seed_gold["events"]) - len(missed) >= 10, [(g["plover"], g["source"], g.get("target")) for g in missed]


def _events_on(analysis, phrase: str, trigger: str):
    """The events whose trigger is `trigger` inside the first occurrence of `phrase`."""
    at = analysis.text.index(phrase)
    return [e for e in analysis.events if e.trigger and at <= e.trigger.start < at + len(phrase)
            and e.trigger.text == trigger]


def _event_on(pipeline, text: str, trigger: str):
    """The first event whose trigger is `trigger` in the analysis of `text`."""
    return _events_on(analyze(pipeline, text), text, trigger)[0]


def test_seed_plans_hypotheticals_and_negations_are_not_plain_facts(seed_analysis):
    a = seed_analysis
    meet = _events_on(a, "slated to meet with Zelensky on Friday", "meet")
    assert meet and all(e.future for e in meet)
    assert all(e.date == "2025-02-14" for e in meet)
    align = [e for e in a.events if "would appear to align" in e.sentence.text]
    assert all(e.hypothetical for e in align)
    summit = _events_on(a, "China host a summit between Trump and Putin", "summit")
    assert summit and all(e.hypothetical for e in summit)
    # "does not support granting Ukraine NATO membership" is a rejection, never a support
    stance = [e for e in a.events if "does not support granting" in e.sentence.text]
    assert any(e.type == "REJECT" for e in stance)
    assert not any(e.type == "SUPPORT" and not e.negated for e in stance)
    granting = _events_on(a, "granting Ukraine NATO membership", "granting")
    assert all(e.negated for e in granting)
    # the war that "began nearly three years ago" is background: no fresh event on "began"
    assert not _events_on(a, "the conflict that began nearly three years ago", "began")
    # none of these is reported as a plain past fact
    for e in meet + align + summit + granting:
        assert e.negated or e.hypothetical or e.future, (e.type, e.trigger.text)


def test_seed_direction_and_dates(seed_analysis):
    a = seed_analysis
    call = _events_on(a, "had a “highly productive” phone call with Putin", "call")
    assert call and call[0].type == "CONSULT" and call[0].mode == "phone"
    assert a.actor(call[0].source[0]).name == "Donald Trump"
    assert a.actor(call[0].target[0]).name == "Vladimir Putin"
    assert call[0].date == "2025-02-12"  # "on Wednesday" before Friday 14 February
    # the nominal "Trump-Putin phone call": Trump calls, Putin is called
    nominal = _events_on(a, "the Trump-Putin phone call", "call")
    assert nominal and _names(a, nominal[0].source) == ["Donald Trump"]
    assert _names(a, nominal[0].target) == ["Vladimir Putin"]
    seized = _events_on(a, "Russia has seized since 2014", "seized")
    assert seized and seized[0].date == "2014-01-01"
    accused = _events_on(a, "have accused China of fueling", "accused")
    assert accused and accused[0].type == "ACCUSE" and accused[0].target == ["CHN"]
    assert accused[0].date is None  # the text gives no date for it


# ---------------------------------------------------------------- our own sentences (fictional states)

def test_passive_direction(pipeline):
    a = analyze(pipeline, "The Republic of Veloria's proposal was dismissed by the Republic of Ostrava on Monday.")
    e = top_event(a)
    assert e.type == "REJECT"
    assert _names(a, e.source) == ["Republic of Ostrava"]
    assert _names(a, e.target) == ["Republic of Veloria"]
    assert "Ostrava" in e.source_span.text and "Veloria" in e.target_span.text
    assert e.date == "2025-02-10"


def test_negated_support_is_a_rejection(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava does not support the Republic of Veloria's bid for membership.")
    e = top_event(a)
    assert e.type == "REJECT" and not e.negated
    assert _names(a, e.source) == ["Republic of Ostrava"]


def test_conditional_and_planned_events_are_flagged(pipeline):
    e = top_event(analyze(pipeline, "The Republic of Ostrava would attack the Republic of Veloria if talks failed."))
    assert e.type == "ASSAULT" and e.hypothetical
    e = top_event(analyze(pipeline, "The Republic of Ostrava will meet the Republic of Veloria on Friday."))
    assert e.type == "CONSULT" and e.future and e.date == "2025-02-14"


def test_what_was_agreed_is_still_to_come_and_takes_no_date_from_the_saying(pipeline):
    a = analyze(pipeline, "In a statement on Wednesday, the Republic of Ostrava said it had agreed with the "
                          "Republic of Veloria to start negotiations on their border.")
    talks = [e for e in a.events if e.trigger.text == "negotiations"]
    assert talks and all(e.future and e.date is None for e in talks)


def test_the_receiver_of_a_loan_is_its_target_not_the_money(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava lent $1 billion to the Republic of Veloria on Monday.")
    e = top_event(a)
    assert "Veloria" in e.target_span.text and "$" not in e.target_span.text
    assert _names(a, e.source) == ["Republic of Ostrava"]


def test_an_announced_ceasefire_is_coded_with_who_announced_it(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava announced a ceasefire in Marzin on Thursday.")
    cease = [e for e in a.events if e.trigger.text == "ceasefire"]
    assert cease and _names(a, cease[0].source) == ["Republic of Ostrava"]


def test_coordinated_parties_of_a_reciprocal_event_face_each_other(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava and the Republic of Veloria agreed to reopen their border crossings.")
    e = top_event(a)
    assert e.type == "AGREE"
    assert _names(a, e.source) == ["Republic of Ostrava"]
    assert _names(a, e.target) == ["Republic of Veloria"]
    assert "Veloria" not in e.source_span.text and "Veloria" in e.target_span.text


def test_coordinated_actors_of_a_directed_event_act_together(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava and the Republic of Veloria attacked the Republic of Marzin.")
    e = top_event(a)
    assert e.type == "ASSAULT"
    assert {a.actor(i).name for i in e.source} == {"Republic of Ostrava", "Republic of Veloria"}
    assert _names(a, e.target) == ["Republic of Marzin"]


def test_the_place_of_talks_is_not_their_target(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava held talks in Marzin with the Republic of Veloria on Monday.")
    e = top_event(a)
    assert e.type == "CONSULT"
    assert _names(a, e.target) == ["Republic of Veloria"]
    assert "Veloria" in e.target_span.text and "Marzin" not in e.target_span.text


def test_a_target_coordinated_with_others_is_all_of_them(pipeline):
    a = analyze(pipeline, "The Marzin council banned the Velorian Students' Union and the Tarn Workers' League.")
    e = top_event(a)
    assert e.target_span.text.endswith("Velorian Students' Union and the Tarn Workers' League")
    a = analyze(pipeline, "Ostravan jets struck a fuel depot and an airfield outside Tarn.")
    assert top_event(a).target_span.text.endswith("a fuel depot and an airfield")


def test_the_source_s_own_apposition_is_not_its_target(pipeline):
    a = analyze(pipeline, "The Ostravan separatist movement Free Tarn attacked a Velorian checkpoint.")
    e = top_event(a)
    assert e.type == "ASSAULT"
    assert "checkpoint" in e.target_span.text and "Free Tarn" not in e.target_span.text


def test_a_party_that_says_what_it_did_is_who_did_it(pipeline):
    # "it" in what the army says of itself is the army: the seizure is coded, the army acting
    a = analyze(pipeline, "The Velorian army says it has seized two border posts near Tarn.")
    e = next(e for e in a.events if e.trigger.text == "seized")
    assert e.source_span.text.endswith("Velorian army") and "border posts" in e.target_span.text


def test_coordinated_actors_of_a_one_way_act_are_not_split(pipeline):
    a = analyze(pipeline, "Yara Tolven and the Velorian Bar Association challenged the ruling on Monday.")
    e = top_event(a)
    assert e.type == "ACCUSE"
    assert "Yara Tolven" in e.source_span.text and "Bar Association" in e.source_span.text
    assert e.target_span.text.endswith("ruling")


def test_a_sentence_without_an_event_yields_none(pipeline):
    a = analyze(pipeline, "The weather in the capital was mild and the markets were calm.")
    assert a.events == []


def test_confidence_orders_and_stays_in_range(pipeline):
    a = analyze(pipeline, "The Republic of Veloria's proposal was dismissed by the Republic of Ostrava on Monday.")
    assert all(0.0 <= e.confidence <= 1.0 for e in a.events)
    assert top_event(a).type == "REJECT"


# ---------------------------------------------------------------- tables and model

def test_cameo_rows_are_well_formed():
    rows = cameo_table()
    assert len(rows) > 250
    for code, r in rows.items():
        assert code.isdigit() and 2 <= len(code) <= 4, code
        assert -10.0 <= float(r["goldstein"]) <= 10.0, code
        assert r["quad"] in QUADS, code
        assert r["plover"] in PLOVER_TYPES or r["plover"] == "", code


def test_plover_types_and_modes_agree_with_cameo():
    table = plover_table()
    assert set(table) == set(PLOVER_TYPES)
    rows = cameo_table()
    for ptype, p in table.items():
        assert rows[p["default_cameo"]]["plover"] == ptype
        for m in p.get("modes") or []:
            assert rows[m["cameo"]]["plover"] == ptype, (ptype, m)
            assert rows[m["cameo"]]["plover_mode"] == m["mode"], (ptype, m)


def test_every_trigger_codes_to_its_own_type_and_mode():
    rows = cameo_table()
    data = load_yaml("event_triggers.yaml")
    assert set(data) == set(PLOVER_TYPES)
    for ptype, entries in data.items():
        for e in entries:
            r = rows[str(e["cameo"])]
            assert r["plover"] == ptype, (ptype, e["lemma"])
            assert (r["plover_mode"] or None) == e.get("mode"), (ptype, e["lemma"])
    assert "kill" in trigger_index()


def test_the_shipped_model_loads_with_its_provenance():
    model = event_model.load_model()
    assert model is not None
    assert "yibo-hu-lab/event-coding-reliability" in model.meta["trained_on"]
    assert set(model.type_weights) <= set(PLOVER_TYPES)
    probs = model.type_probs(["w:attack", "v:attack", "root:attack", "lex:ASSAULT", "rlex:ASSAULT"])
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == "ASSAULT"


def test_a_nationality_and_a_titled_name_stand_for_their_parties(pipeline):
    a = analyze(pipeline, "The Republic of Veloria and the Kingdom of Ostrane met in Marzin. Ostrane's prime "
                          "minister, Tomas Reyle, rejected Velorian accusations that his forces had shelled a village.")
    e = next(e for e in a.events if e.trigger.text == "rejected")
    assert e.type == "REJECT"
    assert _names(a, e.source) == ["Tomas Reyle"]   # the person, not his state
    assert _names(a, e.target) == ["Republic of Veloria"]   # "Velorian accusations"


def test_what_is_handed_over_is_not_the_target_but_who_receives_it(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava returned six ancient manuscripts to the government of the "
                          "Republic of Veloria on Monday.")
    e = top_event(a)
    assert _names(a, e.target) == ["Republic of Veloria"]   # "the government of ..."
    assert "manuscripts" not in e.target_span.text


def test_one_consults_a_party_about_a_topic(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava discussed the Republic of Marzin with the Republic of Veloria on Monday.")
    e = top_event(a)
    assert e.type == "CONSULT"
    assert _names(a, e.target) == ["Republic of Veloria"]


def test_unnamed_victims_do_not_hide_the_attacked_party(pipeline):
    a = analyze(pipeline, "Three civilians were killed when troops of the Republic of Ostrava shelled the "
                          "embassy of the Republic of Veloria in Marzin.")
    e = top_event(a)
    assert e.type == "ASSAULT"
    assert _names(a, e.source) == ["Republic of Ostrava"]
    assert _names(a, e.target) == ["Republic of Veloria"]


def test_a_dateline_is_never_a_party(pipeline):
    from thucydides.extract import event_model as em

    text = "MARZIN (Wire) -- The Republic of Ostrava on Wednesday expelled two diplomats of the Republic of Veloria."
    sent = next(pipeline.nlp(text).sents)
    assert em.dateline_end(sent) > sent.start
    assert not any("MARZIN" in em.span_text(sent.doc, c) for c in em.party_candidates(sent))
    a = analyze(pipeline, text)
    e = top_event(a)
    assert e is not None and "MARZIN" not in e.source_span.text
    assert _names(a, e.source) == ["Republic of Ostrava"]


def test_the_people_of_a_state_stand_for_it(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava and the Republic of Marzin sent winter aid to Palestinians on Monday.")
    e = top_event(a)
    assert e.type == "AID"
    assert e.target == ["PSE"]
    assert len(e.source) == 2   # a named target: the donors stay together


def test_the_charge_is_not_part_of_who_is_charged(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava accused the Velorian government of the shelling of villages "
                          "in Marzin.")
    e = top_event(a)
    assert e.type == "ACCUSE"
    assert e.target_span is not None and e.target_span.text.endswith("government")


def test_an_unusual_verb_codes_an_event_only_between_states(pipeline):
    text = "{} performed joint war games with {} last spring."
    a = analyze(pipeline, text.format("The Republic of Ostrava", "the Republic of Veloria"))
    e = top_event(a)
    assert e is not None and e.type == "COOPERATE"
    assert _names(a, e.target) == ["Republic of Veloria"]
    assert e.confidence < 0.5   # the word itself does not say so: less sure than a lexicon event
    # the same words between clubs are not an international event
    assert analyze(pipeline, text.format("The Ostravan Chess Club", "the Velorian Chess Club")).events == []


def test_an_unnamed_group_gives_way_to_the_state_it_comes_from(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava expelled diplomats from the Republic of Veloria on Friday.")
    e = top_event(a)
    assert e.type == "SANCTION"
    assert _names(a, e.target) == ["Republic of Veloria"]


def test_the_source_s_own_side_is_not_its_target(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava closed its borders with the Republic of Veloria on Monday.")
    e = top_event(a)
    assert _names(a, e.source) == ["Republic of Ostrava"]
    assert _names(a, e.target) == ["Republic of Veloria"]


def test_a_lexicon_phrase_outranks_a_type_its_word_does_not_point_to(pipeline):
    # "hit back at" is a retort (ACCUSE), whatever the bare verb "hit" suggests to the model
    a = analyze(pipeline, "The Republic of Veloria hit back at the Republic of Ostrava's new tariffs on Monday.")
    e = top_event(a)
    assert e.type == "ACCUSE" and e.trigger.text == "hit"
    assert _names(a, e.source) == ["Republic of Veloria"]


def test_a_trigger_phrase_may_end_in_the_object_of_its_preposition(pipeline):
    a = analyze(pipeline, "The Republic of Veloria withdrew from the border treaty with the Republic of Ostrava.")
    withdrew = _events_on(a, a.text, "withdrew")
    assert [e.type for e in withdrew] == ["REJECT"]   # leaving a treaty, not pulling back forces


def test_a_reported_passive_keeps_its_direction(pipeline):
    # the speaker is not the one who threatened: the agent of the passive is
    a = analyze(pipeline, "Mayor Lida Varga said she was threatened by the protesters last week.")
    e = top_event(a)
    assert e.type == "THREATEN"
    assert e.source_span.text == "the protesters"
    assert e.target_span.text == "she" and _names(a, e.target) == ["Lida Varga"]


def test_who_acts_in_a_reported_fact_is_its_subject_not_the_speaker(pipeline):
    a = analyze(pipeline, "Mayor Lida Varga said the protesters threatened her last week.")
    e = top_event(a)
    assert e.type == "THREATEN" and "protesters" in e.source_span.text
    assert _names(a, e.target) == ["Lida Varga"] and not e.source


def test_the_lexicon_breaks_a_near_tie_for_a_word_the_model_reads_weakly(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava urged the Republic of Veloria to withdraw its troops from Marzin.")
    e = top_event(a)
    assert e.type == "REQUEST" and e.trigger.text == "urged"
    assert _names(a, e.target) == ["Republic of Veloria"]


def test_what_is_asked_for_is_not_reported_as_done(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava called on the Republic of Veloria to release the detained "
                          "journalists.")
    released = _events_on(a, a.text, "release")
    assert released and all(e.hypothetical for e in released)
    asked = _events_on(a, a.text, "called")
    assert [e.type for e in asked] == ["REQUEST"] and not asked[0].hypothetical


def test_refused_denied_and_attempted_acts_are_not_plain_facts(pipeline):
    def flags(text, trigger):
        e = _event_on(pipeline, text, trigger)
        return e.negated, e.hypothetical

    assert flags("The Republic of Ostrava refused to sign the treaty with the Republic of Veloria.", "sign")[0]
    assert flags("The Republic of Ostrava failed to reach a deal with the Republic of Veloria.", "deal")[0]
    assert flags("The Republic of Ostrava denied that it had attacked the Republic of Veloria.", "attacked")[1]
    assert flags("The Republic of Ostrava rejected claims that it had shelled the Republic of Veloria.", "shelled")[1]
    assert flags("The Republic of Ostrava tried to block the Republic of Veloria's membership bid.", "block")[1]
    # the refusal itself is a plain act
    assert flags("The Republic of Ostrava refused to sign the treaty with the Republic of Veloria.",
                 "refused") == (False, False)


def test_intentions_plans_and_calling_off_are_flagged(pipeline):
    def event(text, trigger):
        return _event_on(pipeline, text, trigger)

    assert event("The Republic of Ostrava is ready to negotiate with the Republic of Veloria.",
                 "negotiate").hypothetical
    assert event("The Republic of Ostrava hopes to sign a trade deal with the Republic of Veloria.", "sign").future
    visit = event("The Republic of Ostrava's planned visit to the Republic of Veloria was cancelled.", "visit")
    assert visit.negated and visit.future
    assert event("The Republic of Ostrava avoided criticising the Republic of Veloria.", "criticising").negated
    assert event("The Republic of Ostrava postponed talks with the Republic of Veloria.", "talks").future


def test_a_verb_with_its_particle_is_read_as_that_verb(pipeline):
    """"called off the talks" halts them (not a phone call); "pulled its troops back" is a
    retreat; "called Veloria on Monday" is a call, not "call on" (an appeal)."""
    def types(text, trigger):
        return [e.type for e in _events_on(analyze(pipeline, text), text, trigger)]

    assert types("The Republic of Ostrava called off the talks with the Republic of Veloria on Monday.",
                 "called") == ["SANCTION"]
    assert types("The Republic of Ostrava pulled its troops back from the border with the Republic of Veloria.",
                 "pulled") == ["RETREAT"]
    assert types("The Republic of Ostrava called the Republic of Veloria on Monday.", "called") == ["CONSULT"]
    assert types("The Republic of Ostrava called on the Republic of Veloria to release the journalists.",
                 "called") == ["REQUEST"]
    assert types("The Republic of Ostrava called out the Republic of Veloria for its abuses.", "called") == ["ACCUSE"]


def test_who_voices_or_attends_a_nominal_event_is_its_source(pipeline):
    """"Velk reiterated France's support for ...": Velk acts (PLOVER codes who voices the
    support), as does who attends "a Cabinet meeting"; and a dateline with a colon ("PORT ILVAR (Wire) :") names no party."""
    def parties(text, trigger):
        e = _event_on(pipeline, text, trigger)
        return e.source_span.text, e.target_span.text if e.target_span else None

    assert parties("Foreign Minister Amara Velk reiterated France's support for the Ostrane Trade Council.",
                   "support") == ("Foreign Minister Amara Velk", "Ostrane Trade Council")
    assert parties("Prime Minister Tomas Reyle attends a Cabinet meeting in Port Ilvar.",
                   "meeting")[0] == "Prime Minister Tomas Reyle"
    assert parties("PORT ILVAR (Wire) : The Republic of Ostrava condemned the attack on the Republic of Veloria.",
                   "condemned")[0] == "Republic of Ostrava"
    # who reports an act is not its actor: the owner attacked
    assert parties("The Ostrava defence ministry confirmed the Republic of Veloria's attack on Port Ilvar.",
                   "attack")[0].endswith("Republic of Veloria's")


def test_who_is_asked_to_act_is_the_target_of_the_request_and_the_actor_of_the_act(pipeline):
    """"Ostrava called on Veloria to release the journalists": the appeal is aimed at Veloria,
    and the release, only asked for, would be Veloria's."""
    text = "The Republic of Ostrava called on the Republic of Veloria to release the journalists."
    a = analyze(pipeline, text)
    request = _events_on(a, text, "called")[0]
    assert request.type == "REQUEST" and request.target_span.text.endswith("Republic of Veloria")
    release = _events_on(a, text, "release")[0]
    assert release.source_span.text.endswith("Republic of Veloria") and release.hypothetical
    text = "The Republic of Ostrava urged the Republic of Veloria to withdraw its troops from Port Ilvar."
    withdraw = _events_on(analyze(pipeline, text), text, "withdraw")[0]
    assert withdraw.source_span.text.endswith("Republic of Veloria") and withdraw.hypothetical
    # one who refuses or agrees to act would act himself
    text = "The Republic of Ostrava refused to withdraw its troops from Port Ilvar."
    assert _events_on(analyze(pipeline, text), text, "withdraw")[0].source_span.text.endswith("Republic of Ostrava")


def test_an_act_the_parse_gives_no_actor_for_is_coded_with_who_carries_it(pipeline):
    # the actor of an event noun is the subject of the verb that carries it (through "a new
    # round of"), or the party whose "it" announces it
    a = analyze(pipeline, "The Velorian government says it will hold talks with Ostrava next month.")
    talks = [e for e in a.events if e.trigger.text == "talks"]
    assert talks and talks[0].type == "CONSULT" and talks[0].source_span.text.endswith("Velorian government")
    assert talks[0].target_span.text == "Ostrava" and talks[0].future
    a = analyze(pipeline, "Ostrava and Veloria began a new round of joint military exercises near Tarn.")
    e = top_event(a)
    assert e is not None and "Ostrava" in e.source_span.text and "Veloria" in e.target_span.text
    # but not the subject of a verb the act only hangs from
    a = analyze(pipeline, "Tomas Reyle says he was awake all night after the attacks.")
    assert not any(e.type == "ASSAULT" and e.source_span is not None and "Reyle" in e.source_span.text
                   for e in a.events)


def test_a_person_summoned_or_received_is_the_target_not_the_office(pipeline):
    a = analyze(pipeline, "Ostrava summoned a senior Velorian official to its foreign ministry to complain "
                          "about the shelling.")
    e = next(e for e in a.events if e.trigger.text == "summoned")
    assert "official" in e.target_span.text
    a = analyze(pipeline, "Tomas Reyle met the Ostravan envoy, Jonas Marrow, on Tuesday.")
    e = top_event(a)
    assert "envoy" in e.target_span.text and "Jonas Marrow" in e.target_span.text


def test_a_subject_that_says_neither_or_no_negates_the_act(pipeline):
    a = analyze(pipeline, "Neither Ostrava nor Veloria has signed the treaty.")
    assert a.events and all(e.negated for e in a.events if e.trigger.text == "signed")
    a = analyze(pipeline, "No state has recognised the Velorian government.")
    assert a.events and all(e.negated for e in a.events)


def test_who_is_acted_on_in_an_agentless_passive_is_not_also_the_actor(pipeline):
    a = analyze(pipeline, "Neither Tomas Reyle nor his allies have been charged with any crime.")
    e = next(e for e in a.events if e.trigger.text == "charged")
    assert "Tomas Reyle" in e.target_span.text and e.negated
    assert e.source_span is None or not (e.target_span.start <= e.source_span.start
                                         and e.source_span.end <= e.target_span.end)


def test_storming_and_bombarding_are_assaults(pipeline):
    a = analyze(pipeline, "Velorian troops stormed the Ostravan embassy in Tarn on Sunday.")
    e = top_event(a)
    assert e.type == "ASSAULT" and e.cameo.startswith("19")
    assert "embassy" in e.target_span.text and "Velorian" in e.source_span.text
    a = analyze(pipeline, "Ostravan artillery bombarded the Velorian border town of Marzin overnight.")
    e = top_event(a)
    assert e.type == "ASSAULT" and e.cameo == "194"
    assert "Marzin" in e.target_span.text


def test_what_a_speaker_says_another_must_do_is_a_demand_of_it(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava said the Republic of Veloria must withdraw its troops from the border.")
    e = top_event(a)
    assert e.type == "REQUEST" and e.cameo == "100" and not e.hypothetical
    assert _names(a, e.source) == ["Republic of Ostrava"] and _names(a, e.target) == ["Republic of Veloria"]
    # what is asked for stays Veloria's (hypothetical) act, never Ostrava's own
    assert not any(x.type != "REQUEST" and _names(a, x.source) == ["Republic of Ostrava"] for x in a.events)
    e = top_event(analyze(pipeline, "The Republic of Ostrava said the Republic of Veloria should reopen the crossing."))
    assert e.type == "REQUEST" and e.cameo == "020"
    # a commitment ("we must") and a thing of an actor ("Veloria's offer should ...") are no demands
    a = analyze(pipeline, "The Republic of Ostrava said we must withdraw our troops from the border.")
    assert not any(x.type == "REQUEST" for x in a.events)
    a = analyze(pipeline, "The Republic of Ostrava said Veloria's offer should ease the crisis.")
    assert not any(x.type == "REQUEST" and x.cameo in ("100", "020") for x in a.events)


def test_a_demand_that_someone_act_is_aimed_at_them(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava demanded that the Republic of Veloria release the detained fishermen.")
    e = top_event(a)
    assert e.type == "REQUEST"
    assert _names(a, e.source) == ["Republic of Ostrava"] and _names(a, e.target) == ["Republic of Veloria"]
    # a question is not a demand of whoever it is about
    a = analyze(pipeline, "The Republic of Ostrava asked the United Nations why the Republic of Veloria had closed the border.")
    asked = [x for x in a.events if x.type == "REQUEST"]
    assert asked and all(_names(a, x.target) != ["Republic of Veloria"] for x in asked)


def test_who_is_to_act_in_a_demand_is_read_from_the_mandative_clause(pipeline):
    from thucydides.extract.events import _addressee_of
    from thucydides.nlp import load_nlp

    nlp = load_nlp()

    def asked(text, verb):
        doc = nlp(text)
        tok = next(t for t in doc if t.text == verb)
        who = _addressee_of(tok)
        return who.text if who is not None else None

    assert asked("The council demanded that the governor resign before the vote.", "demanded") == "governor"
    assert asked("Ostrava repeated its demand that Veloria lift the blockade.", "demand") == "Veloria"
    assert asked("The council asked why the governor had resigned.", "asked") is None
    assert asked("The council insisted the governor has resigned.", "insisted") is None


def test_a_party_ends_before_the_speaker_who_reports_it():
    from thucydides.extract.events import _before_speaker
    from thucydides.nlp import load_nlp

    # the parse hangs the speaker on the place as an apposition: the place ends at the comma
    doc = load_nlp()("Two Ostravan sailors have been freed from captivity in Veloria, the head of a Tarn charity said.")
    place = next(t for t in doc if t.text == "Veloria")
    lo, hi = place.i, place.right_edge.i + 1
    assert doc[lo:hi].text == "Veloria, the head of a Tarn charity"
    assert doc[lo:_before_speaker(doc, place, lo, hi)].text == "Veloria"
    # an apposition that is no speaker stays
    doc = load_nlp()("Ostrava freed Tomas Reyle, the head of a Tarn charity, on Monday.")
    person = next(t for t in doc if t.text == "Reyle")
    lo, hi = person.left_edge.i, person.right_edge.i + 1
    assert _before_speaker(doc, person, lo, hi) == hi


def test_an_act_received_is_made_by_whoever_it_comes_from(pipeline):
    for text in ("The Republic of Veloria faces sharp criticism from the Republic of Ostrava over the arrests.",
                 "The Republic of Veloria came under attack from the Republic of Ostrava on Monday."):
        a = analyze(pipeline, text)
        e = next(x for x in a.events if x.trigger.text in ("criticism", "attack"))
        assert _names(a, e.source) == ["Republic of Ostrava"], text
        assert _names(a, e.target) == ["Republic of Veloria"], text


def test_the_giver_of_what_is_received_acts_on_the_receiver(pipeline):
    # the receiving verb is the trigger; the receiver need be no actor; conjoined act nouns
    cases = [("The Republic of Veloria received an invitation from the Republic of Ostrava to attend "
              "the summit.", None, "received", "Veloria"),
             ("The peace plan has received political and financial support from the Republic of "
              "Ostrava.", "support", None, "peace plan")]
    for text, noun, verb, target in cases:
        a = analyze(pipeline, text)
        e = next(x for x in a.events if x.trigger.text in (noun, verb))
        assert _names(a, e.source) == ["Republic of Ostrava"], text
        assert target in e.target_span.text and "Ostrava" not in e.target_span.text, text


def test_who_is_expelled_from_a_state_is_expelled_by_it(pipeline):
    a = analyze(pipeline, "Two inspectors of the Marzin Commission have been expelled from the Republic of "
                          "Veloria amid a standoff over the border.")
    e = next(x for x in a.events if x.trigger.text == "expelled")
    assert _names(a, e.source) == ["Republic of Veloria"]
    assert "inspectors" in e.target_span.text
    # with an agent, the agent does it
    a = analyze(pipeline, "Two inspectors were expelled from Marzin by the Republic of Ostrava.")
    e = next(x for x in a.events if x.trigger.text == "expelled")
    assert _names(a, e.source) == ["Republic of Ostrava"]


def test_what_is_done_to_a_decision_is_done_to_whoever_made_it(pipeline):
    for text, verb, owner in (
            ("The Republic of Ostrava condemned the Republic of Veloria's decision to close the border.",
             "condemned", "Republic of Veloria"),
            ("The Republic of Ostrava rejected Tomas Reyle's proposal to hold new elections.",
             "rejected", "Tomas Reyle")):
        a = analyze(pipeline, text)
        e = next(x for x in a.events if x.trigger.text == verb)
        assert e.target_span.text.endswith(owner), text
    # a day's decision belongs to no one
    a = analyze(pipeline, "The Republic of Ostrava condemned Friday's decision to close the border.")
    e = next(x for x in a.events if x.trigger.text == "condemned")
    assert e.target_span is None or "decision" in e.target_span.text


def test_a_joint_agreement_is_each_partys_with_the_other_whatever_it_is_about(pipeline):
    a = analyze(pipeline, "Tomas Reyle and Jonas Marrow have agreed to share information on the Republic of Marzin.")
    e = next(x for x in a.events if x.trigger.text == "agreed")
    assert e.source_span.text == "Tomas Reyle" and e.target_span.text == "Jonas Marrow"
    # the verb's own object is its target still
    a = analyze(pipeline, "Ostravan executives and their advisers first met Tomas Reyle in May.")
    e = next(x for x in a.events if x.trigger.text == "met")
    assert e.target_span.text == "Tomas Reyle"


def test_a_refusal_held_until_another_party_acts_is_aimed_at_that_party(pipeline):
    a = analyze(pipeline, "The Republic of Ostrava will not lift the embargo until the Republic of Veloria "
                          "releases the prisoners.")
    lifts = [x for x in a.events if x.trigger.text == "lift"]
    assert lifts and all(_names(a, x.target) == ["Republic of Veloria"] for x in lifts)
    a = analyze(pipeline, "The dock workers said they will not end the strike until their demands are met by "
                          "the port authority.")
    e = next(x for x in a.events if x.trigger.text == "end")
    assert "port authority" in e.target_span.text


def test_what_is_taken_by_force_is_the_target(pipeline):
    a = analyze(pipeline, "The Ostravan army seized all three pumping stations on the Tarn pipeline, which goes "
                          "from Veloria to the coast.")
    e = next(x for x in a.events if x.trigger.text == "seized")
    assert e.target_span.text.startswith("all three pumping stations")
    assert "Veloria" not in e.target_span.text


def test_a_compound_event_noun_is_read_whole_on_its_head():
    from thucydides.extract.events import EventCoder
    from thucydides.knowledge.kb import knowledge_base
    from thucydides.nlp import load_nlp

    coder = EventCoder(knowledge_base(), use_model=False)
    doc = load_nlp()("Ostravan jets carried out two air strikes against Velorian positions.")
    strikes = next(t for t in doc if t.text == "strikes")
    air = next(t for t in doc if t.text == "air")
    trig = coder._match(strikes)
    assert (trig.type, trig.cameo) == ("ASSAULT", "195")   # not a labour strike
    assert coder._match(air) is None
    doc = load_nlp()("Dock workers began a strike at the port of Tarn.")
    trig = coder._match(next(t for t in doc if t.text == "strike"))
    assert trig.type == "PROTEST"
