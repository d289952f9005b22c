"""The knowledge base files: their schema, codes, ids and dates, and the user's own actors file."""
from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys

import pytest

from thucydides.errors import ThucydidesError
from thucydides.knowledge import load_yaml
from thucydides.knowledge.kb import KnowledgeBase, default_kb, knowledge_base, slug

UN_MEMBERS = """AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK DJI DMA DOM ECU EGY SLV
GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR
ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM
MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK
TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE""".split()  # noqa: SIM905 - easier to read as a block
OBSERVERS_AND_DISPUTED = {"VAT", "PSE", "TWN", "XKX", "ESH", "CYN"}
SECTORS = {"GOV", "MIL", "LEG", "JUD", "OPP", "PTY", "REB", "IGO", "ELI", "BUS", "MED", "CVL", "EDU", "REL", "NGO",
           "CRM", "LAB", "AGR", "HLH", "REF", "SPY", "UAF", "COP", "ENV"}
WIKIDATA = re.compile(r"Q[1-9]\d*")
ISO3 = re.compile(r"[A-Z]{3}")


def _date(v):
    if v in (None, ""):
        return None
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))   # raises on a bad date: the test fails with it


@pytest.fixture(scope="module")
def countries():
    return load_yaml("countries.yaml")


def test_countries_cover_the_un_members_observers_and_disputed_territories(countries):
    codes = [c["iso3"] for c in countries]
    assert len(codes) == len(set(codes)), "an ISO code is used twice"
    assert len(set(UN_MEMBERS)) == 193
    assert set(UN_MEMBERS) | OBSERVERS_AND_DISPUTED <= set(codes)
    for c in countries:
        assert set(c) <= {"iso3", "name", "names", "demonyms", "metonyms", "kind", "wikidata"}, c["iso3"]
        assert ISO3.fullmatch(c["iso3"]) and c["name"], c
        assert c["kind"] in ("state", "territory"), c["iso3"]
        assert c.get("wikidata") is None or WIKIDATA.fullmatch(c["wikidata"]), c["iso3"]
        for key in ("names", "demonyms", "metonyms"):
            assert isinstance(c.get(key) or [], list), (c["iso3"], key)


def test_seats_of_power_stand_for_their_state():
    kb = default_kb()
    expect = {"Beijing": "CHN", "Moscow": "RUS", "the Kremlin": "RUS", "Kyiv": "UKR", "Washington": "USA",
              "the White House": "USA", "Downing Street": "GBR", "Brussels": "EU", "Tehran": "IRN",
              "Pyongyang": "PRK", "Seoul": "KOR", "Taipei": "TWN"}
    for form, country in expect.items():
        q = kb.qualifier(form)
        assert q is not None and q.country == country, (form, q)
        assert kb.lookup(form)[0].how == "metonym", form


def test_igos(countries):
    igos = load_yaml("igos.yaml")
    ids = [i["id"] for i in igos]
    assert len(ids) == len(set(ids))
    for i in igos:
        assert set(i) <= {"id", "name", "names", "country", "metonyms", "kind", "wikidata"}, i["id"]
        assert re.fullmatch(r"[a-z0-9_]+", i["id"]) and i["name"], i
        assert i["country"] in ("IGO", "EU") and i["kind"] == "igo", i["id"]
        assert i.get("wikidata") is None or WIKIDATA.fullmatch(i["wikidata"]), i["id"]
    for must in ("un", "nato", "eu", "iaea", "who", "imf", "au", "asean"):
        assert must in ids, must


def test_people(countries):
    people = load_yaml("people.yaml")
    codes = {c["iso3"] for c in countries} | {"IGO", "EU"}
    offices = {v["office"] for v in load_yaml("roles.yaml")["titles"].values() if v.get("office")} | {
        "other", "party-leader", "opposition-leader", "intelligence-chief", "military-chief", "un-ambassador",
        "envoy", "trade-representative", "chief-of-staff", "high-representative", "council-president",
        "commission-president", "parliament-speaker", "central-bank-governor", "interior-minister"}
    igo_ids = {i["id"] for i in load_yaml("igos.yaml")}
    ids = [slug(p["name"]) for p in people]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    assert len(people) >= 500
    for p in people:
        who = p["name"]
        assert set(p) <= {"name", "aliases", "country", "gender", "wikidata", "surname", "roles"}, who
        assert p["country"] in codes, (who, p["country"])
        assert p.get("gender") in ("m", "f", None), who
        assert p.get("wikidata") is None or WIKIDATA.fullmatch(p["wikidata"]), who
        assert isinstance(p.get("aliases") or [], list), who
        assert p["roles"], f"{who} has no role"
        for r in p["roles"]:
            assert set(r) <= {"title", "title_aliases", "office", "sector", "start", "end", "org"}, who
            assert r["title"] and r["office"] in offices, (who, r.get("office"))
            assert r["sector"] in SECTORS, (who, r["sector"])
            assert r.get("org") is None or r["org"] in igo_ids, (who, r.get("org"))
            start, end = _date(r.get("start")), _date(r.get("end"))
            assert start is None or end is None or start <= end, (who, r["title"])
            assert start is None or start <= dt.date(2027, 1, 1), (who, r["title"])


def test_holders_of_an_office_do_not_overlap():
    """Two people never hold the same head-of-state or foreign-minister office on one day."""
    kb = default_kb()
    for (country, office), holders in kb.offices.items():
        if office not in ("head-of-state", "head-of-government", "foreign-minister", "defence-minister"):
            continue
        spans = sorted(((r.start or dt.date.min, r.end or dt.date.max, pid) for r, pid in holders
                        if not r.title.lower().startswith("acting")))   # an acting head stands in
        for (s1, e1, p1), (s2, e2, p2) in itertools.pairwise(spans):
            assert p1 == p2 or s2 >= e1, f"{country} {office}: {p1} and {p2} overlap"


