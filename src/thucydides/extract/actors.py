"""Actors: every mention of a person, organisation or country, resolved to one actor.

Mentions come from the knowledge base's phrase matcher (which wins where it knows better
than the NER model: spaCy's small model tags "Trump" as an organisation and "Twitter" as a
person), from office phrases ("the U.S. president", "Russia's foreign minister", "the
spokesperson"), and from the NER model for names the knowledge base lacks. Each mention is
resolved in article order, so that a surname ("Guo") finds the full name met before ("Guo
Jiakun"), a role noun ("the spokesperson") the last person holding that role, and a pronoun
the last person named. Titles before a name and appositions ("Chinese Foreign Ministry
spokesperson Guo Jiakun", "Amara Velk, a Velorian diplomat") give an unknown person a role
and a country, and check a known one: "Defense Minister Kim" is not Kim Jong Un. Offices
resolve by date: "the U.S. president" on 2025-02-13 is whoever held the office that day.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from ..knowledge.kb import FAMILY_NAME_FIRST, OFFICE_RANK, Entry, KnowledgeBase, slug
from ..model import Actor, Analysis, Attribution, Span
from ..nlp import doc_ents, token_hashes
from ..nlp import doc_text as _text

NER_KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "state", "NORP": "group", "FAC": None,
             "LOC": None}
TITLE_STOP = {",", "(", ")", ";", ":", "—", "–", "and", "or", "by", "with", "to", "for", "from", "in", "on",
              "at", "that", "said", "says", "who", "\"", "“", "”", "'", "‘"}
LOCAL_STATE = re.compile(r"^(?:the |The )?(?:Republic|Kingdom|Federation|Principality|Sultanate|Emirate|"
                         r"Grand Duchy|Federal Republic|People's Republic|Democratic Republic|Islamic Republic|"
                         r"United Republic|Commonwealth|State) of ([A-Z][a-z]+)$")
COUNTRY_WORDS = re.compile(r"\b(Republic|Kingdom|Federation|Emirates|Principality|Commonwealth|Sultanate|"
                           r"Confederation|Union|State of|States)\b")
DETERMINERS = {"the", "a", "an", "one", "two", "three", "several", "some", "many", "another", "other",
               "senior", "top", "former", "unnamed", "anonymous", "this", "that", "these", "those"}
HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "dr": None,
              "dr.": None, "sir": "m", "dame": "f", "lord": "m", "lady": "f"}
POSSESSIVE = {"'s", "’s", "‘s", "'", "’"}
# a word that looks like a nationality we do not know ("Velorian", "Zarqish")
DEMONYM_LIKE = re.compile(r"^[A-Z][a-z]+(ian|ean|an|ese|ish|i|ic|ene)$")
COLLECTIVE = {"team", "aides", "allies", "campaign", "lawyers", "advisers", "advisors", "officials", "staff",
              "office", "camp", "supporters", "spokespeople", "party", "family", "government", "administration",
              "cabinet", "ministry", "representatives", "negotiators", "delegation"}
SINGULAR_ASSOCIATES = {"spokesperson", "spokesman", "spokeswoman", "lawyer", "aide", "adviser", "advisor",
                       "attorney", "envoy", "deputy", "representative"}
SPOKES = {"spokesperson", "spokesman", "spokeswoman"}
# Bodies, not people: "the Ministry of Commerce said" is the ministry speaking, and "the
# commerce ministry" later is that ministry again, never the "Foreign Ministry spokesperson".
INSTITUTIONS = {"ministry", "department", "commission", "council", "agency", "committee", "office", "embassy",
                "consulate", "mission", "bureau", "secretariat", "directorate", "inspectorate", "court",
                "parliament", "assembly", "legislature", "senate", "cabinet", "government", "administration"}
APPOSITIVE = re.compile(r"(\s*,)?\s*(?:(?:Gen|Lt|Col|Maj|Adm|Capt|Sgt|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov)\.?\s+|"
                        r"(?:General|Colonel|Admiral|Major|Sheikh|Prince|Judge)\s+)?")
SPEECH_VERBS = {"say", "tell", "add", "write", "dismiss", "insist", "warn", "argue", "explain", "note", "stress",
                "reiterate", "acknowledge", "admit", "deny", "confirm", "reply", "respond", "recall", "vow",
                "promise", "predict", "describe", "call", "ask", "tweet", "post", "joke", "complain", "declare"}
ORG_WORDS = {"Ministry", "Party", "Bank", "Group", "Council", "Inc", "Corp", "Company", "Agency", "Army", "Forces",
             "Committee", "Union", "Association", "Institute", "University", "Court", "News", "Times", "Post",
             "Airlines", "Motors", "Capital", "Partners", "Holdings", "Technologies", "Systems", "Foundation",
             "Fund", "Organization", "Organisation", "Front", "Movement", "Brigade", "Brigades", "Guard",
             "Police", "Service", "Services", "Office", "Department", "Commission", "Assembly", "Parliament",
             "Congress", "Senate", "Network", "Media", "Press", "Radio", "Television", "Club", "United", "City",
             "Energy", "Oil", "Gas", "Airways", "Steel", "Industries", "International", "Global", "Labs",
             "Reserve", "Authority", "Board", "Centre", "Center", "Alliance", "League", "Coalition", "Watch",
             "Daily", "Journal", "Herald", "Tribune", "Exchange", "Securities", "Insurance"}


@dataclass
class Mention:
    start: int
    end: int
    actor: str
    how: str          # kb | ner | title | office | pronoun | role | anonymous | group
    tokens: tuple[int, int] = (0, 0)


@dataclass
class ArticleActors:
    """Per-article state of the resolver: actors met so far and their mentions."""

    kb: KnowledgeBase
    on: dt.date | None
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    genders: dict[str, str | None] = field(default_factory=dict)
    local_surnames: dict[str, str] = field(default_factory=dict)
    offices: dict[str, set[str]] = field(default_factory=dict)

    def actor_from_entry(self, e: Entry) -> Actor:
        a = self.actors.get(e.id)
        if a is None:
            role = e.role_on(self.on)
            a = Actor(id=e.id, name=e.name, kind=e.kind, country=e.country,
                      sector=(role.sector if role else None) or e.sector,
                      role=role.title if role else None, wikidata=e.wikidata)
            ended = role is not None and role.end is not None and (self.on is None or role.end <= self.on)
            if ended:
                a.role = "former " + role.title[:1].lower() + role.title[1:] if role.title else None
                a.sector = "ELI" if a.sector == "GOV" else a.sector
            self.actors[e.id] = a
            self.genders[e.id] = e.gender
            self.offices[e.id] = {r.office for r in e.roles if r.office and r.active(self.on)}
        return a

    def add(self, actor: Actor, text: str, start: int, end: int, how: str, tokens=(0, 0)) -> Mention:
        if actor.id not in self.actors:
            self.actors[actor.id] = actor
        span = Span.of(text, start, end)
        if span not in self.actors[actor.id].mentions:
            self.actors[actor.id].mentions.append(span)
        for m in self.mentions:
            if m.start == start and m.end == end and m.actor == actor.id:
                return m
        m = Mention(start, end, actor.id, how, tokens)
        bisect.insort(self.mentions, m, key=lambda x: x.start)
        return m

    def drop(self, lo: int, hi: int) -> None:
        """Forget the mentions that start inside [lo, hi): a longer phrase stands for them."""
        for m in [m for m in self.mentions if lo <= m.start < hi]:
            owner = self.actors[m.actor]
            owner.mentions = [x for x in owner.mentions if not (x.start == m.start and x.end == m.end)]
        self.mentions = [m for m in self.mentions if not (lo <= m.start < hi)]


def _matchers(kb: KnowledgeBase, nlp):
    """The knowledge base's phrase matchers, compiled once per process and vocabulary: names
    (exact case) and titles (any case)."""
    cache = kb.__dict__.setdefault("_matchers", {})
    key = id(nlp.vocab)
    if key not in cache:
        cache.clear()  # keep one vocabulary alive, not every one a process has loaded
        from spacy.matcher import PhraseMatcher

        names = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = list(kb.forms)
        for i in range(0, len(forms), 1000):
            names.add("KB", list(nlp.tokenizer.pipe(forms[i:i + 1000])))
        titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        titles.add("TITLE", list(nlp.tokenizer.pipe(sorted(kb.titles))))
        originals = sorted({t for e in kb.entries.values() for r in e.roles for t in (r.title, *r.aliases)
                            if t.lower() in kb.title_aliases})
        if originals:
            titles.add("ALIAS", list(nlp.tokenizer.pipe(originals)))
        cache[key] = (names, titles)
    return cache[key]


def _best_form(kb: KnowledgeBase, text: str):
    forms = kb.lookup(text)
    order = {"name": 0, "alias": 1, "metonym": 2, "surname": 3, "demonym": 4, "place": 5}
    return sorted(forms, key=lambda f: order.get(f.how, 9))


@dataclass
class TitleInfo:
    """What the words around a name say about the person."""

    role: str | None = None
    country: str | None = None
    office: str | None = None
    gender: str | None = None
    start: int | None = None       # character offset where the title begins
    qualified: bool = False        # a country or body is named in the title


class ActorResolver:
    """Finds and resolves the actors of one parsed article."""


    def __init__(self, kb: KnowledgeBase, nlp) -> None:
        self.kb = kb
        self.matcher, self.title_matcher = _matchers(kb, nlp)
        self.anaphora = {t.lower() for t in kb.anaphora} | {t for t, i in kb.titles.items() if i.get("office")}
        self.person_titles = {t.split()[-1] for t in kb.titles if not t.endswith("s")} - {"general", "major"}
        self.title_words = {w for t in kb.titles for w in t.split()} - {"of", "the", "state", "general", "major"}
        self._sectors: dict[str, str | None] = {}  # role -> sector; roles repeat across articles

    # -------------------------------------------------------------- mentions
    def _kb_spans(self, doc):
        from spacy.util import filter_spans

        spans = []
        places = []
        for _, s, e in self.matcher(doc):
            sp = doc[s:e]
            forms = _best_form(self.kb, sp.text)
            if forms and forms[0].how == "demonym":
                continue  # a demonym alone names no actor; it gives titles and groups their country
            if forms and forms[0].how == "place":
                places.append(sp)   # a city that does not stand for its state: no actor, and no NER guess
                continue
            # "the Ukraine crisis": the article belongs to the noun, not to the name
            if sp[0].lower_ == "the" and e < len(doc) and doc[e].pos_ == "NOUN" and len(sp) > 1 \
                    and self.kb.lookup(doc[s + 1:e].text):
                sp = doc[s + 1:e]
            spans.append(sp)
        kept = filter_spans(spans)
        taken = {i for sp in kept for i in range(sp.start, sp.end)}
        return kept, frozenset(i for sp in places for i in range(sp.start, sp.end) if i not in taken)

    def _ner_spans(self, doc, taken: set[int], places: frozenset[int] = frozenset()):
        """NER entities the knowledge base did not claim, trimmed of possessives, quote marks,
        "the" and titles ("President Velkov" -> "Velkov")."""
        cleaned = []
        for ent in doc_ents(doc):
            if ent.label_ not in NER_KINDS or set(range(ent.start, ent.end)) & taken:
                continue
            if set(range(ent.start, ent.end)) & places and ent.label_ != "PERSON":
                continue
            s, e = ent.start, ent.end
            while e > s and (doc[e - 1].text in ("'s", "’s", "‘s", "'", "’", "s") or doc[e - 1].is_punct):
                e -= 1
            while s < e and (doc[s].is_punct or doc[s].lower_ in ("the",)):
                s += 1
            if ent.label_ == "PERSON":
                while s < e - 1 and (doc[s].lower_ in HONORIFICS or doc[s].lower_ in self.title_words
                                     or self.kb.qualifier(doc[s].text) is not None):
                    s += 1
            if e > s:
                sp = doc[s:e]
                sp.label_ = ent.label_
                cleaned.append(sp)
        return cleaned

    def candidate_spans(self, doc, on: dt.date | None = None):
        """Every phrase that may name an actor, in text order: (start token, end token, origin, data)."""
        kb_spans, places = self._kb_spans(doc)
        # a surname we know inside a longer name we do not ("Mary Trump", "Kim Dae-sung") is
        # that other person's: the NER model's span wins over the knowledge base's surname
        persons = [sp for sp in self._ner_spans(doc, set()) if sp.label_ == "PERSON" and len(sp) > 1]
        drop = []
        for sp in kb_spans:
            forms = _best_form(self.kb, sp.text)
            if not forms or forms[0].how != "surname":
                continue
            for p in persons:
                if p.start <= sp.start and sp.end <= p.end and len(p) > len(sp):
                    rest = [t for t in p if not (sp.start <= t.i < sp.end) and not t.is_punct]
                    if all(not self.kb.lookup(t.text) and t.lower_ not in self.title_words
                           and t.lower_ not in HONORIFICS and (t.text[:1].isupper() or doc[t.i - 1].text == "-")
                           for t in rest):
                        drop.append(sp)
                        break
        kb_spans = [sp for sp in kb_spans if sp not in drop]
        taken = {i for sp in kb_spans for i in range(sp.start, sp.end)}
        ner = self._ner_spans(doc, taken, places)
        self._people_taken_for_organisations(doc, ner)
        name_starts = {sp.start for sp in ner if sp.label_ == "PERSON"}
        for sp in kb_spans:
            forms = _best_form(self.kb, sp.text)
            if forms and self.kb.entries[forms[0].entry_id].kind == "person":
                name_starts.add(sp.start)
        for i in name_starts.copy():   # "President Mr. X" and initials: the name starts at the honorific
            if i > 0 and doc[i - 1].lower_ in HONORIFICS:
                name_starts.add(i - 1)
        offices = self._office_spans(doc, name_starts, on)
        covered = {i for s, e, _, _ in offices for i in range(s, e)}
        out = [(s, e, "office", (k, d)) for s, e, k, d in offices]
        out += [(sp.start, sp.end, "kb", sp) for sp in kb_spans if not (set(range(sp.start, sp.end)) & covered)]
        out += [(sp.start, sp.end, "ner", sp) for sp in ner if not (set(range(sp.start, sp.end)) & covered)]
        # surnames of people the knowledge base does not know, wherever they recur
        surnames = {sp[k].text for sp in ner if sp.label_ in ("PERSON", "ORG") and len(sp) > 1 for k in (0, -1)
                    if sp[k].pos_ == "PROPN"}
        # a lone surname tagged by the NER model is handled as a surname
        out = [c for c in out if not (c[2] == "ner" and c[1] - c[0] == 1 and doc[c[0]].text in surnames
                                      and c[3].label_ != "PERSON")]
        used = {i for s, e, _, _ in out for i in range(s, e)}
        if surnames:
            strings = doc.vocab.strings
            wanted = {strings[w] for w in surnames if w[:1].isupper()}
            for i, h in enumerate(token_hashes(doc, "ORTH")):
                if h in wanted and i not in used:
                    out.append((i, i + 1, "surname", doc[i:i + 1]))
        # "the Republic of Veloria" is a state, and so is "Veloria" anywhere in the article
        states = {}
        for sp in ner:
            m = LOCAL_STATE.search(sp.text)
            if sp.label_ in ("GPE", "ORG") and m:
                states[m.group(1)] = sp
        if states:
            out = [c for c in out if not (c[2] == "ner" and c[3].text in states)]
            used = {i for s, e, _, _ in out for i in range(s, e)}
            strings = doc.vocab.strings
            wanted = {strings[w]: w for w in states}
            for i, h in enumerate(token_hashes(doc, "ORTH")):
                if h in wanted and i not in used:
                    w = wanted[h]
                    out.append((i, i + 1, "state", (w, states[w].text)))
        return sorted(out, key=lambda c: (c[0], -c[1]))

    def _people_taken_for_organisations(self, doc, ner) -> None:
        """The small model tags some unknown people as organisations ("Amara Velk"). A name of
        two or three capitalised words with no word of an organisation's name is a person when
        the text says so: the surname recurs as a person or after "Ms.", or "he"/"she" follows."""
        persons_alone = {sp.text for sp in ner if sp.label_ == "PERSON" and len(sp) == 1}
        honorifics = {doc.vocab.strings[h] for h in HONORIFICS}
        lower = token_hashes(doc, "LOWER")
        persons_alone |= {doc[i].text for i in range(1, len(lower))
                          if lower[i - 1] in honorifics and doc[i].pos_ == "PROPN"}
        for sp in ner:
            if sp.label_ != "ORG" or not 2 <= len(sp) <= 3:
                continue
            if not all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and t.text[1:].islower()
                       and t.text not in ORG_WORDS for t in sp):
                continue
            evidence = sp[-1].text in persons_alone
            root = sp.root
            if not evidence and root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS:
                evidence = True  # "Amara Velk dismissed the idea": organisations rarely dismiss ideas by name
            if not evidence:
                sents = [sp.sent] + ([doc[sp.sent.end].sent] if sp.sent.end < len(doc) else [])
                for t in (t for s_ in sents for t in s_ if t.i >= sp.end):
                    if t.ent_type_ == "PERSON" or (t.ent_type_ == "ORG" and t.i not in range(sp.start, sp.end)):
                        break
                    if t.lower_ in ("he", "she", "him", "her", "his", "hers"):
                        evidence = True
                        break
            if evidence:
                sp.label_ = "PERSON"

    # -------------------------------------------------------------- titles
    def _qualifier_at(self, doc, i: int, j_max: int):
        """The longest state or body named by tokens starting at i (before j_max): (entry, end)."""
        for j in range(min(j_max, i + 5), i, -1):
            q = self.kb.qualifier(doc[i:j].text)
            if q is not None:
                return q, j
        return None, i

    def _qualifier_ending(self, doc, j: int):
        """The state or body named by tokens ending at j (exclusive): (entry, start)."""
        for i in range(max(0, j - 5), j):
            q = self.kb.qualifier(doc[i:j].text)
            if q is not None:
                return q, i
        return None, j

    def _parse_title(self, doc, toks: list) -> TitleInfo:
        """Read a title: its country or body, its role words, the office they name."""
        info = TitleInfo()
        while toks and (toks[0].lower_ in DETERMINERS or toks[0].pos_ in ("DET", "PRON")):
            toks = toks[1:]
        while toks and toks[0].lower_ in HONORIFICS:
            info.gender = HONORIFICS[toks[0].lower_]
            toks = toks[1:]
        if not toks:
            return info
        info.start = toks[0].idx
        role_toks = []
        k = 0
        n = len(toks)
        while k < n:
            t = toks[k]
            q, j = self._qualifier_at(doc, t.i, toks[-1].i + 1)
            if q is not None and (not role_toks or role_toks[-1].lower_ in ("of", "the")):
                if info.country is None:
                    info.country = q.country
                info.qualified = True
                if q.kind == "igo":
                    role_toks.extend(doc[t.i:j])   # "UN envoy" keeps its body
                k += j - t.i
                if k < n and toks[k].text in POSSESSIVE:
                    k += 1
                continue
            if not role_toks and info.country is None and k + 1 < n and (
                    DEMONYM_LIKE.match(t.text) or toks[k + 1].text in POSSESSIVE) \
                    and t.lower_ not in self.kb.titles:
                k += 2 if toks[k + 1].text in POSSESSIVE else 1   # an unknown nationality or "Veloria's"
                continue
            role_toks.append(t)
            k += 1
        if info.country is None:
            # "Hamas official Basem Naim": the country of the organisation in the title
            for t in role_toks:
                org = next((self.kb.entries[f.entry_id] for f in self.kb.lookup(t.text)
                            if self.kb.entries[f.entry_id].kind == "organization"
                            and not self.kb.entries[f.entry_id].media), None)
                if org is not None and org.country:
                    info.country = org.country
                    break
        while role_toks and role_toks[-1].lower_ in ("of", "the", "for"):
            role_toks.pop()
        while role_toks and role_toks[0].lower_ in ("of", "the"):
            role_toks.pop(0)
        if role_toks and role_toks[-1].pos_ in ("NOUN", "PROPN"):
            info.role = doc[role_toks[0].i:role_toks[-1].i + 1].text if _contiguous(role_toks) \
                else " ".join(t.text for t in role_toks)
            info.office = self._office_for(info.role)
            low = info.role.lower()
            if re.search(r"(spokes|chair|congress|business)(wo)?man\b", low):
                info.gender = "f" if re.search(r"woman\b", low) else "m"
        return info

    def _title_before(self, doc, span) -> TitleInfo:
        """Title words right before a name in the same noun phrase ("Ukrainian President")."""
        i = span.start - 1
        words = []
        while i >= 0 and len(words) < 8:
            t = doc[i]
            if t.is_space or t.text in TITLE_STOP or t.pos_ in ("VERB", "AUX", "DET", "PRON", "NUM", "CCONJ") \
                    or t.lower_ in DETERMINERS or t.is_sent_end:
                break
            if t.text not in POSSESSIVE and t.pos_ not in ("PROPN", "NOUN", "ADJ") and t.lower_ != "of" \
                    and t.lower_ not in HONORIFICS:
                break
            words.insert(0, t)
            i -= 1
        if i >= 0 and doc[i].lower_ in ("to", "for", "in", "at", "of") and words:
            # "envoy to Ukraine Keith Kellogg": the country is the envoy's destination
            words = [w for w in words if self.kb.qualifier(w.text) is None]
        while words and words[0].lower_ == "of":
            words.pop(0)
        of = [k for k, w in enumerate(words) if w.lower_ == "of"]
        if of and not any(w.lower_ in self.title_words for w in words[:of[0]]):
            words = words[of[0] + 1:]   # "the office of U.N. special envoy Ilse Marrow"
        if not words:
            return TitleInfo()
        return self._parse_title(doc, words)

    def _appos_info(self, doc, span) -> TitleInfo:
        """An apposition: "Amara Velk, Veloria's foreign minister," or "the minister, Amara Velk"."""
        head = span.root
        noun = None
        for c in head.children:
            if c.dep_ == "appos" and c.i >= span.end:
                noun = c
                break
        if noun is None and head.dep_ == "appos" and head.head.i < span.start and head.head.pos_ == "NOUN":
            noun = head.head
        if noun is None:
            return TitleInfo()
        toks = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in ("punct", "cc", "conj")]
        preps = []
        for p in noun.children:
            if p.dep_ == "prep" and p.i > noun.i and p.lower_ in ("of", "for", "at", "to"):
                sub = list(p.subtree)
                if len(sub) <= 7 and not (set(range(span.start, span.end)) & {t.i for t in sub}):
                    preps.append((p, sub))
        body = sorted({t.i: t for t in toks + [t for _, sub in preps for t in sub]}.values(), key=lambda t: t.i)
        info = self._parse_title(doc, body)
        if info.country is None:
            # "a spokesperson for the Chinese embassy": the country of the body served
            for p, sub in preps:
                if p.lower_ in ("for", "of", "at"):
                    q = next((self.kb.qualifier(t.text) for t in sub if self.kb.qualifier(t.text)), None)
                    if q is not None:
                        info.country = q.country
                        break
        return info

    def _sector_for(self, role: str | None) -> str | None:
        if not role:
            return None
        cache = self._sectors
        if role not in cache:
            if len(cache) > 20000:  # bounded over a long run
                cache.clear()
            low = role.lower()
            best = None
            for title, info in self.kb.titles.items():
                if title in low and re.search(r"\b" + re.escape(title) + r"\b", low) \
                        and (best is None or len(title) > len(best[0])):
                    best = (title, info)
            cache[role] = best[1].get("sector") if best else None
        return cache[role]

    def _office_for(self, role: str | None) -> str | None:
        """The office a title names: the longest known title it ends with ("acting defense minister")."""
        if not role:
            return None
        low = " ".join(role.lower().split())
        best = None
        for title, info in self.kb.titles.items():
            if info.get("office") and (low == title or low.endswith(" " + title)) \
                    and (best is None or len(title) > len(best[0])):
                best = (title, info["office"])
        return best[1] if best else None

    # -------------------------------------------------------------- office phrases
    def _office_spans(self, doc, name_starts: set[int], on: dt.date | None):
        """Phrases that name a person by office: "the U.S. president", "Russia's foreign
        minister", "the president of France", "the spokesperson". A title before a name is
        left to the name. Returns (start, end, kind, data) with token offsets."""
        from spacy.util import filter_spans

        vocab = doc.vocab.strings
        found = [doc[s:e] for mid, s, e in self.title_matcher(doc)]
        labels = {(s, e): vocab[mid] for mid, s, e in self.title_matcher(doc)}
        out = []
        for sp in filter_spans(found):
            lo, hi = sp.start, sp.end
            key = " ".join(sp.text.lower().split())
            label = labels.get((lo, hi), "TITLE")
            nxt = doc[hi] if hi < len(doc) else None
            if hi in name_starts or (nxt is not None and nxt.pos_ == "PROPN" and nxt.ent_type_ == "PERSON"):
                continue   # "President Donald Trump": the name carries the title
            if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.dep_ != "appos" \
                    and not nxt.is_punct and doc[hi - 1].dep_ in ("compound", "amod"):
                continue   # "the president's office" is fine, "the presidential palace", "minister post" not
            qualifier = None
            start = lo
            end = hi
            if label == "TITLE":
                info = self.kb.titles.get(key) or {}
                # "Russia's foreign minister", "the Chinese premier", "the Kremlin spokesman"
                j = lo
                if j > 0 and doc[j - 1].text in POSSESSIVE:
                    j -= 1
                q, qs = self._qualifier_ending(doc, j)
                if q is not None:
                    qualifier, start = q, qs
                elif hi + 1 < len(doc) and doc[hi].lower_ == "of":   # "the president of France"
                    k = hi + 2 if doc[hi + 1].lower_ == "the" else hi + 1
                    q, qe = self._qualifier_at(doc, k, len(doc))
                    if q is not None:
                        qualifier, end = q, qe
                    else:
                        continue   # "the president of the company"
            prev = doc[start - 1] if start > 0 else None
            if prev is not None and prev.lower_ in ("former", "ex", "then", "late", "incoming", "next", "new",
                                                     "acting", "deputy", "vice", "assistant", "a", "an",
                                                     "another", "any", "every", "no"):
                continue
            has_det = prev is not None and prev.lower_ in ("the", "this", "that")
            if has_det:
                start -= 1
            if label == "ALIAS":
                holder = self.kb.alias_holder(key, on) if on is not None else None
                ever = {pid for _, pid in self.kb.title_aliases.get(key, [])} if on is None else set()
                if holder is not None or ever:
                    out.append((start, end, "person", (holder, ever, self._alias_office(key) if on is None else None)))
                continue
            if key.endswith("s") and key not in ("ambassador", "boss") and key.rstrip("s") in self.kb.titles:
                continue   # plurals are groups
            office = info.get("office")
            country = qualifier.id if qualifier is not None and qualifier.kind == "igo" else \
                (qualifier.country if qualifier is not None else info.get("country"))
            if qualifier is not None or info.get("country"):
                keys = [country] + ([qualifier.country] if qualifier is not None and qualifier.kind == "igo" else [])
                # undated text: who holds the office is unknown; the article may name one of its
                # holders, else the office stays unnamed ("U.S. president (unnamed)"), never a guess
                holder = next((h for h in (self.kb.title_holder(k, key, office, on) for k in keys) if h), None) \
                    if on is not None else None
                ever = set().union(*(self.kb.holders_ever(k, key, office) for k in keys)) if on is None else set()
                if holder is not None or ever:
                    out.append((start, end, "person", (holder, ever, None if on is not None
                                                       else (qualifier, key, office, info))))
                    continue
                if key in self.anaphora and (has_det or doc[start].text in POSSESSIVE or qualifier is not None):
                    if qualifier is not None and not has_det and not (lo > 0 and doc[lo - 1].text in POSSESSIVE):
                        continue   # "Chinese diplomat": an unnamed source, left to the attribution
                    if self._name_follows(doc, end, name_starts):
                        continue   # "Russia's ambassador to the UN, Vassily Nebenzia": the name says who
                    out.append((start, end, "unnamed", (qualifier, key, office, info)))
                continue
            if has_det and key in self.anaphora:
                out.append((start, end, "anaphor", (key, office)))
        return out

    # -------------------------------------------------------------- resolution
    def resolve(self, doc, analysis: Analysis) -> ArticleActors:
        on = None
        if analysis.published:
            try:
                on = dt.date.fromisoformat(analysis.published[:10])
            except ValueError:
                on = None
        st = ArticleActors(self.kb, on)
        for s, e, origin, data in self.candidate_spans(doc, on):
            if any(m.tokens[0] <= s < m.tokens[1] and m.tokens != (0, 0) for m in st.mentions[-3:]):
                continue
            if origin == "office":
                self._resolve_office(doc, s, e, data, st)
            elif origin == "state":
                _short, full = data
                aid = "new:state:" + slug(full.removeprefix("the ").removeprefix("The "))
                a = st.actors.get(aid) or Actor(id=aid, name=full.removeprefix("the ").removeprefix("The "),
                                                kind="state")
                st.add(a, _text(doc), doc[s].idx, doc[s].idx + len(doc[s].text), "ner", (s, e))
            elif origin == "surname":
                aid = st.local_surnames.get(data.text)
                if aid:
                    st.add(st.actors[aid], _text(doc), data.start_char, data.end_char, "ner", (s, e))
            else:
                self._resolve_span(doc, data, origin, st)
        self._group_mentions(doc, st)
        return st

    @staticmethod
    def _name_follows(doc, end: int, name_starts: set[int]) -> bool:
        for k in range(end, min(end + 7, len(doc))):
            if k in name_starts:
                return True
            t = doc[k]
            if t.is_sent_start and k > end or t.pos_ not in ("ADP", "DET", "PROPN", "PUNCT", "NOUN", "ADJ") \
                    or t.text in (".", ";", ":"):
                return False
        return False

    def _resolve_office(self, doc, s: int, e: int, data, st: ArticleActors) -> None:
        kind, payload = data
        sp = doc[s:e]
        if kind == "person":
            holder, ever, unnamed = payload
            # undated text: "the U.S. president" is the one the article has named, if any
            aid = _prefer_subject(doc, [m for m in st.mentions if m.start < sp.start_char and m.actor in ever])
            entry = self.kb.entries[aid] if aid else holder
            if entry is None:
                if unnamed is not None:
                    self._unnamed_office(doc, sp, unnamed, st, s, e)
                return
            a = st.actor_from_entry(entry)
            st.add(a, _text(doc), sp.start_char, sp.end_char, "office", (s, e))
        elif kind == "anaphor":
            key, office = payload
            aid = self._antecedent(st, sp.start_char, key, office, doc)
            if aid:
                st.add(st.actors[aid], _text(doc), sp.start_char, sp.end_char, "role", (s, e))
        elif kind == "unnamed":
            self._unnamed_office(doc, sp, payload, st, s, e)

    def _alias_office(self, key: str):
        """The office a qualified title names ("U.S. president"), for undated text, where who
        held it is unknown: its country and sector from today's holder, no person."""
        now = self.kb.alias_holder(key, None)
        if now is None:
            return None
        role = next((r for r, pid in self.kb.title_aliases.get(key, []) if pid == now.id and r.active(None)), None)
        return None, key, role.office if role else None, {"country": now.country, "sector": role.sector if role else None,
                                                           "role": role.title if role else None}

    @staticmethod
    def _unnamed_office(doc, sp, payload, st: ArticleActors, s: int, e: int) -> None:
        """An office whose holder the text does not name: "the Velorian ambassador", or "the
        U.S. president" in undated text. The same office named again is the same actor."""
        qualifier, key, office, info = payload
        words = [t.text for t in sp if t.lower_ not in DETERMINERS]
        desc = " ".join(words).replace(" 's", "'s").replace(" ’s", "’s")
        if qualifier is None and info.get("role"):
            # a qualified title ("U.S. president"): the same actor as "the American president"
            aid = "new:office:" + slug(f"{info.get('country') or ''} {info['role'].lower()}")
        else:
            aid = "new:office:" + slug((qualifier.id if qualifier else "") + " " + key)
        a = st.actors.get(aid) or Actor(id=aid, name=f"{desc} (unnamed)", kind="person",
                                        country=(qualifier.country if qualifier else info.get("country")),
                                        sector=info.get("sector"), role=info.get("role") or key)
        st.offices.setdefault(aid, {office} if office else set())
        st.add(a, _text(doc), sp.start_char, sp.end_char, "office", (s, e))

    def _antecedent(self, st: ArticleActors, start: int, key: str, office: str | None, doc=None) -> str | None:
        """The person before `start` who holds the office or carries the title: in the
        nearest sentence that has one, its subject if it is one, else the last named."""
        words = {key} | (SPOKES if key in SPOKES else set())

        def fits(m: Mention) -> bool:
            a = st.actors[m.actor]
            if a.kind != "person":
                return False
            if office and office in st.offices.get(a.id, set()):
                return True
            role = (a.role or "").lower()
            if role.startswith("former "):
                return False
            if key == "president" and re.search(r"vice[- ]president", role):
                return False
            return _role_head(role) in words

        found = _prefer_subject(doc, [m for m in st.mentions if m.start < start and fits(m)])
        if found is None and st.on is None and office:
            # undated text about a past office holder: "Biden ... the president said"
            found = _prefer_subject(doc, [m for m in st.mentions if m.start < start and m.actor in self.kb.entries
                                          and any(r.office == office for r in self.kb.entries[m.actor].roles)])
        return found

    def _new_person(self, doc, sp, st: ArticleActors, info: TitleInfo) -> Actor:
        name = sp.text
        aid = "new:person:" + slug(name)
        a = st.actors.get(aid)
        if a is None:
            a = Actor(id=aid, name=name, kind="person", country=info.country, sector=self._sector_for(info.role),
                      role=info.role)
            st.genders[aid] = info.gender
            st.offices[aid] = {info.office} if info.office else set()
        elif info.role and not a.role:
            a.role, a.sector = info.role, self._sector_for(info.role)
            if info.country and not a.country:
                a.country = info.country
            if info.office:
                st.offices.setdefault(aid, set()).add(info.office)
        return a

    def _person_info(self, doc, sp) -> TitleInfo:
        before = self._title_before(doc, sp)
        if before.role or before.country:
            if not before.role:
                appos = self._appos_info(doc, sp)
                before.role, before.office = appos.role, appos.office
                before.gender = before.gender or appos.gender
            return before
        appos = self._appos_info(doc, sp)
        appos.gender = appos.gender or before.gender
        return appos

    def _contradicts(self, entry: Entry, info: TitleInfo, by_surname: bool) -> bool:
        """A title that cannot be this person's: another country, or (for a surname) an office
        the person never held."""
        if entry.kind != "person" or entry.country in ("IGO", "EU", None):
            return False
        if info.country and info.role and info.country not in (entry.country, "IGO", "EU"):
            return True
        return bool(by_surname and info.office and entry.roles
                    and not any(r.office == info.office for r in entry.roles))

    def _resolve_span(self, doc, sp, origin: str, st: ArticleActors) -> None:
        text = _text(doc)
        if origin == "kb":
            forms = _best_form(self.kb, sp.text)
            if not forms:
                return
            f = forms[0]
            entry = self.kb.entries[f.entry_id]
            if f.how == "demonym":
                return
            if f.how == "surname":
                if sp.text.lower() in STOP_WORDS or sp[0].pos_ in ("PRON", "DET", "ADP", "AUX", "CCONJ"):
                    return  # "He" is a pronoun before it is He Lifeng
                if sp.text in st.local_surnames:   # "Alex Rubio" met before: not Marco Rubio
                    st.add(st.actors[st.local_surnames[sp.text]], text, sp.start_char, sp.end_char, "ner",
                           (sp.start, sp.end))
                    return
                entry = self._surname_entry(sp.text, forms, st) or entry
                prev = doc[sp.start - 1] if sp.start > 0 else None
                if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
                        and not self.kb.lookup(prev.text) and prev.lower_ not in HONORIFICS \
                        and prev.lower_ not in self.kb.titles and prev.ent_type_ in ("PERSON", ""):
                    # "Mary Trump" is not Donald Trump: a first name we do not know
                    full = doc[sp.start - 1:sp.end]
                    a = self._new_person(doc, full, st, self._person_info(doc, full))
                    st.add(a, text, full.start_char, full.end_char, "ner", (full.start, full.end))
                    st.local_surnames[sp.text] = a.id
                    return
            if entry.kind == "person":
                info = self._person_info(doc, sp)
                if self._contradicts(entry, info, f.how == "surname"):
                    alts = [self.kb.entries[x.entry_id] for x in forms
                            if self.kb.entries[x.entry_id].kind == "person" and x.entry_id != entry.id]
                    alts = [x for x in alts if not self._contradicts(x, info, f.how == "surname")
                            and (not info.country or x.country == info.country)]
                    if alts:
                        entry = alts[0]
                    else:
                        a = self._new_person(doc, sp, st, info)
                        st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
                        self._remember_surname(st, a, sp.text.split())
                        return
                # "the Trump administration" stands for the state the person leads
                nxt = doc[sp.end] if sp.end < len(doc) else None
                if nxt is not None and nxt.lower_ in ("administration", "government", "cabinet") and entry.country:
                    state = self.kb.entries.get(entry.country)
                    if state is not None:
                        a = st.actor_from_entry(state)
                        lo = sp.start - 1 if sp.start > 0 and doc[sp.start - 1].lower_ == "the" else sp.start
                        st.add(a, text, doc[lo].idx, nxt.idx + len(nxt.text), "group", (lo, nxt.i + 1))
                        return
            a = st.actor_from_entry(entry)
            if entry.kind == "person" and st.on is None and (a.role or "").startswith("former ") and info.office:
                # undated text that titles the person with an office held then: "U.S. President Joe Biden"
                held = next((r for r in entry.roles if r.office == info.office), None)
                if held is not None:
                    a.role, a.sector = held.title, held.sector or a.sector
                    st.offices.setdefault(a.id, set()).add(info.office)
            st.add(a, text, sp.start_char, sp.end_char, "kb", (sp.start, sp.end))
            return
        kind = NER_KINDS.get(sp.label_)
        nxt = doc[sp.end] if sp.end < len(doc) else None
        after = doc[sp.end + 1] if sp.end + 1 < len(doc) else None
        if kind == "person" and nxt is not None and nxt.lower_ in ("’s", "'s") and after is not None \
                and after.pos_ in ("NOUN", "ADJ") and self._sector_for(after.head.text if after.pos_ == "ADJ" else after.text):
            kind = "state"  # "Veloria’s foreign minister": a state, whatever the NER model says
            sp.label_ = "GPE_OWNER"
        elif kind == "organization" and len(sp) > 1 and all(t.is_title for t in sp) and \
                any(c.dep_ == "appos" and self._sector_for(c.text) for c in sp.root.children):
            kind = "person"  # "Amara Velk, Veloria’s foreign minister": a person with a title
            sp.label_ = "PERSON"
        if kind is None:
            return
        if kind == "person":
            parts = sp.text.split()
            if len(parts) == 1 and parts[0] in st.local_surnames:
                a = st.actors[st.local_surnames[parts[0]]]
                st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
                return
            if len(parts) == 1 and not sp[0].text[:1].isupper():
                return
            if len(parts) == 1 and sp[0].dep_ in ("amod", "compound") and sp[0].head.i > sp[0].i and (
                    sp[0].head.pos_ == "NOUN" or sp[0].head.lower_ in self.title_words):
                return   # "Velorian units", "Velorian accusations": a nationality, not a person
            info = self._person_info(doc, sp)
            a = self._new_person(doc, sp, st, info)
            st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
            self._remember_surname(st, a, parts)
            return
        if kind == "group":
            return  # nationalities alone are handled as groups with their nouns
        if kind == "organization" and LOCAL_STATE.fullmatch(sp.text):
            kind = "state"   # "the Kingdom of Ostrane" is a state the NER model took for an organisation
        if kind == "state":
            # Places the knowledge base does not know are cities and regions, not actors, unless
            # the name says it is a state ("the Republic of Veloria").
            if not COUNTRY_WORDS.search(sp.text) and sp.label_ != "GPE_OWNER":
                return
            aid = "new:state:" + slug(sp.text)
            a = st.actors.get(aid) or Actor(id=aid, name=sp.text, kind="state")
            st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
            return
        if sp.start >= 2 and doc[sp.start - 1].lower_ == "of" and self._sector_for(doc[sp.start - 2].text):
            return  # "Secretary of State": part of a title, not an organisation
        if len(sp) == 1 and sp[0].lower_ in self.kb.titles:
            return
        if kind == "organization" and len(sp) >= 2 and all(t.pos_ == "PROPN" for t in sp):
            info = self._person_info(doc, sp)
            if info.role and info.role.split()[-1].lower() in self.person_titles:
                # the small model takes some names for organisations: a title says it is a person
                a = self._new_person(doc, sp, st, info)
                st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
                self._remember_surname(st, a, sp.text.split())
                return
        k = sp.end
        while k < len(doc) and k < sp.end + 4 and doc[k].lower_ in self.title_words:
            k += 1
        if k > sp.end and k < len(doc) and doc[k].ent_type_ == "PERSON" or any(
                m.tokens[0] == k and st.actors[m.actor].kind == "person" for m in st.mentions[-2:]):
            return  # "Chinese Foreign Ministry spokesperson Guo Jiakun": part of the title
        # organisations the knowledge base does not know: their country from a demonym in the name
        country = None
        for t in sp:
            q = self.kb.qualifier(t.text)
            if q is not None and q.kind == "state":
                country = q.country
                break
        if country is None and sp.start >= 2 and doc[sp.start - 1].text in ("'s", "’s"):
            # "China's State Council Tariff Commission": the state that owns it
            owner = next((st.actors[m.actor] for m in st.mentions if m.end == doc[sp.start - 1].idx), None)
            if owner is not None and owner.kind == "state":
                country = owner.country
        sector = "GOV" if re.search(r"\b(Ministry|Ministries|Department|Government|Office|Council|Army|Forces)\b",
                                    sp.text) else None
        if re.search(r"\b(Army|Forces|Navy|Military|Air Force|Guard)\b", sp.text):
            sector = "MIL"
        aid = "new:org:" + slug(sp.text)
        words = re.findall(r"[a-z]+", sp.text.lower())
        if words and words[-1] in INSTITUTIONS and len(words) > 1 and aid not in st.actors:
            # "the commerce ministry" after "the Ministry of Commerce" is that ministry again
            aid = self._named_body(st, sp.start_char, words) or aid
        a = st.actors.get(aid) or Actor(id=aid, name=sp.text, kind="organization", country=country, sector=sector)
        st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))

    @staticmethod
    def _remember_surname(st: ArticleActors, a: Actor, parts: list[str]) -> None:
        """The name that stands alone later: the family name, first for Chinese or Korean names."""
        if len(parts) < 2:
            return
        family = parts[0] if a.country in FAMILY_NAME_FIRST else parts[-1]
        st.local_surnames.setdefault(family, a.id)

    def _surname_entry(self, surname: str, forms, st: ArticleActors) -> Entry | None:
        cands = [self.kb.entries[f.entry_id] for f in forms if f.how in ("surname", "name", "alias")]
        cands = [c for c in cands if c.kind == "person"]
        seen = [c for c in cands if c.id in st.actors]
        if seen:
            return seen[-1]
        active = [c for c in cands if any(r.active(st.on) for r in c.roles)]
        pool = active or cands
        if not pool:
            return None
        return min(pool, key=lambda c: min((_office_rank(r.office) for r in c.roles), default=99))

    def _group_mentions(self, doc, st: ArticleActors) -> None:
        """"Chinese officials" and "Russian forces": the state, acting through its people."""
        strings = doc.vocab.strings
        groups = {strings[w] for w in self.kb.state_groups}
        for i, h in enumerate(token_hashes(doc, "LOWER")):
            if h not in groups:
                continue
            tok = doc[i]
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
                continue
            for child in tok.children:
                if child.dep_ not in ("amod", "compound", "nmod", "poss") or child.i >= tok.i:
                    continue
                if child.dep_ == "poss" and any(c.dep_ in ("amod", "compound") and c.i > child.i and
                                                c.lower_ not in ("foreign", "defense", "defence", "interior")
                                                for c in tok.children):
                    continue   # "Ukraine's military intelligence chief" is a person, not the state
                if any(c.dep_ in ("det", "nummod", "quantmod") and c.lower_ not in ("the",) or
                       c.lower_ in ("senior", "former", "unnamed", "anonymous", "some", "several", "many")
                       for c in tok.children if c.i < tok.i):
                    break   # "two Israeli officials": unnamed sources, not the state speaking
                forms = _best_form(self.kb, child.text)
                state = next((self.kb.entries[f.entry_id] for f in forms
                              if self.kb.entries[f.entry_id].kind in ("state", "igo")), None)
                covering = next((m for m in st.mentions if m.how == "kb" and m.start <= child.idx < m.end
                                 and st.actors[m.actor].kind in ("state", "igo")), None)
                if state is None and covering is not None:
                    state = self.kb.entries.get(covering.actor)   # "Saudi Arabia's foreign ministry"
                if state is None and not forms and DEMONYM_LIKE.match(child.text) and child.i == tok.i - 1:
                    # "Velorian officials": a group of a state we do not know
                    desc = f"{child.text} {tok.text}"
                    aid = "new:anon:" + slug(desc)
                    a = st.actors.get(aid) or Actor(id=aid, name=f"{desc} (unnamed)", kind="group",
                                                    sector=self._sector_for(tok.text))
                    st.add(a, _text(doc), child.idx, tok.idx + len(tok.text), "group", (child.i, tok.i + 1))
                    break
                if state is None:
                    # "Trump officials": the officials of the state that person leads
                    leader = next((self.kb.entries[f.entry_id] for f in forms
                                   if self.kb.entries[f.entry_id].kind == "person"), None)
                    if leader is not None and leader.country and any(
                            r.office in ("head-of-state", "head-of-government") and r.active(st.on) for r in leader.roles):
                        state = self.kb.entries.get(leader.country)
                if state is None:
                    continue
                if any(m.start <= child.idx < m.end and m.how != "kb" for m in st.mentions):
                    continue
                a = st.actor_from_entry(state)
                # the group replaces the mentions inside the phrase ("China" in "Chinese officials")
                lo, hi = (covering.start if covering is not None else child.idx), tok.idx + len(tok.text)
                st.drop(lo, hi)
                st.add(a, _text(doc), lo, hi, "group", (covering.tokens[0] if covering else child.i, tok.i + 1))
                break

    # -------------------------------------------------------------- speakers
    def resolve_source(self, doc, st: ArticleActors, start: int, end: int, record: bool = False) -> str | None:
        """The actor a source span names: a name inside it, else its role noun or pronoun in
        context. With `record`, a pronoun or role noun resolved here becomes a mention."""
        inside = [m for m in st.mentions if m.start >= start and m.end <= end]
        text = _text(doc)
        if inside:
            exact = [m for m in inside if m.start == start and m.end == end]
            if exact:
                return exact[-1].actor
            # "The Ministry of Commerce": the name after its determiner
            named = [m for m in inside if m.end == end and not m.actor.startswith("new:anon:")
                     and all(w in DETERMINERS for w in text[start:m.start].lower().split())]
            if named:
                return named[-1].actor
            persons = [m for m in inside if st.actors[m.actor].kind == "person"]
            media = [m for m in inside if m.actor.startswith("media:")]
            groups = [m for m in inside if m.how == "group"]
            if persons:
                return persons[0].actor  # the head of "John Bolton, adviser during Trump's first term"
            span_text = text[start:end]
            words = [w for w in span_text.lower().split() if w not in DETERMINERS]
            head_word = words[-1] if words else ""
            named = self._appositive_person(st, text, end)
            if named and not media:
                return named   # "Sudan's army chief, Gen. Abdel Fattah al-Burhan, said"
            if words and words[0] in self.kb.anonymous and not persons and not media:
                return self._anonymous(doc, st, start, end, inside)  # "sources in the U.S. and China"
            if media and head_word in ("report", "reports", "newspaper", "paper", "editorial", "reporting",
                                       "story", "article", "investigation", "analysis", "survey", "poll") \
                    or (media and len(inside) == 1):
                return media[-1].actor
            if groups:
                return groups[-1].actor
            if head_word.rstrip("s") in {w.rstrip("s") for w in self.kb.anonymous} and not \
                    any(text[m.start:m.end] == span_text for m in inside):
                return self._anonymous(doc, st, start, end, inside)
            return inside[-1].actor
        span_text = text[start:end].strip()
        low = span_text.lower()
        words = low.split()
        if not words:
            return None
        if span_text.isupper() and len(words) <= 3 and low not in self.kb.pronouns:
            # a transcript's speaker label, "PENCE:": the person of that surname named before
            aid = self._by_surname(st, start, words[-1].strip(".,"))
            if aid:
                if record:
                    st.add(st.actors[aid], text, start, end, "role")
                return aid
        if low in self.kb.pronouns:
            aid = self._pronoun(st, start, low, doc)
            if aid and record:
                st.add(st.actors[aid], text, start, end, "pronoun")
            return aid
        # "His team", "their government": the people of whoever the pronoun stands for
        if len(words) == 2 and words[0] in ("his", "her", "their", "its") and words[1] in COLLECTIVE | SINGULAR_ASSOCIATES:
            return self._associates(doc, st, start, end, words)
        named = self._appositive_person(st, text, end)
        if named and words[-1] not in self.kb.pronouns:
            return named   # "A spokesperson for the embassy, Liu Pengyu, said"
        # "the report", "the newspaper": the last news organisation mentioned
        if words[-1] in ("report", "newspaper", "paper", "outlet", "agency", "broadcaster") and words[0] == "the":
            media = [m for m in st.mentions if m.start < start and m.actor.startswith("media:")]
            if media:
                return media[-1].actor
        # "the commerce ministry": the body named before with those words ("the Ministry of Commerce")
        if words[0] in ("the", "this", "that") and words[-1] in INSTITUTIONS:
            aid = self._named_body(st, start, words[1:])
            if aid:
                if record:
                    st.add(st.actors[aid], text, start, end, "role")
                return aid
            if words[-1] in self.kb.anonymous:
                return self._anonymous(doc, st, start, end, [])
            return None
        # "the spokesperson", "the president": the last person named with that role
        if words[0] in ("the", "this", "that") and len(words) <= 4:
            noun = words[-1]
            aid = self._antecedent(st, start, noun, (self.kb.titles.get(" ".join(words[1:])) or {}).get("office"),
                                   doc)
            if aid:
                if record:
                    st.add(st.actors[aid], text, start, end, "role")
                return aid
        if words[-1] in self.kb.anonymous or words[-1].rstrip("s") in self.kb.anonymous:
            named = self._appositive_person(st, text, end)
            if named:
                return named
            return self._anonymous(doc, st, start, end, [])
        return None

    @staticmethod
    def _by_surname(st: ArticleActors, start: int, surname: str) -> str | None:
        """The last person named before `start` whose name ends in this surname (any case)."""
        for m in reversed(st.mentions):
            if m.start >= start:
                continue
            a = st.actors[m.actor]
            if a.kind == "person" and a.name.lower().split()[-1:] == [surname]:
                return a.id
        return None

    @staticmethod
    def _named_body(st: ArticleActors, start: int, words: list[str]) -> str | None:
        """The last organisation before `start` whose name has all these words (in any order
        and case: "commerce ministry" is the "Ministry of Commerce")."""
        want = [w.strip(",'’s") if w.endswith(("'s", "’s")) else w for w in words]
        for m in reversed(st.mentions):
            if m.start >= start:
                continue
            a = st.actors[m.actor]
            if a.kind not in ("organization", "igo"):
                continue
            name = set(re.findall(r"[a-z]+", a.name.lower()))
            if all(w in name for w in want):
                return a.id
        return None

    def nationality(self, doc, st: ArticleActors, tok) -> str | None:
        """The state a nationality word stands for, recorded as a mention: a demonym of the
        knowledge base ("Russian") or the adjective of a state the text named ("Velorian" for
        "the Republic of Veloria"). Actor resolution leaves demonyms alone (they qualify titles
        and groups); the event coder asks for them where a phrase names no one else."""
        forms = [f for f in self.kb.lookup(tok.text) if f.how == "demonym"]
        if not forms and tok.text.endswith("s") and tok.text[:1].isupper():
            # the people of a state: "Palestinians", "Iraqis"
            forms = [f for f in self.kb.lookup(tok.text[:-1]) if f.how == "demonym"]
        entry = self.kb.entries.get(forms[0].entry_id) if forms else None
        if entry is not None and entry.kind == "state":
            a = st.actor_from_entry(entry)
        else:
            low = tok.lower_
            a = next((x for x in st.actors.values() if x.kind == "state" and x.id.startswith("new:state:")
                      and tok.text[:1].isupper() and len(core := x.name.split()[-1].lower()) > 3
                      and low != core and low.startswith(core[:-1])), None)
            if a is None:
                return None
        st.add(a, _text(doc), tok.idx, tok.idx + len(tok.text), "demonym", (tok.i, tok.i + 1))
        return a.id

    @staticmethod
    def _appositive_person(st: ArticleActors, text: str, end: int) -> str | None:
        """A person named right after a description: "Sudan's army chief, Gen. Abdel Fattah
        al-Burhan, said", "A spokesperson for the embassy, Liu Pengyu, said", "according to
        Ukraine's military intelligence chief Kyrylo Budanov"."""
        m = APPOSITIVE.match(text, end)
        if not m:
            return None
        at = m.end()
        for men in st.mentions:
            if men.start == at and st.actors[men.actor].kind == "person":
                if m.group(1) is None and text[men.end:men.end + 2].strip(" ")[:1] not in (",", "") \
                        and not re.match(r"\s*(said|says|told|added|wrote|stated|noted)\b", text[men.end:men.end + 10]):
                    continue
                return men.actor
        return None

    def _pronoun(self, st: ArticleActors, start: int, pronoun: str, doc=None) -> str | None:
        gender = self.kb.pronouns.get(pronoun)
        before = [m for m in reversed(st.mentions) if m.start < start]
        if gender is not None:
            return _prefer_subject(doc, [m for m in st.mentions if m.start < start
                                         and st.actors[m.actor].kind == "person"
                                         and st.genders.get(m.actor) in (gender, None)])
        if pronoun in ("it", "its"):
            for m in before:
                if st.actors[m.actor].kind in ("state", "igo", "organization") and m.how != "group":
                    return m.actor
            return None
        # they, them, their: a group, a state acting through its people, or a body
        for m in before:
            a = st.actors[m.actor]
            if a.kind == "group" or m.how == "group":
                return a.id
        for m in before:
            if st.actors[m.actor].kind in ("state", "igo", "organization"):
                return m.actor
        return None

    def _associates(self, doc, st: ArticleActors, start: int, end: int, words: list[str]) -> str | None:
        """"His team" said: the team of the person "his" stands for, as an actor of its own."""
        owner_id = self._pronoun(st, start, words[0], doc)
        if owner_id is None:
            return None
        owner = st.actors[owner_id]
        noun = words[1]
        if noun in ("government", "administration", "cabinet") and owner.kind == "person" and owner.country \
                and st.offices.get(owner.id, set()) & {"head-of-state", "head-of-government"}:
            state = self.kb.entries.get(owner.country)
            if state is not None:
                a = st.actor_from_entry(state)
                st.add(a, _text(doc), start, end, "group")
                return a.id
        owner_name = owner.name
        aid = f"new:group:{slug(owner_name)}-{slug(noun)}"
        kind = "person" if noun in SINGULAR_ASSOCIATES else "group"
        name = f"{owner_name}'s {noun}" + (" (unnamed)" if kind == "person" else "")
        a = st.actors.get(aid) or Actor(id=aid, name=name, kind=kind, country=owner.country,
                                        sector=owner.sector)
        st.add(a, _text(doc), start, end, "group")
        return aid

    def _anonymous(self, doc, st: ArticleActors, start: int, end: int, inside: list[Mention]) -> str:
        """An unnamed source: "One White House official" -> "White House official (unnamed)"."""
        words = _text(doc)[start:end].split()
        while words and words[0].lower() in DETERMINERS:
            words.pop(0)
        desc = " ".join(words) or _text(doc)[start:end]
        countries = []
        for m in inside:
            a = st.actors[m.actor]
            if a.country and a.country not in countries:
                countries.append(a.country)
        if not countries:
            for i in range(len(words)):
                for j in range(min(len(words), i + 4), i, -1):
                    q = self.kb.qualifier(" ".join(words[i:j]).rstrip(",'’s"))
                    if q is not None:
                        if q.country not in countries:
                            countries.append(q.country)
                        break
        country = countries[0] if len(countries) == 1 else None
        head = _head_noun(words)
        plural = head.endswith("s") and not head.endswith("ss") or head in ("people", "staff", "police")
        body = head in INSTITUTIONS
        if body and desc[:1].islower():
            desc = desc[:1].upper() + desc[1:]
        name = desc if body else f"{desc} (unnamed)"   # a ministry is named by what it is called
        aid = "new:anon:" + slug(desc)
        kind = "organization" if body else "group" if plural else "person"
        a = st.actors.get(aid) or Actor(id=aid, name=name, kind=kind, country=country,
                                        sector="GOV" if body else self._sector_for(desc))
        st.add(a, _text(doc), start, end, "anonymous")
        return aid


