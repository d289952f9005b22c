"""Actors: every mention of a person, organisation or country, resolved to one actor.

Mentions come from the knowledge base's phrase matcher (which wins where it knows better
than the NER model: spaCy's small model tags "Trump" as an organisation) and from the NER
model for names the knowledge base lacks. Each mention is resolved in article order, so
that a surname ("Guo") finds the full name met before ("Guo Jiakun"), a role noun ("the
spokesperson") the last person holding that role, and a pronoun the last person named.
Titles before a name ("Chinese Foreign Ministry spokesperson Guo Jiakun") give an unknown
person a role and a country. Offices resolve by date: "the U.S. president" on 2025-02-13
is whoever held the office that day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from ..nlp import doc_text
from ..knowledge.kb import Entry, KnowledgeBase, slug
from ..model import Actor, Analysis, Attribution, Span

NER_KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "state", "NORP": "group", "FAC": None,
             "LOC": None}
TITLE_STOP = {",", "(", ")", ";", ":", "—", "–", "and", "or", "by", "with", "to", "for", "from", "in", "on",
              "at", "that", "said", "says", "who"}
COUNTRY_WORDS = re.compile(r"\b(Republic|Kingdom|Federation|Emirates|Principality|Commonwealth|Sultanate|"
                           r"Confederation|Union|State of|States)\b")
DETERMINERS = {"the", "a", "an", "one", "two", "three", "several", "some", "many", "another", "other",
               "senior", "top", "former", "unnamed", "anonymous", "an"}


@dataclass
class Mention:
    start: int
    end: int
    actor: str
    how: str          # kb | ner | title | pronoun | role | anonymous | group
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

    def actor_from_entry(self, e: Entry) -> Actor:
        a = self.actors.get(e.id)
        if a is None:
            role = e.role_on(self.on)
            a = Actor(id=e.id, name=e.name, kind=e.kind, country=e.country,
                      sector=(role.sector if role else None) or e.sector,
                      role=role.title if role else None, wikidata=e.wikidata)
            if role and role.end is not None and self.on is not None and role.end <= self.on:
                a.role = "former " + role.title[:1].lower() + role.title[1:] if role.title else None
                a.sector = "ELI" if a.sector == "GOV" else a.sector
            self.actors[e.id] = a
            self.genders[e.id] = e.gender
        return a

    def add(self, actor: Actor, text: str, start: int, end: int, how: str, tokens=(0, 0)) -> Mention:
        if actor.id not in self.actors:
            self.actors[actor.id] = actor
        span = Span.of(text, start, end)
        if span not in self.actors[actor.id].mentions:
            self.actors[actor.id].mentions.append(span)
        m = Mention(start, end, actor.id, how, tokens)
        self.mentions.append(m)
        return m


def _matcher(kb: KnowledgeBase, nlp):
    """The knowledge base's phrase matcher, compiled once per process and vocabulary."""
    cache = kb.__dict__.setdefault("_matchers", {})
    key = id(nlp.vocab)
    if key not in cache:
        from spacy.matcher import PhraseMatcher

        m = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = list(kb.forms)
        for i in range(0, len(forms), 1000):
            chunk = forms[i:i + 1000]
            m.add("KB", list(nlp.tokenizer.pipe(chunk)))
        cache[key] = m
    return cache[key]


def _best_form(kb: KnowledgeBase, text: str):
    forms = kb.lookup(text)
    order = {"name": 0, "alias": 1, "metonym": 2, "surname": 3, "demonym": 4}
    return sorted(forms, key=lambda f: order.get(f.how, 9))


