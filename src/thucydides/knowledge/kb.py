"""The actor knowledge base: states, international organisations, people and news media.

Loaded once per process from the YAML files beside this module, plus any user file given
with `--actors FILE`. Lookups are by surface form (exact case), by surname, and by office
on a date ("the U.S. president" on 2025-02-13 is Donald Trump).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ThucydidesError
from . import has_file, load_yaml

FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "MAC", "PRK", "KOR"}
USER_KEYS = {"name", "aliases", "kind", "country", "sector", "gender", "wikidata", "surname", "roles"}
OFFICE_RANK = {
    "head-of-state": 0, "head-of-government": 1, "vice-president": 2, "foreign-minister": 3,
    "defence-minister": 4, "secretary-general": 5, "spokesperson:foreign-ministry": 6,
    "spokesperson:government": 7, "national-security-adviser": 8, "finance-minister": 9,
}


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-") or "x"


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass
class Role:
    title: str
    office: str | None
    sector: str | None
    start: dt.date | None
    end: dt.date | None
    aliases: tuple[str, ...] = ()
    org: str | None = None         # "igo:nato" for an office of an international organisation

    def active(self, on: dt.date | None) -> bool:
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass
class Entry:
    id: str
    name: str
    kind: str                      # person | state | igo | organization
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    gender: str | None = None
    roles: list[Role] = field(default_factory=list)
    media: bool = False
    aliases: tuple[str, ...] = ()

    def role_on(self, on: dt.date | None) -> Role | None:
        """The role held on a date; the latest role when none was held then (a former official)."""
        if not self.roles:
            return None
        active = [r for r in self.roles if r.active(on)]
        if active:
            return min(active, key=lambda r: OFFICE_RANK.get(r.office or "", 99))
        if on is not None:
            past = [r for r in self.roles if r.end is not None and r.end <= on]
            if past:
                return max(past, key=lambda r: r.end)
        return self.roles[0]

    surname_override: str | None = None

    @property
    def surname(self) -> str | None:
        """The name news uses alone: the last word, or the first for East Asian names."""
        if self.kind != "person":
            return None
        if self.surname_override:
            return self.surname_override
        parts = self.name.split()
        if len(parts) < 2:
            return None
        return parts[0] if self.country in FAMILY_NAME_FIRST else parts[-1]


@dataclass(frozen=True)
class Form:
    """A surface form of an entry: how it appears in text and what it says."""

    entry_id: str
    how: str   # name | alias | demonym | metonym | surname


class KnowledgeBase:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.forms: dict[str, list[Form]] = {}
        self.offices: dict[tuple[str, str], list[tuple[Role, str]]] = {}
        self.titles: dict[str, dict] = {}
        self.anonymous: frozenset[str] = frozenset()
        self.state_groups: frozenset[str] = frozenset()
        self.pronouns: dict[str, str | None] = {}
        self.anaphora: frozenset[str] = frozenset()   # role nouns that refer back: "the spokesperson"
        # qualified titles of people ("U.S. president", "UN chief"), lower case -> holders
        self.title_aliases: dict[str, list[tuple[Role, str]]] = {}
        self.by_country: dict[str, list[str]] = {}   # country or body -> ids of its people

    # ------------------------------------------------------------ building
    def _add_form(self, text: str, entry_id: str, how: str) -> None:
        text = text.strip()
        if not text:
            return
        variants = {text}
        if text.lower().startswith("the "):
            variants.add(text[4:])
        for v in list(variants):  # noqa: PERF101 - the loop adds to the set
            if v[:1].islower():
                variants.add(v[:1].upper() + v[1:])
        for v in variants:
            forms = self.forms.setdefault(v, [])
            f = Form(entry_id, how)
            if f not in forms:
                forms.append(f)

    def add_entry(self, entry: Entry, names: Iterable[str] = (), demonyms: Iterable[str] = (),
                  metonyms: Iterable[str] = ()) -> None:
        self.entries[entry.id] = entry
        entry.aliases = tuple(names)
        self._add_form(entry.name, entry.id, "name")
        for n in names:
            self._add_form(n, entry.id, "alias")
        for d in demonyms:
            self._add_form(d, entry.id, "demonym")
        for m in metonyms:
            self._add_form(m, entry.id, "metonym")
        if entry.kind == "person":
            if entry.surname:
                self._add_form(entry.surname, entry.id, "surname")
            for n in names:
                parts = n.split()
                if len(parts) > 1 and entry.country not in FAMILY_NAME_FIRST and parts[-1] != entry.surname \
                        and " of " not in f" {n} " and parts[-1][:1].isupper():
                    self._add_form(parts[-1], entry.id, "surname")
            for r in entry.roles:
                if r.office and r.office != "other":
                    for key in {entry.country, r.org} - {None, "IGO"}:
                        self.offices.setdefault((key, r.office), []).append((r, entry.id))

    def load_countries(self, rows: list[dict]) -> None:
        for r in rows:
            e = Entry(id=r["iso3"], name=r["name"], kind="state", country=r["iso3"], sector=None,
                      wikidata=r.get("wikidata"))
            self.add_entry(e, r.get("names") or [], r.get("demonyms") or [], r.get("metonyms") or [])

    def load_igos(self, rows: list[dict]) -> None:
        for r in rows:
            e = Entry(id="igo:" + r["id"], name=r["name"], kind="igo", country=r.get("country") or "IGO",
                      sector="IGO", wikidata=r.get("wikidata"))
            self.add_entry(e, r.get("names") or [], (), r.get("metonyms") or [])

    def load_places(self, table: dict[str, list[str]]) -> None:
        """Cities and regions: forms that name a place in a country, never an actor."""
        for iso3, names in table.items():
            for n in names or []:
                if not self.lookup(n):
                    self._add_form(n, iso3, "place")

    def load_media(self, rows: list[dict]) -> None:
        for r in rows:
            e = Entry(id="media:" + r["id"], name=r["name"], kind="organization", country=r.get("country"),
                      sector="MED", media=True)
            self.add_entry(e, r.get("names") or [])

    def load_people(self, rows: list[dict], origin: str = "people.yaml") -> None:
        for n, r in enumerate(rows, 1):
            self._check_row(r, n, origin)
            roles = [Role(title=ro.get("title") or "", office=ro.get("office"), sector=ro.get("sector"),
                          start=parse_date(ro.get("start")), end=parse_date(ro.get("end")),
                          aliases=tuple(ro.get("title_aliases") or ()),
                          org=("igo:" + ro["org"]) if ro.get("org") else None)
                     for ro in r.get("roles") or []]
            pid = "person:" + slug(r["name"])
            e = Entry(id=pid, name=r["name"], kind=r.get("kind") or "person", country=r.get("country"),
                      sector=roles[0].sector if roles else r.get("sector"), wikidata=r.get("wikidata"),
                      gender=r.get("gender"), roles=roles, surname_override=r.get("surname"))
            if e.kind != "person":
                e.id = f"{e.kind}:{slug(r['name'])}"
            self.add_entry(e, r.get("aliases") or [])

    def _check_row(self, r: Any, n: int, origin: str) -> None:
        """Say which entry of which file is wrong, and how, instead of failing later."""
        where = f"{origin}: entry {n}"
        if not isinstance(r, dict):
            raise ThucydidesError(f"{where} is not a mapping; each entry is `- name: ...` with its keys indented")
        if not r.get("name") or not isinstance(r["name"], str):
            raise ThucydidesError(f"{where}: an actor entry has no name; give each entry `name:`")
        where = f"{origin}: {r['name']!r}"
        unknown = set(r) - USER_KEYS
        if unknown:
            raise ThucydidesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                                  f"known keys are {', '.join(sorted(USER_KEYS))}")
        kind = r.get("kind") or "person"
        if kind not in ("person", "organization", "group"):
            raise ThucydidesError(f"{where}: kind {kind!r} is not one of person, organization, group")
        country = r.get("country")
        if country is not None and (country not in ("IGO", "EU") and (
                not isinstance(country, str) or not re.fullmatch(r"[A-Z]{3}", country)
                or (self.entries and country not in self.entries))):
            raise ThucydidesError(f"{where}: country {country!r} is not an ISO 3166 alpha-3 code (e.g. USA), IGO or EU")
        if not isinstance(r.get("aliases") or [], list):
            raise ThucydidesError(f"{where}: `aliases` must be a list of names")
        roles = r.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(ro, dict) for ro in roles):
            raise ThucydidesError(f"{where}: `roles` must be a list of mappings with `title:`")
        for ro in roles:
            for key in ("start", "end"):
                v = ro.get(key)
                if v not in (None, "") and parse_date(v) is None:
                    raise ThucydidesError(f"{where}: role {ro.get('title')!r} has {key}: {v!r}, which is not a "
                                          f"date; write YYYY-MM-DD")
            if not isinstance(ro.get("title_aliases") or [], list):
                raise ThucydidesError(f"{where}: `title_aliases` must be a list")

    def qualifier(self, text: str) -> Entry | None:
        """The state or international body a word names or stands for ("Chinese", "Kremlin", "UN")."""
        for f in self.lookup(text):
            e = self.entries[f.entry_id]
            if e.kind in ("state", "igo") and f.how in ("name", "alias", "demonym", "metonym"):
                return e
        return None

    def index_titles(self) -> None:
        """Index the qualified titles of people ("U.S. president", "NATO chief") and tie the roles
        of international officials to their organisation ("Secretary General of NATO" -> igo:nato).
        Call once after everything is loaded."""
        # a surname is never read where the word names something else ("Turk", "Jordan")
        for text, forms in list(self.forms.items()):
            strong = {f.entry_id for f in forms if f.how != "surname"}
            if strong and any(f.how == "surname" and f.entry_id not in strong for f in forms):
                self.forms[text] = [f for f in forms if f.how != "surname" or f.entry_id in strong]
        self.title_aliases = {}
        self.by_country = {}
        for e in self.entries.values():
            if e.kind == "person":
                for key in {e.country} | {r.org for r in e.roles if r.org}:
                    if key:
                        self.by_country.setdefault(key, []).append(e.id)
            if e.kind != "person":
                continue
            for r in e.roles:
                if r.org is None and e.country in ("IGO", "EU"):
                    r.org = self._org_in(r.title)
                    if r.org and r.office and r.office != "other":
                        self.offices.setdefault((r.org, r.office), []).append((r, e.id))
                    if r.org:
                        self.by_country.setdefault(r.org, []).append(e.id)
                for t in (r.title, *r.aliases):
                    if self._qualified(t):
                        lst = self.title_aliases.setdefault(t.lower(), [])
                        if (r, e.id) not in lst:
                            lst.append((r, e.id))

    def _org_in(self, title: str) -> str | None:
        words = title.replace(",", " ").split()
        best = None
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 7) + 1):
                q = self.qualifier(" ".join(words[i:j]))
                if q is not None and q.kind == "igo" and (best is None or j - i > best[0]):
                    best = (j - i, q.id)
        return best[1] if best else None

    def _qualified(self, title: str) -> bool:
        """A title that names its country or body ("top U.S. diplomat"), so it can stand alone."""
        words = title.replace(",", " ").split()
        if len(words) < 2:
            return False
        return any(self.qualifier(" ".join(words[i:j])) is not None or any(
            f.how in ("place", "name", "alias") and self.entries[f.entry_id].kind in ("state", "organization")
            for f in self.lookup(" ".join(words[i:j])))
            for i in range(len(words)) for j in range(i + 1, min(len(words), i + 5) + 1))

    def alias_holder(self, title: str, on: dt.date | None) -> Entry | None:
        """Who held a qualified title ("UN chief") on a date; the most senior if several did."""
        cands = [(r, pid) for r, pid in self.title_aliases.get(title.lower(), []) if r.active(on)]
        if not cands or len({self.entries[pid].country for _, pid in cands}) > 1:
            return None   # nobody, or people of several countries: "ambassador to the United Nations"
        _, pid = max(cands, key=lambda x: x[0].start or dt.date.min)
        return self.entries[pid]

    def load_user_file(self, path: str | Path) -> None:
        """A user's own actors, in the schema of people.yaml (`kind:` may say organization/group)."""
        p = Path(path)
        try:
            rows = yaml.safe_load(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ThucydidesError(f"{path}: cannot read the actors file ({exc.strerror})") from exc
        except yaml.YAMLError as exc:
            raise ThucydidesError(f"{path}: not valid YAML ({exc.__class__.__name__}); see README, 'Actors'") from exc
        except ValueError as exc:   # PyYAML reads 2024-13-01 as a date and fails
            raise ThucydidesError(f"{path}: a value is not a date ({exc}); write dates as YYYY-MM-DD") from exc
        if not isinstance(rows, list):
            raise ThucydidesError(f"{path}: the actors file must be a YAML list of entries with `name:`")
        self.load_people(rows, origin=str(path))

    def copy(self) -> KnowledgeBase:
        """A deep copy to extend with a user's file, without the compiled matchers of this one."""
        import copy

        state = {k: v for k, v in self.__dict__.items() if k != "_matchers"}
        new = KnowledgeBase.__new__(KnowledgeBase)
        new.__dict__.update(copy.deepcopy(state))
        return new

    # ------------------------------------------------------------ lookups
    def lookup(self, text: str) -> list[Form]:
        return self.forms.get(text, [])

    def title_holder(self, country: str, title: str, office: str | None, on: dt.date | None) -> Entry | None:
        """Who a title names in a country or body on a date: first by the title itself ("the
        Iranian president" is the president, though the supreme leader is head of state), then
        by the office it stands for ("the U.S. foreign minister" is the secretary of state)."""
        key = title.lower()
        fits = []
        for pid in self.by_country.get(country, ()):
            for r in self.entries[pid].roles:
                if r.active(on) and any(self._title_fits(t, key) for t in (r.title, *r.aliases)):
                    fits.append((r, pid))
        if fits:
            return self.entries[max(fits, key=lambda x: x[0].start or dt.date.min)[1]]
        return self.office_holder(country, office, on) if office else None

    def holders_ever(self, country: str, title: str, office: str | None) -> set[str]:
        """Everyone who ever held a title or office in a country or body (for undated text)."""
        key = title.lower()
        out = {pid for pid in self.by_country.get(country, ())
               if any(any(self._title_fits(t, key) for t in (r.title, *r.aliases)) for r in self.entries[pid].roles)}
        if office:
            out |= {pid for _, pid in self.offices.get((country, office), [])}
        return out

    def _title_fits(self, t: str, key: str) -> bool:
        t = t.lower()
        if t == key or t.startswith(key + " of "):
            return True
        return t.endswith(" " + key) and not t.startswith(("vice", "deputy", "acting", "former", "first"))\
            and self._qualified(t) and len(t.split()) - len(key.split()) <= 2

    def office_holder(self, country: str, office: str, on: dt.date | None) -> Entry | None:
        """Who held an office of a state (ISO code) or international body ("igo:nato") on a date:
        the one who took it last among those holding it that day."""
        holders = [(role, pid) for role, pid in self.offices.get((country, office), []) if role.active(on)]
        if not holders:
            return None
        return self.entries[max(holders, key=lambda x: x[0].start or dt.date.min)[1]]

    def title_info(self, title: str) -> dict | None:
        return self.titles.get(title.lower())


@functools.lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.load_countries(load_yaml("countries.yaml"))
    kb.load_igos(load_yaml("igos.yaml"))
    kb.load_media(load_yaml("media.yaml"))
    kb.load_people(load_yaml("people.yaml"))
    if has_file("organizations.yaml"):
        kb.load_people(load_yaml("organizations.yaml"), origin="organizations.yaml")
    kb.load_places(load_yaml("places.yaml"))
    roles = load_yaml("roles.yaml")
    kb.titles = {k.lower(): v for k, v in roles["titles"].items()}
    kb.anonymous = frozenset(roles["anonymous"])
    kb.state_groups = frozenset(roles["state_groups"])
    kb.pronouns = dict(roles["pronouns"])
    kb.anaphora = frozenset(roles.get("anaphora") or ())
    kb.index_titles()
    return kb


def knowledge_base(user_files: tuple[str, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge base, extended with a user's files (built once per set of files)."""
    return _kb_with(tuple(user_files))


@functools.lru_cache(maxsize=8)
def _kb_with(user_files: tuple[str, ...]) -> KnowledgeBase:
    if not user_files:
        return default_kb()
    kb = default_kb().copy()
    for f in user_files:
        kb.load_user_file(f)
    kb.index_titles()
    return kb