def test_media_roles_places():
    media = load_yaml("media.yaml")
    ids = [m["id"] for m in media]
    assert len(ids) == len(set(ids))
    codes = {c["iso3"] for c in load_yaml("countries.yaml")}
    for m in media:
        assert m["name"] and (m.get("country") in codes or m.get("platform")), m
    roles = load_yaml("roles.yaml")
    assert {"titles", "anonymous", "state_groups", "pronouns", "anaphora"} <= set(roles)
    for title, info in roles["titles"].items():
        assert title == title.lower() and info.get("sector") in SECTORS, title
        assert info.get("country") is None or info["country"] in codes, title
    for iso3 in load_yaml("places.yaml"):
        assert iso3 in codes, iso3


def test_no_form_names_two_entries():
    """A name, alias, metonym or demonym belongs to one entry; a surname shared by several
    people is intended (the article decides), but never one that names something else."""
    kb = default_kb()
    for text, forms in kb.forms.items():
        strong = {f.entry_id for f in forms if f.how in ("name", "alias", "metonym", "demonym")}
        assert len(strong) <= 1, (text, strong)
        if strong:
            assert all(f.entry_id in strong for f in forms if f.how == "surname"), (text, forms)


def test_trump_is_a_person_with_both_terms():
    kb = default_kb()
    trump = kb.entries["person:donald-trump"]
    assert (trump.kind, trump.country, trump.wikidata) == ("person", "USA", "Q22686")
    terms = sorted((r.start, r.end) for r in trump.roles if r.office == "head-of-state")
    assert terms == [(dt.date(2017, 1, 20), dt.date(2021, 1, 20)), (dt.date(2025, 1, 20), None)]
    assert kb.office_holder("USA", "head-of-state", dt.date(2019, 6, 1)).name == "Donald Trump"
    assert kb.office_holder("USA", "head-of-state", dt.date(2023, 6, 1)).name == "Joe Biden"
    assert kb.office_holder("USA", "head-of-state", dt.date(2025, 6, 1)).name == "Donald Trump"


def test_the_knowledge_base_is_loaded_once():
    assert default_kb() is default_kb()
    assert knowledge_base(()) is default_kb()


# ---------------------------------------------------------------- the user's own actors

USER_FILE = """\
- name: Amara Velk
  country: FRA
  gender: f
  aliases: [A. Velk]
  roles:
  - title: Mayor of Lyon
    title_aliases: [Lyon mayor]
    sector: GOV
    start: 2024-03-01
- name: Velorian Liberation Front
  kind: organization
  aliases: [VLF]
"""


def test_user_actors_file_extends_the_knowledge_base(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    kb = knowledge_base((str(path),))
    assert kb is not default_kb() and "person:amara-velk" not in default_kb().entries
    velk = kb.entries["person:amara-velk"]
    assert (velk.country, velk.gender, velk.role_on(dt.date(2025, 1, 1)).title) == ("FRA", "f", "Mayor of Lyon")
    assert kb.lookup("VLF")[0].entry_id == "organization:velorian-liberation-front"

    from thucydides.model import Article
    from thucydides.pipeline import Pipeline

    a = Pipeline(actors_files=[str(path)]).analyze(Article(
        text="Amara Velk met the VLF. Velk said the talks had ended. The Lyon mayor left.", published="2025-03-01"))
    velk = next(x for x in a.actors if x.name == "Amara Velk")
    assert (velk.kind, velk.country, velk.role, velk.sector) == ("person", "FRA", "Mayor of Lyon", "GOV")
    assert [m.text for m in velk.mentions] == ["Amara Velk", "Velk", "The Lyon mayor"]
    assert any(x.name == "Velorian Liberation Front" and x.kind == "organization" for x in a.actors)


@pytest.mark.parametrize("content, message", [
    ("- name: X\n  roles:\n  - title: Mayor\n    start: 2024-13-01\n", "not a date"),
    ("- name: X\n  country: Veloria\n", "ISO 3166"),
    ("- name: X\n  colour: red\n", "unknown key"),
    ("- title: Mayor\n", "no name"),
    ("name: X\n", "YAML list"),
    ("- name: X\n  roles: [Mayor]\n", "roles"),
    ("- name: [unclosed\n", "not valid YAML"),
])
def test_a_bad_user_file_is_named_in_the_error(tmp_path, content, message):
    path = tmp_path / "bad-actors.yaml"
    path.write_text(content, encoding="utf-8")
    kb = KnowledgeBase()
    with pytest.raises(ThucydidesError) as exc:
        kb.load_user_file(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_cli_actors_flag(tmp_path):
    actors = tmp_path / "mine.yaml"
    actors.write_text(USER_FILE, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Amara Velk said the bridge would reopen.\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "thucydides", "analyze", "--format", "jsonl", "--actors", str(actors), str(article)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    assert '"Mayor of Lyon"' in out.stdout



def test_cli_names_a_bad_actors_file(tmp_path, capsys):
    from thucydides.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: X\n  country: Veloria\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Amara Velk said the bridge would reopen.\n", encoding="utf-8")
    assert main(["analyze", "--format", "jsonl", "--actors", str(bad), str(article)]) == 2
    err = capsys.readouterr()
    assert err.out == "" and str(bad) in err.err and "'X'" in err.err and "ISO 3166" in err.err