def _prefer_subject(doc, cands: list[Mention]) -> str | None:
    """Of the candidates (in text order), those of the nearest sentence; of these the subject
    of its main verb if there is one ("Trump spoke with Zelensky. The president said" is
    Trump), else the last."""
    if not cands:
        return None
    last = cands[-1]
    if doc is None or last.tokens == (0, 0):
        return last.actor
    sent = doc[last.tokens[0]].sent
    same = [m for m in cands if m.tokens != (0, 0) and sent.start <= m.tokens[0] < sent.end]
    for m in same:
        root = doc[m.tokens[0]:m.tokens[1]].root
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.dep_ == "ROOT":
            return m.actor
    return last.actor


def _role_head(role: str) -> str:
    """The noun a title is about: "foreign ministry spokesperson" -> "spokesperson",
    "minister of foreign affairs" -> "minister"."""
    core = re.split(r"\s(?:of|for|at|to|in|on)\s", role, maxsplit=1)[0].split()
    return core[-1].strip(",.") if core else ""


def _head_noun(words: list[str]) -> str:
    """The head noun of a short description: the word before "in", "from", "with", "familiar"."""
    low = [w.lower().strip(",.") for w in words]
    for i, w in enumerate(low):
        if w in ("in", "from", "with", "familiar", "close", "at", "of", "who", "on", "briefed", "involved") and i:
            return low[i - 1]
    return low[-1] if low else ""