class ActorResolver:
    """Finds and resolves the actors of one parsed article."""

    def __init__(self, kb: KnowledgeBase, nlp) -> None:
        self.kb = kb
        self.matcher = _matcher(kb, nlp)

    # -------------------------------------------------------------- mentions
    def candidate_spans(self, doc):
        from spacy.util import filter_spans

        spans = []
        for _, s, e in self.matcher(doc):
            spans.append(doc[s:e])
        kb_spans = filter_spans(spans)
        taken = set()
        for sp in kb_spans:
            taken.update(range(sp.start, sp.end))
        ner = [ent for ent in doc.ents if ent.label_ in NER_KINDS and not (set(range(ent.start, ent.end)) & taken)]
        # Trim possessive endings and stray quote marks off NER spans ("Donald Trump‘s").
        cleaned = []
        for ent in ner:
            s, e = ent.start, ent.end
            while e > s and (doc[e - 1].text in ("'s", "’s", "‘s", "'", "’", "s") or doc[e - 1].is_punct):
                e -= 1
            while s < e and (doc[s].is_punct or doc[s].lower_ in ("the",)):
                s += 1
            if e > s:
                sp = doc[s:e]
                sp.label_ = ent.label_
                cleaned.append(sp)
        return sorted([(sp, "kb") for sp in kb_spans] + [(sp, "ner") for sp in cleaned], key=lambda x: x[0].start)

    def _title_before(self, doc, span):
        """Title words right before a name in the same noun phrase, and the country they give."""
        i = span.start - 1
        words = []
        while i >= 0 and len(words) < 7:
            t = doc[i]
            if t.is_space or t.text in TITLE_STOP or t.pos_ in ("VERB", "AUX", "DET", "PRON", "NUM") \
                    or t.lower_ in DETERMINERS or t.is_sent_end:
                break
            if t.pos_ not in ("PROPN", "NOUN", "ADJ") and t.lower_ != "of":
                break
            words.insert(0, t)
            i -= 1
        while words and words[0].lower_ == "of":
            words.pop(0)
        country = None
        role_words = []
        for t in words:
            forms = _best_form(self.kb, t.text)
            state = next((f for f in forms if self.kb.entries[f.entry_id].kind in ("state", "igo")
                          and f.how in ("name", "alias", "demonym")), None)
            if state and country is None and not role_words:
                country = self.kb.entries[state.entry_id].country
                continue
            role_words.append(t.text)
        role = " ".join(role_words) if role_words else None
        # The role must end with a title noun to count ("Russian counterpart" counts as a role).
        if role and words and words[-1].pos_ not in ("NOUN", "PROPN"):
            role = None
        start = words[0].idx if words else span.start_char
        return role, country, start

    def _appos_role(self, doc, span):
        head = span.root
        for c in head.children:
            if c.dep_ == "appos" and c.i >= span.end:
                toks = [t for t in c.subtree if t.i < c.i or t.dep_ in ("compound", "amod") or t.i == c.i]
                lo = min(t.i for t in toks)
                hi = max(t.i for t in toks)
                return doc[lo:hi + 1].text
        return None

    def _sector_for(self, role: str | None) -> str | None:
        if not role:
            return None
        low = role.lower()
        best = None
        for title, info in self.kb.titles.items():
            if re.search(r"\b" + re.escape(title) + r"\b", low) and (best is None or len(title) > len(best[0])):
                best = (title, info)
        return best[1].get("sector") if best else None

    def _office_for(self, role: str | None) -> str | None:
        if not role:
            return None
        info = self.kb.title_info(role.strip())
        return info.get("office") if info else None

    # -------------------------------------------------------------- resolution
    def resolve(self, doc, analysis: Analysis) -> ArticleActors:
        on = None
        if analysis.published:
            try:
                on = dt.date.fromisoformat(analysis.published[:10])
            except ValueError:
                on = None
        st = ArticleActors(self.kb, on)
        text = doc_text(doc)
        for sp, origin in self.candidate_spans(doc):
            self._resolve_span(doc, sp, origin, st)
        self._group_mentions(doc, st)
        st.mentions.sort(key=lambda m: m.start)
        return st

    def _resolve_span(self, doc, sp, origin: str, st: ArticleActors) -> None:
        text = doc_text(doc)
        if origin == "kb":
            forms = _best_form(self.kb, sp.text)
            if not forms:
                return
            f = forms[0]
            entry = self.kb.entries[f.entry_id]
            if f.how == "demonym":
                return  # a demonym alone names no actor; it gives titles and groups their country
            if f.how == "surname":
                if sp.text.lower() in STOP_WORDS or sp[0].pos_ in ("PRON", "DET", "ADP", "AUX", "CCONJ"):
                    return  # "He" is a pronoun before it is He Lifeng
                entry = self._surname_entry(sp.text, forms, st) or entry
                if sp.start > 0 and doc[sp.start - 1].pos_ == "PROPN" and doc[sp.start - 1].ent_type_ == "PERSON" \
                        and not self.kb.lookup(doc[sp.start - 1].text):
                    return  # "Mary Trump" is not Donald Trump: a first name we do not know
            if entry.kind == "person":
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
            # a known surname with an unknown given name is a different person
            role, country, _ = self._title_before(doc, sp)
            role = role or self._appos_role(doc, sp)
            aid = "new:person:" + slug(sp.text)
            a = st.actors.get(aid) or Actor(id=aid, name=sp.text, kind="person", country=country,
                                            sector=self._sector_for(role), role=role)
            st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))
            if len(parts) > 1:
                st.local_surnames.setdefault(parts[-1], aid)
            return
        if kind == "group":
            return  # nationalities alone are handled as groups with their nouns
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
        # organisations the knowledge base does not know: their country from a demonym in the name
        country = None
        for t in sp:
            for f in _best_form(self.kb, t.text):
                e = self.kb.entries[f.entry_id]
                if e.kind == "state":
                    country = e.country
                    break
            if country:
                break
        sector = "GOV" if re.search(r"\b(Ministry|Ministries|Department|Government|Office|Council|Army|Forces)\b",
                                    sp.text) else None
        if re.search(r"\b(Army|Forces|Navy|Military|Air Force|Guard)\b", sp.text):
            sector = "MIL"
        aid = "new:org:" + slug(sp.text)
        a = st.actors.get(aid) or Actor(id=aid, name=sp.text, kind="organization", country=country, sector=sector)
        st.add(a, text, sp.start_char, sp.end_char, "ner", (sp.start, sp.end))

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
        return min(pool, key=lambda c: min((OFFICE_RANK_GET(r.office) for r in c.roles), default=99))

    def _group_mentions(self, doc, st: ArticleActors) -> None:
        """"Chinese officials" and "Russian forces": the state, acting through its people."""
        for tok in doc:
            if tok.lower_ not in self.kb.state_groups or tok.pos_ != "NOUN":
                continue
            for child in tok.children:
                if child.dep_ not in ("amod", "compound", "nmod") or child.i >= tok.i:
                    continue
                forms = _best_form(self.kb, child.text)
                state = next((self.kb.entries[f.entry_id] for f in forms
                              if self.kb.entries[f.entry_id].kind in ("state", "igo")), None)
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
                lo, hi = child.idx, tok.idx + len(tok.text)
                for m in [m for m in st.mentions if lo <= m.start < hi]:
                    owner = st.actors[m.actor]
                    owner.mentions = [x for x in owner.mentions if not (x.start == m.start and x.end == m.end)]
                st.mentions = [m for m in st.mentions if not (lo <= m.start < hi)]
                st.add(a, doc_text(doc), child.idx, tok.idx + len(tok.text), "group", (child.i, tok.i + 1))
                break

    # -------------------------------------------------------------- speakers
    def resolve_source(self, doc, st: ArticleActors, start: int, end: int) -> str | None:
        """The actor a source span names: a name inside it, else its role noun or pronoun in context."""
        inside = [m for m in st.mentions if m.start >= start and m.end <= end]
        text = doc_text(doc)
        if inside:
            persons = [m for m in inside if st.actors[m.actor].kind == "person"]
            media = [m for m in inside if m.actor.startswith("media:")]
            groups = [m for m in inside if m.how == "group"]
            if persons:
                return persons[0].actor  # the head of "John Bolton, adviser during Trump's first term"
            span_text = text[start:end]
            words = [w for w in span_text.lower().split() if w not in DETERMINERS]
            head_word = words[-1] if words else ""
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
        if low in self.kb.pronouns:
            return self._pronoun(st, start, self.kb.pronouns[low])
        # "the report", "the newspaper": the last news organisation mentioned
        if words[-1] in ("report", "newspaper", "paper", "outlet", "agency", "broadcaster") and words[0] == "the":
            media = [m for m in st.mentions if m.start < start and m.actor.startswith("media:")]
            if media:
                return media[-1].actor
        # "the spokesperson", "the president": the last person named with that role
        if words[0] in ("the", "this", "that") and len(words) <= 4:
            noun = words[-1]
            syn = {"spokesperson", "spokesman", "spokeswoman"}
            keys = syn if noun in syn else {noun}
            for m in reversed([m for m in st.mentions if m.start < start]):
                a = st.actors[m.actor]
                if a.kind == "person" and a.role and any(k in a.role.lower() for k in keys):
                    return a.id
        if words[-1] in self.kb.anonymous or words[-1].rstrip("s") in self.kb.anonymous:
            return self._anonymous(doc, st, start, end, [])
        return None

    def _pronoun(self, st: ArticleActors, start: int, gender: str | None) -> str | None:
        for m in reversed([m for m in st.mentions if m.start < start]):
            a = st.actors[m.actor]
            if gender is None:
                return a.id
            if a.kind == "person" and st.genders.get(a.id) in (gender, None):
                return a.id
        return None

    def _anonymous(self, doc, st: ArticleActors, start: int, end: int, inside: list[Mention]) -> str:
        """An unnamed source: "One White House official" -> "White House official (unnamed)"."""
        words = doc_text(doc)[start:end].split()
        while words and words[0].lower() in DETERMINERS:
            words.pop(0)
        desc = " ".join(words) or doc_text(doc)[start:end]
        country = None
        for m in inside:
            a = st.actors[m.actor]
            if a.country:
                country = a.country
                break
        if country is None:
            for w in words:
                for f in _best_form(self.kb, w):
                    e = self.kb.entries[f.entry_id]
                    if e.kind == "state":
                        country = e.country
                        break
        name = f"{desc} (unnamed)"
        aid = "new:anon:" + slug(desc)
        a = st.actors.get(aid) or Actor(id=aid, name=name, kind="person" if not desc.endswith("s") else "group",
                                        country=country, sector=self._sector_for(desc))
        st.add(a, doc_text(doc), start, end, "anonymous")
        return aid


def OFFICE_RANK_GET(office: str | None) -> int:
    from ..knowledge.kb import OFFICE_RANK

    return OFFICE_RANK.get(office or "", 50)


def resolve_speakers(doc, resolver: ActorResolver, st: ArticleActors, attributions: list[Attribution]) -> None:
    """Fill each attribution's `speaker` from its source span; a continued quote keeps the
    speaker of the quote it continues."""
    for att in attributions:
        cont = getattr(att, "_continues", None)
        if att.source is not None:
            att.speaker = resolver.resolve_source(doc, st, att.source.start, att.source.end)
        elif cont is not None:
            att.speaker = cont.speaker


def finish_actors(st: ArticleActors, analysis: Analysis) -> None:
    """Keep the actors that are mentioned, in order of first mention."""
    first: dict[str, int] = {}
    for m in st.mentions:
        first.setdefault(m.actor, m.start)
    for a in st.actors.values():
        a.mentions.sort(key=lambda s: s.start)
    analysis.actors = sorted((a for a in st.actors.values() if a.id in first), key=lambda a: first[a.id])