def _contiguous(toks) -> bool:
    return all(b.i == a.i + 1 for a, b in itertools.pairwise(toks))


def _office_rank(office: str | None) -> int:
    return OFFICE_RANK.get(office or "", 50)


def resolve_speakers(doc, resolver: ActorResolver, st: ArticleActors, attributions: list[Attribution]) -> None:
    """Fill each attribution's `speaker` from its source span; a continued quote keeps the
    speaker of the quote it continues."""
    for att in attributions:
        cont = getattr(att, "_continues", None)
        if att.source is not None:
            att.speaker = resolver.resolve_source(doc, st, att.source.start, att.source.end, record=True)
        elif cont is not None:
            if cont.speaker is None and cont.source is not None:  # a quote continued from one not kept
                cont.speaker = resolver.resolve_source(doc, st, cont.source.start, cont.source.end)
            att.speaker = cont.speaker


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _spelled_as_in_text(a: Actor, entry: Entry | None, said: list[str]) -> str:
    """A known person's name as the article spells it (`said`: the article's names for them):
    "Antonio Guterres" where it writes so, "Volodymyr Zelenskyy" in an AP story. The id stays
    the same; only the spelling follows the text, and only for a full name of as many words."""
    if entry is None or entry.kind != "person":
        return a.name
    words = len(a.name.split())
    for t in said:
        if t != a.name and len(t.split()) == words and (t in entry.aliases or _fold(t).lower() == _fold(a.name).lower()):
            return t
    parts = a.name.split()
    alone = {t for t in said if len(t.split()) == 1}
    if len(parts) > 1 and len(alone) == 1 and len(said) == sum(1 for t in said if t in alone):
        # the article spells the surname its own way throughout: "Zelenskyy" for "Zelensky"
        (t,) = alone
        if t != parts[-1] and entry.country not in FAMILY_NAME_FIRST and _fold(t)[:4].lower() == _fold(parts[-1])[:4].lower():
            return " ".join(parts[:-1] + [t])
    if _fold(a.name) != a.name:
        # the article writes the name without its accents: "Erdogan" for "Erdoğan"
        accented = [w for w in a.name.split() if _fold(w) != w]
        seen = " ".join(said)
        if any(_fold(w) in seen for w in accented) and not any(w in seen for w in accented):
            return _fold(a.name)
    return a.name


def finish_actors(st: ArticleActors, analysis: Analysis) -> None:
    """Keep the actors that are mentioned, in order of first mention."""
    first: dict[str, int] = {}
    for m in st.mentions:
        first.setdefault(m.actor, m.start)
    said: dict[str, list[str]] = {}
    for m in st.mentions:
        if m.how == "kb":
            said.setdefault(m.actor, []).append(analysis.text[m.start:m.end])
    for a in st.actors.values():
        if a.id in said:
            a.name = _spelled_as_in_text(a, st.kb.entries.get(a.id), said[a.id])
    for a in st.actors.values():
        a.mentions.sort(key=lambda s: s.start)
    analysis.actors = sorted((a for a in st.actors.values() if a.id in first), key=lambda a: first[a.id])
