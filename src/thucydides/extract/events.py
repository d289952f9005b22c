"""Events: who did what to whom, coded as PLOVER types with CAMEO codes.

Triggers come from our lexicon (`knowledge/event_triggers.yaml`), matched on the lemmas of
the parse; the source is the trigger's subject (or the agent of a passive, or the owner of
a nominal event: "Moscow's invasion"), the target its object or the party after "with",
"to", "against". Modality is read off the parse: a negation, a modal or conditional, an
auxiliary of the future or a plan ("slated to meet"). An event inside what someone said is
`reported_by` that speaker.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..knowledge import has_file, load_csv, load_yaml
from ..knowledge.kb import KnowledgeBase
from ..model import Analysis, Event, Span
from ..nlp import doc_ents, doc_text, token_hashes, token_lemmas
from . import dates
from . import event_model as em

MODALS = {"would", "could", "might", "may", "should", "must", "can", "ought"}
FUTURE_AUX = {"will", "shall", "'ll"}
# an event under one of these has not happened yet: "slated to meet", "agreed to start negotiations"
PLAN_WORDS = {"slate", "slat", "slated", "schedule", "scheduled", "set", "plan", "planned", "expect", "expected",
              "due", "poise", "poised", "prepare", "intend", "aim", "hope", "going", "agree", "decide", "vow",
              "pledge", "promise", "hopes", "hoped", "hoping"}   # spaCy lemmatises "hopes" as "hop"
PROPOSAL_HEADS = {"propose", "suggest", "offer", "urge", "demand", "want", "seek", "ask", "call", "recommend",
                  "insist", "request", "plead", "press"}
HYPOTHETICAL_HEADS = {"appear", "seem", "consider", "mull", "weigh", "threaten", "ready", "willing", "eager"}
# "refused to sign", "failed to reach a deal": what the complement says did not happen
NEGATING_HEADS = {"refuse", "fail", "decline", "neglect", "avoid"}
# an event noun that is planned or only possible ("the planned visit", "a possible strike"), and
# one that was called off or put off ("the visit was cancelled", "talks were postponed")
PLANNED_MODS = {"planned", "scheduled", "upcoming", "expected", "forthcoming"}
POSSIBLE_MODS = {"proposed", "possible", "potential", "prospective", "hypothetical", "threatened"}
CALLED_OFF = {"cancel", "scrap", "abandon", "call"}
PUT_OFF = {"postpone", "delay", "defer", "reschedule"}
# "tried to block": an attempt, whose outcome the sentence does not give
ATTEMPT_HEADS = {"try", "attempt", "struggle"}
# "denied that it had attacked", "rejected claims that it had shelled": disputed, not established
DISPUTE_HEADS = {"deny", "dispute", "claim", "allegation", "accusation", "rumor", "rumour", "suggestion"}
TARGET_PREPS = {"with", "to", "against", "on", "at", "toward", "towards", "into", "for", "from", "of", "upon"}
PARTICLES = {"on", "off", "up", "down", "out", "back", "in", "over", "away", "through"}
NEG_WORDS = {"not", "n't", "never", "no"}
TRIM = " ,.;:“”\"'‘’"
# nouns that stand for the party an "of" phrase names: "the government of Veloria", "the
# people of Marzin" (not "the premises of a university")
BELONG_NOUNS = {"government", "people", "leader", "leadership", "force", "army", "military", "troop", "member",
                "delegation", "embassy", "authority", "citizen", "parliament", "ambassador", "president",
                "minister", "navy", "police", "regime", "administration", "cabinet", "representative",
                "envoy", "king", "queen", "ruler", "population", "state", "kingdom", "republic"}
PARTY_ENTS = {"PERSON", "NORP", "ORG", "GPE"}
# the actor ids of states and international bodies
_is_state = re.compile(r"^(?:[A-Z]{3}$|igo:|new:state:)").match
RECIPROCAL = {"AGREE", "CONSULT", "COOPERATE"}
# acts that coordinated actors do together to someone else, never to each other ("Pompeo and
# the CIA challenged the reports"): their source is never split into the two sides
ONE_WAY = {"ACCUSE", "COERCE", "CONCEDE", "AID", "PROTEST", "REQUEST", "THREATEN", "SANCTION", "MOBILIZE",
           "RETREAT"}
# The type model alone codes an event whose trigger the lexicon does not give that type from
# this probability on (and, where the lexicon found no event in the sentence, when the source
# it finds is named).
MODEL_ONLY_MIN = 0.25
# ... and from this probability on, also for a nominal trigger ("brought charges against")
# and a source that is a common noun ("the court convicted")
MODEL_STRONG = 0.5
# Where the lexicon coded events of other types in the sentence, the model's type replaces
# them from this probability on (the sentence reports an event; the model reads which)
MODEL_OVER_LEXICON = 0.5
# ... and from this one, even where the trigger word alone does not point to the type
# ("brought charges against": the sentence's other words do)
MODEL_SURE = 0.65
# where the model's type is not what the trigger word points to, a lexicon event on the same
# word whose type is within this much of it in probability is preferred
TIE = 0.15
# verbs whose subject is the source of the event their object names ("held talks", "announced
# a ceasefire", "ordered attacks on Gaza", "completed its withdrawal")
LIGHT_VERBS = {"have", "hold", "make", "conduct", "launch", "carry", "stage", "give", "take", "host",
               "announce", "declare", "impose", "order", "reach", "begin", "start", "complete", "continue",
               "extend", "resume", "commence", "mount", "issue", "unveil", "intensify", "step"}
# people an act may be aimed at in person ("summoned the ambassador to the ministry"), and the
# verbs that move people or things to a recipient ("sent an envoy to Veloria")
ENVOY_NOUNS = {"diplomat", "ambassador", "envoy", "official", "minister", "delegation", "representative",
               "spokesman", "spokeswoman", "spokesperson", "chargé", "consul", "attaché"}
TRANSFER_VERBS = {"send", "dispatch", "deploy", "return", "hand", "deliver", "transfer", "extradite", "deport",
                  "repatriate", "give", "provide", "offer", "lend", "supply", "donate", "grant", "sell", "post"}
# nouns that count or group the event nouns they govern: "a new round of talks", "a wave of strikes"
QUANTITY_NOUNS = {"round", "series", "wave", "spate", "string", "set", "number", "campaign", "day", "week"}
# what an actor has decided or set out to do: acted on, it stands for the actor
POSSESSED_ACTS = {"decision", "effort", "plan", "attempt", "action", "policy", "proposal",
                  "invitation", "comment"}
# taking a place by force: the place is the target
TAKE_VERBS = {"capture", "seize", "recapture", "retake", "storm", "overrun", "occupy"}
# a receiving verb coded as the event itself: the act comes from the one it is received from
RECEIVE_GIVEN = {"receive", "get", "obtain"}
# put out of a place: in the passive with no agent, the state of "from" does it
REMOVED_FROM = {"expel", "deport", "evict", "eject", "banish"}
# an act these verbs take as object is received by their subject ("faces criticism from")
RECEIVE_VERBS = {"receive", "face", "get", "win", "draw", "earn", "gain", "obtain", "accept", "suffer"}
# verbs whose object does what their "to" clause says: "urged Veloria to withdraw" (Veloria would
# withdraw), unlike "agreed to withdraw" or "refused to withdraw" (the subject would)
OBJECT_CONTROL = {"urge", "ask", "press", "pressure", "order", "force", "compel", "invite", "persuade",
                  "convince", "tell", "encourage", "allow", "permit", "instruct", "implore", "beg", "request",
                  "advise", "require", "authorize", "authorise"}
# verbs whose subject voices, offers or takes part in the event its object names ("reiterated
# France's support"); not verbs that report it ("confirmed Russia's attack": Russia attacked)
CARRIER_VERBS = {"express", "reiterate", "reaffirm", "pledge", "promise", "convey", "voice", "offer", "attend",
                 "authorize", "authorise", "renew"}


@dataclass(frozen=True)
class Trigger:
    lemma: str
    rest: tuple[str, ...]
    pos: str | None
    type: str
    cameo: str
    mode: str | None


@functools.lru_cache(maxsize=1)
def noun_compounds() -> dict[str, list[Trigger]]:
    """The lexicon's multi-word nouns ("air strike"), by their last word, the head."""
    out: dict[str, list[Trigger]] = {}
    for lst in trigger_index().values():
        for t in lst:
            if t.rest and t.pos == "NOUN":
                out.setdefault(t.rest[-1], []).append(t)
    for lst in out.values():
        lst.sort(key=lambda t: -len(t.rest))
    return out


@functools.lru_cache(maxsize=1)
def cameo_table() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in load_csv("cameo.csv")}


@functools.lru_cache(maxsize=1)
def trigger_index() -> dict[str, list[Trigger]]:
    index: dict[str, list[Trigger]] = {}
    if not has_file("event_triggers.yaml"):
        return index
    data = load_yaml("event_triggers.yaml")
    for ptype, entries in data.items():
        for e in entries or []:
            words = str(e["lemma"]).lower().split()
            t = Trigger(words[0], tuple(words[1:]), (e.get("pos") or None), ptype.upper(), str(e.get("cameo") or ""),
                        e.get("mode"))
            index.setdefault(words[0], []).append(t)
    for lst in index.values():
        lst.sort(key=lambda t: -len(t.rest))
    return index


@functools.lru_cache(maxsize=1)
def evaluation_words() -> dict[str, frozenset[str]]:
    data = load_yaml("evaluations.yaml")
    return {k: frozenset(w.lower() for w in v) for k, v in data.items()}


@functools.lru_cache(maxsize=1)
def plover_table() -> dict[str, dict]:
    return {row["type"]: row for row in load_yaml("plover.yaml")}


def _default_code(ptype: str, tok) -> tuple[str | None, str | None]:
    """The CAMEO code and mode of a type the model chose: the trigger's own lexicon entry for
    that type when it has one, else the type's default code."""
    for t in trigger_index().get(tok.lemma_.lower(), ()):
        if t.type == ptype and not t.rest:
            return t.cameo or None, t.mode
    code = str(plover_table().get(ptype, {}).get("default_cameo") or "") or None
    row = cameo_table().get(code or "")
    return code, (row.get("plover_mode") or None) if row else None


def _cameo_info(code: str) -> tuple[float | None, str | None]:
    row = cameo_table().get(code)
    if not row:
        return None, None
    try:
        g = float(row["goldstein"])
    except (TypeError, ValueError):
        g = None
    return g, row.get("quad") or None


def _np_tokens(head):
    """The noun phrase of a head, without relative clauses, appositions and trailing commas."""
    from .attributions import _source_tokens

    return _source_tokens(head)


def _particle_phrase(event: Event, ptype: str) -> bool:
    """Did the lexicon read the event's verb with its particle ("called off"), as another type
    than `ptype`?"""
    entry = event._entry
    return bool(entry.rest) and entry.rest[0] in PARTICLES and entry.type != ptype


def _particle_after(tok, word: str) -> bool:
    """Is `word` the verb's particle: its dependent right after it ("pulled out of"), or an
    adverb on it ("pulled its troops back")."""
    return any(c.lower_ == word and (c.i == tok.i + 1 or c.dep_ == "advmod") for c in tok.children)


class EventCoder:
    def __init__(self, kb: KnowledgeBase, use_model: bool = True) -> None:
        self.kb = kb
        self.triggers = trigger_index()
        self._trigger_hashes: set[int] | None = None
        self.model = em.load_model() if use_model else None

    # ---------------------------------------------------------------- matching
    def _trigger_words(self, doc) -> set[int]:
        """The tokens whose lemma or lower-case form is a trigger word, found by comparing the
        hashes spaCy keeps for each token rather than by making every token (`_match` then
        decides on these few)."""
        keys = self._trigger_hashes
        if keys is None:
            keys = self._trigger_hashes = {doc.vocab.strings[k] for k in self.triggers}
        return {i for i, (lemma, lower) in enumerate(zip(token_lemmas(doc), token_hashes(doc, "LOWER")))
                if lemma in self.triggers or lower in keys}

    def _match(self, tok) -> Trigger | None:
        cands = self.triggers.get(tok.lemma_.lower()) or self.triggers.get(tok.lower_)
        if not cands:
            return None
        pos = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN" if tok.pos_ in ("NOUN", "PROPN") else None
        if pos is None:
            return None
        if pos == "NOUN":
            # a compound noun is coded on its head, as the whole compound: "air strikes" (an
            # assault, not a labour strike), "drone strike"; its first word is no trigger
            mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i}
            if mods:
                for t in noun_compounds().get(tok.lemma_.lower(), ()):
                    if all(w in mods for w in (t.lemma,) + t.rest[:-1]):
                        return t
            if tok.dep_ == "compound" and tok.head.i > tok.i and any(
                    t.lemma == tok.lemma_.lower() for t in noun_compounds().get(tok.head.lemma_.lower(), ())):
                return None
        nearby = None   # the words a phrase may take its other words from, read only for a phrase
        particle = None
        for t in cands:
            if t.pos and t.pos != pos:
                continue
            if t.rest:
                if nearby is None:
                    nearby = self._nearby(tok)
                    particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
                if not all(w in nearby for w in t.rest):
                    continue
                # a verb takes one particle, on it or right after it: "called off the talks ... on
                # Monday" and "called Veloria on Monday" are not "call on"
                if pos == "VERB" and (t.rest[0] in PARTICLES and (
                        t.rest[0] != particle if particle else not _particle_after(tok, t.rest[0]))
                        or particle and t.rest[0] in TARGET_PREPS and t.rest[0] != particle):
                    continue
            return t
        return None

    @staticmethod
    def _nearby(tok) -> set[str]:
        """Lemmas and forms of the trigger's dependents and the next three words; for a noun also
        the two words before it and its head."""
        after = tok.doc[tok.i + 1:tok.i + 4]
        near = {t.lemma_.lower() for t in tok.children} | {t.lemma_.lower() for t in after}
        near |= {t.lower_ for t in tok.children} | {t.lower_ for t in after}
        # the object of a preposition on the word: "withdrew from the border treaty"
        near |= {g.lemma_.lower() for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
        if tok.pos_ == "NOUN":
            near |= {t.lemma_.lower() for t in tok.doc[max(tok.i - 2, 0):tok.i]}
            near.add(tok.head.lemma_.lower())
        return near

    # ---------------------------------------------------------------- roles
    def _party(self, doc, st, resolver, head, tokens: tuple[int, int] | None = None,
               bounded: bool = False) -> tuple[list[str], Span | None]:
        """The actors a noun phrase names and its span. Each conjunct counts ("the U.S. and
        European Union"); in each, a name on the head or before it ("U.S.-Russia dialogue"),
        else what the phrase refers to (a pronoun, a role noun, an unnamed official)."""
        if head is None:
            return [], None
        text = doc_text(doc)
        if tokens is not None:
            lo, hi = tokens
        else:
            np_toks = _np_tokens(head)
            lo, hi = min(t.i for t in np_toks), max(t.i for t in np_toks) + 1
        hi = _before_speaker(doc, head, lo, hi)
        start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
        while start < end and text[start] in TRIM:
            start += 1
        while end > start and text[end - 1] in TRIM:
            end -= 1
        span = Span.of(text, start, end) if end > start else None
        by_token = self._token_actors(st)
        ids: list[str] = []
        # `bounded`: only the conjuncts inside the phrase (the others are the other party)
        for c in [head] + [c for c in head.conjuncts if c.i > head.i and not (bounded and c.i >= hi)]:
            if c.lower_ in ("it", "its") and c.head.lemma_ == "be":
                continue  # "It is unconscionable to ...": no actor
            left = [t for t in c.subtree if t.i < c.i and t.dep_ not in ("cc", "conj")]
            coordinated = any(t.dep_ == "cc" for t in c.subtree if t.i < c.i)
            named = [by_token[a.i] for a in c.children if a.dep_ == "appos" and a.i in by_token
                     and st.actors[by_token[a.i]].kind == "person"]
            if named and c.i not in by_token:
                found = named[:1]   # "Ostrane's prime minister, Tomas Reyle": the person
            elif c.i in by_token:
                found = [by_token[t.i] for t in left if t.i in by_token] if coordinated else []
                found.append(by_token[c.i])
            elif c.lemma_.lower() in self.kb.anonymous:
                # "One White House official": the unnamed official, not the White House
                s0 = min([t.idx for t in left] + [c.idx])
                rid = resolver.resolve_source(doc, st, s0, c.idx + len(c.text))
                found = [rid] if rid else []
            else:
                found = [by_token[t.i] for t in left if t.i in by_token]
                if not found:
                    s0 = min([t.idx for t in left] + [c.idx])
                    rid = resolver.resolve_source(doc, st, s0, c.idx + len(c.text))
                    found = [rid] if rid else []
                if not found:
                    # "the government of Veloria", "the people of Marzin": the state it belongs to
                    found = [by_token[g.i] for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                             and c.lemma_.lower() in BELONG_NOUNS
                             for g in p.children if g.dep_ == "pobj" and g.i in by_token][:1]
                if not found:
                    # "rejected Russian accusations": a phrase qualified by a nationality alone
                    found = next(([rid] for t in left if t.dep_ in ("amod", "compound") and t.head.i == c.i
                                  and (rid := resolver.nationality(doc, st, t))), [])
                if not found and c.ent_type_ == "NORP" and c.tag_ == "NNPS":
                    # "aid to Palestinians": the people of a state stand for it
                    found = [rid] if (rid := resolver.nationality(doc, st, c)) else []
                if not found and c.i >= em.dateline_end(c.sent):
                    # "the Government of National Accord (GNA)": what its apposition names (not
                    # in a dateline: "WASHINGTON (AP) --")
                    found = [by_token[a.i] for a in c.children if a.dep_ == "appos" and a.i in by_token][:1]
            for rid in found:
                if rid not in ids:
                    ids.append(rid)
        return ids, span

    @staticmethod
    def _token_actors(st) -> dict[int, str]:
        """token index -> actor id of the article's mentions, built once per article (mentions
        added later, anonymous ones, have no tokens and do not change it)."""
        key = (id(st.mentions), len(st.mentions))
        cached = getattr(st, "_event_token_actors", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        by_token: dict[int, str] = {}
        for m in st.mentions:
            for i in range(m.tokens[0], m.tokens[1]):
                by_token.setdefault(i, m.actor)
        try:
            st._event_token_actors = (key, by_token)
        except AttributeError:
            pass  # a state that takes no new attributes: build it each time
        return by_token

    def _subject(self, tok):
        for c in tok.children:
            if c.dep_ == "nsubj":
                return c, False
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g, False
        # "slated to meet", "agreed to start": the subject of the governing verb; not for a
        # passive participle ("Asked to comment, Guo said": Guo was asked, he did not ask)
        if tok.tag_ == "VBN" and tok.dep_ == "advcl":
            return None, False
        cur = tok
        for _ in range(3):
            if cur.dep_ in ("xcomp", "conj", "advcl", "ccomp", "relcl", "acl") and cur.head.i != cur.i:
                head = cur.head
                if cur.dep_ in ("xcomp", "advcl") and head.pos_ == "VERB":
                    asked = _addressee_of(head, controls=True)
                    if asked is not None:
                        return asked, False   # "called on Veloria to release ...": Veloria would release
                if cur.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
                    return head, False
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        return c, False
                cur = head
            else:
                break
        return None, False

    def _object(self, tok):
        for c in tok.children:
            if c.dep_ in ("dobj", "iobj", "nsubjpass", "attr"):
                return c
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        for c in tok.children:  # "agreed to start negotiations" -> the object of the complement
            if c.dep_ == "xcomp":
                inner = self._object(c)
                if inner is not None:
                    return inner
        return None

    @staticmethod
    def _recipient(tok, st, ptype: str):
        """The party a "to" or "with" phrase names, where the direct object is a thing or a
        topic: "returned the manuscripts to the government of Veloria", "discussed Marzin
        with Veloria" (one consults a party about a topic)."""
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if dobj is None:
            return None
        if (dobj.lemma_.lower() in ENVOY_NOUNS or dobj.ent_type_ == "PERSON") and em._lemma(tok) not in TRANSFER_VERBS:
            return None  # "summoned a senior Indian diplomat to its Foreign Ministry": the diplomat
        preps = ("with",) if ptype in RECIPROCAL or ptype == "CONSULT" else ("to",)
        named = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps and c.i > dobj.i:
                if named is None:
                    named = EventCoder._token_actors(st)
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None or not any(t.i in named for t in pobj.subtree):
                    continue
                if c.lower_ == "with" or not (dobj.i in named or any(
                        a.dep_ == "appos" and a.i in named for a in dobj.children)):
                    return pobj  # (not "summoned his adviser, a named person, to his office")
        return None

    def _noun_roles(self, tok, st):
        """Source and target of a nominal event: "Moscow's invasion of Ukraine", "the
        Trump–Putin call", "a phone call with Putin" (after a light verb, its subject)."""
        source = target = None
        starts = {m.tokens[0]: m for m in st.mentions}
        named = [t for t in tok.subtree if t.i < tok.i and t.i in starts]
        if named:
            source = named[0]
            if len(named) > 1:
                target = named[1]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "of", "on", "against", "to", "in", "by", "between"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        if c.lower_ == "by":
                            source = g
                        elif target is None:
                            target = g
        if source is None and tok.dep_ in ("dobj", "pobj", "attr") and tok.head.lemma_.lower() in LIGHT_VERBS:
            subj, _ = self._subject(tok.head)
            source = subj
        elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in CARRIER_VERBS:
            # "Erdogan reiterated Turkey's support for ...", "Kushner attends a Cabinet meeting":
            # who voices the support or attends the meeting is the party, not the owner named
            subj, _ = self._subject(tok.head)
            if subj is not None and subj.pos_ != "PRON":
                source = subj
        return source, target

    def _plural_antecedent(self, doc, st, resolver, tok) -> list[str]:
        """"they": the coordinated subject met last ("Vance and Rubio have led ... where they"),
        else the parties named earlier in the sentence ("he had a call with Putin and they")."""
        for sent in [tok.sent] + ([doc[tok.sent.start - 1].sent] if tok.sent.start > 0 else []):
            subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i and t.conjuncts]
            if subjects:
                ids, _ = self._party(doc, st, resolver, subjects[-1])
                if len(ids) > 1:
                    return ids
        parties: list[str] = []
        for t in tok.sent:
            if t.i >= tok.i:
                break
            if t.lower_ in ("he", "she"):
                rid = resolver.resolve_source(doc, st, t.idx, t.idx + len(t.text))
                if rid and rid not in parties:
                    parties.append(rid)
            for m in st.mentions:
                if m.tokens[0] == t.i and st.actors[m.actor].kind in ("person", "state", "igo") \
                        and m.actor not in parties:
                    parties.append(m.actor)
        return parties if len(parties) > 1 else []

    # ---------------------------------------------------------------- modality
    def _modality(self, tok) -> tuple[bool, bool, bool]:
        negated = hypothetical = future = False
        chain = [tok]
        cur = tok
        while cur.dep_ in ("xcomp", "conj", "aux", "nsubj", "nsubjpass", "dobj") and cur.head.i != cur.i \
                and len(chain) < 4:
            if cur.dep_ in ("nsubj", "nsubjpass", "dobj") and cur.pos_ not in ("NOUN", "PROPN"):
                break
            cur = cur.head
            chain.append(cur)
        for t in chain:
            head = t.head.lemma_.lower()
            # what is proposed or asked for has not happened ("called on Veloria to release
            # them"); nor is what is only tried ("tried to block") or disputed ("denied that")
            if t.dep_ in ("ccomp", "xcomp") and head in PROPOSAL_HEADS and t.pos_ in ("VERB", "AUX") \
                    or t.dep_ == "xcomp" and head in ATTEMPT_HEADS or t.dep_ in ("ccomp", "acl") and head in DISPUTE_HEADS:
                hypothetical = True
        if tok.lemma_.lower() in ("consider", "mull", "weigh"):
            hypothetical = True   # "is considering sanctions": the trigger itself only weighs them
        if tok.pos_ == "NOUN":
            mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
            future = future or bool(mods & PLANNED_MODS)
            hypothetical = hypothetical or bool(mods & POSSIBLE_MODS)
            gov = tok.head.lemma_.lower()
            if tok.dep_ in ("nsubjpass", "dobj") and tok.head.pos_ == "VERB":
                if gov in CALLED_OFF and (gov != "call" or any(c.lower_ == "off" for c in tok.head.children)):
                    negated = True   # "the planned visit was cancelled", "called off the talks"
                elif gov in PUT_OFF:
                    future = True
        for t in chain:
            for c in t.children:
                low = c.lower_
                if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and low in NEG_WORDS):
                    negated = True
                if c.dep_ in ("nsubj", "nsubjpass") and any(
                        g.dep_ in ("preconj", "det") and g.lower_ in ("neither", "no") and g.i < c.i for g in c.children):
                    negated = True   # "Neither Veloria nor Ostrava has signed", "No state has recognised it"
                if c.dep_ == "aux" and low in MODALS:
                    hypothetical = True
                if c.dep_ == "aux" and low in FUTURE_AUX:
                    future = True
                if c.dep_ == "mark" and low in ("if", "unless", "whether"):
                    hypothetical = True
            if t is not tok and (t.lemma_.lower() in PLAN_WORDS or t.lower_ in PLAN_WORDS):
                future = True
            if t is not tok and t.lemma_.lower() in HYPOTHETICAL_HEADS:
                hypothetical = True
        if tok.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in tok.children):
            hypothetical = True
        return negated, hypothetical, future

    @staticmethod
    def _refused(tok) -> bool:
        """Is the trigger what someone refused or failed to do ("refused to sign the treaty",
        "failed to reach a deal")?"""
        cur = tok.head if tok.dep_ == "dobj" and tok.pos_ == "NOUN" else tok
        for _ in range(3):
            if cur.dep_ != "xcomp" or cur.head.i == cur.i:
                return False
            if cur.head.lemma_.lower() in NEGATING_HEADS:
                return True
            cur = cur.head
        return False

    # ---------------------------------------------------------------- place and time
    def _location(self, tok) -> str | None:
        doc = tok.doc
        for c in tok.subtree:
            if c.dep_ == "pobj" and c.head.lower_ in ("in", "at") and c.ent_type_ in ("GPE", "LOC", "FAC"):
                ent = next((e for e in doc_ents(doc) if e.start <= c.i < e.end), None)
                return ent.text if ent else c.text
        # "a delegation to Munich, where they are slated to meet"
        cur = tok
        for _ in range(4):
            if cur.dep_ == "relcl" and any(c.lower_ == "where" for c in cur.children) and cur.head.ent_type_ in ("GPE", "LOC", "FAC"):
                return cur.head.text
            if cur.head.i == cur.i:
                break
            cur = cur.head
        return None

    def _date(self, tok, published, future: bool) -> str | None:
        """The date attached to the trigger's clause, or to a clause above it ("In a post on
        Wednesday, Trump said he had a call"); never a date of another event in the sentence."""
        doc = tok.doc
        sent = tok.sent
        ancestors = [tok] + list(tok.ancestors)
        if future:
            # the day someone said it is not the day of what is still to come ("In a post on
            # Wednesday, Trump said they had agreed to start negotiations")
            cut = next((k for k, t in enumerate(ancestors) if k and t.lemma_.lower() in em.SPEECH), None)
            ancestors = ancestors[:cut]
        rank = {t.i: k for k, t in enumerate(ancestors)}
        best = None
        for e in doc_ents(doc):
            if e.label_ not in ("DATE", "TIME") or e.start < sent.start or e.end > sent.end:
                continue
            gov = e.root.head
            while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i and gov.i not in rank:
                gov = gov.head
            if gov.i in rank and (best is None or rank[gov.i] < best[0]):
                best = (rank[gov.i], e)
        if best is None:
            return None
        r = dates.resolve(best[1].text, published, future=future)
        return r[0] if r else None

    # ---------------------------------------------------------------- coding
    def code(self, doc, analysis: Analysis, resolver, st) -> list[Event]:
        published = dates.parse_published(analysis.published)
        events: list[Event] = []
        contents = [(a.content.start, a.content.end, a) for a in analysis.attributions]
        ctx = (st, published, contents, analysis, resolver)
        maybe = self._trigger_words(doc)
        for sent in doc.sents:
            found: list[Event] = []
            unparsed = []   # trigger words whose parties the parse did not give
            for i in range(sent.start, sent.end):
                if i not in maybe:
                    continue
                tok = doc[i]
                trig = self._match(tok)
                if trig is None:
                    continue
                ev = self._code_one(doc, tok, trig, *ctx)
                if ev is not None:
                    ev._entry = trig   # the lexicon entry it matched: a phrase ("hit back") or a bare word
                    found.append(ev)
                else:
                    unparsed.append((tok, trig))
            if self.model is not None:
                probs = self.model.type_probs(em.type_features(sent, self.triggers))
                found = self._rank_with_model(doc, sent, found, ctx, probs)
                if not found and unparsed:
                    found = self._parties_for_lexicon(doc, sent, unparsed, ctx, probs)
            self._demands(doc, sent, found, ctx)
            self._received(doc, found, ctx)
            self._possessed_acts(doc, found, ctx)
            self._held_until(doc, found, ctx)
            self._taken(doc, found, ctx)
            events.extend(found)
        events.extend(self._statement_acts(doc, analysis, st))
        self._link_proposals(events)
        return _dedupe(events)

    # ---------------------------------------------------------------- the learned model
    def _rank_with_model(self, doc, sent, found: list[Event], ctx, probs: dict[str, float]) -> list[Event]:
        """Order a sentence's events by the type model, and let it code the event the lexicon
        missed. The model's type for the sentence is the most likely; an event of that type
        comes first (its parties chosen by the party models), the others follow with their
        own type's probability (`probs`: the type model's, for the sentence)."""
        model = self.model
        lex = self.triggers
        ptype = max(probs, key=probs.get)
        trig = em.choose_trigger(sent, ptype, lex)
        same = [e for e in found if e.type == ptype]
        if not same:
            # the cheap checks first: most sentences end here, before any party is scored
            if trig.pos_ not in ("VERB", "NOUN") or em._lemma(trig) in em.SPEECH:
                return self._lexicon_first(doc, sent, found, probs, ctx)
            pos = "VERB" if trig.pos_ == "VERB" else "NOUN"
            lexicon_agrees = any(t.type == ptype and not t.rest and t.pos in (None, pos)
                                 for t in lex.get(em._lemma(trig), ()))
            # the model alone: its trigger word must point to the type, the type be likely
            # and (below) the source named
            strong = probs[ptype] >= MODEL_STRONG
            if found and probs[ptype] >= MODEL_OVER_LEXICON:
                lexicon_agrees = True  # the lexicon saw an event here: the model's type may replace it
            # where the trigger word does not point to the type, the model codes an event only
            # between two states or international bodies (the dyads the tool is for), and with
            # less confidence
            unsupported = not (model.predicate_supports(ptype, trig) or probs[ptype] >= MODEL_SURE)
            if trig.pos_ == "VERB" and any(e.trigger.start == trig.idx and _particle_phrase(e, ptype) for e in found):
                # a verb with its particle ("called off", "pulled out") is another verb than the
                # bare one the model knows ("call": a phone call): the lexicon's event leads
                return self._lexicon_first(doc, sent, found, probs, ctx)
            if unsupported and any(e.trigger.start == trig.idx and (bool(e._entry.rest)
                                                                    or probs.get(e.type, 0.0) >= probs[ptype] - TIE)
                                   for e in found):
                # the lexicon reads this very word otherwise, with a phrase ("hit back at" is a
                # retort, not a concession) or as a type the model finds about as likely
                # ("urged ... to withdraw"): surer than a type the word does not point to
                return self._lexicon_first(doc, sent, found, probs, ctx)
            if not lexicon_agrees and (probs[ptype] < MODEL_ONLY_MIN or trig.pos_ != "VERB" and not strong
                                       or unsupported and not self._two_states(sent, ctx[0])):
                return self._lexicon_first(doc, sent, found, probs, ctx)
        parties = _Parties(doc, sent, ctx[0], model)
        src, tgt = parties.choose(trig, ptype)
        if not same and not lexicon_agrees and unsupported:
            by_token = self._token_actors(ctx[0])
            if not all(c is not None and any(_is_state(by_token.get(i, "")) for i in range(c.lo, c.hi))
                       for c in (src, tgt)):
                return self._lexicon_first(doc, sent, found, probs, ctx, parties)
        if same:
            top = min(same, key=lambda e: (e.trigger.start != doc[trig.i].idx, 0 if e.source else 1))
            top_conf = 0.15 + 0.84 * probs[ptype]
        else:
            mentions = parties.mentions
            if src is None:
                return self._lexicon_first(doc, sent, found, probs, ctx, parties)
            if not lexicon_agrees and not (any(i in mentions for i in range(src.lo, src.hi))
                                           or any(doc[i].pos_ == "PROPN" for i in range(src.lo, src.hi))
                                           or strong and doc[src.head].pos_ == "NOUN"):
                return self._lexicon_first(doc, sent, found, probs, ctx, parties)
            top = self._build(doc, trig, ptype, None, None, ctx, roles=(src, tgt))
            if top is None:
                return self._lexicon_first(doc, sent, found, probs, ctx, parties)
            found.append(top)
            top_conf = (0.1 + 0.8 * probs[ptype]) * (0.6 if not lexicon_agrees and unsupported else 1.0)
        self._apply_parties(doc, top, parties, src, tgt, ctx)
        return self._order(found, probs, top, top_conf)

    def _parties_for_lexicon(self, doc, sent, unparsed, ctx, probs: dict[str, float]) -> list[Event]:
        """The lexicon sees an act the parse gives no actor for ("announced a weeklong cease-fire
        with the Taliban", "says it will begin a new military operation against ..."): the party
        models choose who, for the trigger the model finds likeliest, where the source they
        choose is named. Less sure than an event whose parties the parse gives."""
        words = [(tok, trig, subj) for tok, trig in unparsed
                 if tok.pos_ in ("VERB", "NOUN") and em._lemma(tok) not in em.SPEECH
                 and (subj := _carrier_subject(tok)) is not None]
        if not words:
            return []   # (checked before the party models, the costly part)
        tok, trig, subj = max(words, key=lambda w: probs.get(w[1].type, 0.0))
        parties = _Parties(doc, sent, ctx[0], self.model)
        src, tgt = parties.choose(tok, trig.type)
        if src is None or not any(i in parties.mentions for i in range(src.lo, src.hi)) \
                or not (src.head == subj.i or src.head in {t.i for t in subj.conjuncts}):
            return []
        top = self._build(doc, tok, trig.type, trig.cameo, trig.mode, ctx, roles=(src, tgt))
        if top is None or not top.source:
            return []
        top._entry = trig
        self._apply_parties(doc, top, parties, src, tgt, ctx)
        return self._order([top], probs, top, 0.1 + 0.5 * probs.get(trig.type, 0.0))

    def _named_pair(self, doc, ctx, src_tok, tgt_tok):
        """The actors and spans of two phrases, when both name someone and not the same."""
        st, resolver = ctx[0], ctx[4]
        src_ids, src_span = self._party(doc, st, resolver, src_tok)
        tgt_ids, tgt_span = self._party(doc, st, resolver, tgt_tok)
        if not src_ids or not tgt_ids or set(tgt_ids) & set(src_ids):
            return None
        return src_ids, src_span, tgt_ids, tgt_span

    def _demands(self, doc, sent, found: list[Event], ctx) -> None:
        """"Russia says Israel must end its strikes": what one actor says another must or should
        do is a demand of it (PLOVER REQUEST, CAMEO 100 demand or 020 appeal) by the speaker,
        not the speaker's own act. The event on that verb becomes the demand, or, where the
        verb is no trigger ("said that Ostrava must do more"), a demand is coded on it. The
        speaker's demand is what the sentence reports: it comes first (`found` is changed
        in place)."""
        st = ctx[0]
        for tok in sent:
            found_here = _demanded_of(tok)
            if found_here is None:
                continue
            speaker, subj, strong = found_here
            if any(c.dep_ == "poss" for c in subj.children) and subj.i not in self._token_actors(st) \
                    and subj.lemma_.lower() not in self.kb.anonymous:
                continue  # "Pence's performance should boost ...": a thing of the actor, not the actor
            pair = self._named_pair(doc, ctx, speaker, subj)
            if pair is None:
                continue
            src_ids, src_span, tgt_ids, tgt_span = pair
            cameo = "100" if strong else "020"
            mine = [e for e in found if e.trigger is not None and e.trigger.start == tok.idx]
            # an event on the verb read as the speaker's own act is the demand misread ("said
            # Veloria should withdraw": not the minister's withdrawal); one whose actor is the
            # subject stays, as what is asked for (hypothetical)
            misread = [e for e in mine if set(e.source) & set(src_ids) or e.type == "REQUEST"]
            for e in misread[1:]:
                found.remove(e)
            ev = misread[0] if misread else None
            if ev is None:
                ev = self._build(doc, tok, "REQUEST", cameo, None, ctx)
                if ev is None:
                    continue
                found.append(ev)
            ev.type, ev.cameo = "REQUEST", cameo
            ev.mode = cameo_table()[cameo].get("plover_mode") or None
            ev.goldstein, ev.quad = _cameo_info(cameo)
            ev.source, ev.source_span = src_ids, src_span
            ev.target, ev.target_span = tgt_ids, tgt_span
            ev.negated = ev.hypothetical = ev.future = False
            top = max((e.confidence for e in found if e is not ev), default=0.0)
            ev.confidence = round(min(0.99, max(ev.confidence, top + 0.01)), 3)

    def _received(self, doc, found: list[Event], ctx) -> None:
        """"Veloria faces criticism from the United Nations", "received an invitation from
        Ostrava", "were expelled from Veloria": an act its target receives is made by
        whoever it comes from."""
        st, resolver = ctx[0], ctx[4]
        for ev in found:
            tok = _span_root(doc, ev.trigger)
            if tok is None:
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in REMOVED_FROM:
                # "two inspectors have been expelled from Veloria": with no agent, the state
                # they are put out of is the one that expels them
                if not any(c.dep_ == "nsubjpass" for c in tok.children) or \
                        any(c.dep_ == "agent" for c in tok.children):
                    continue
                verb = tok
                kids = list(tok.children)
                origin = next((g for p in kids if p.dep_ == "prep" and p.lower_ == "from"
                               for g in p.children if g.dep_ == "pobj"), None)
                if origin is None:
                    continue
                ids, _ = self._party(doc, st, resolver, origin)
                if not ids or not all(_is_state(i) for i in ids):
                    continue
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in RECEIVE_GIVEN:
                # the trigger is the receiving itself: "received an invitation from Ostrava"
                verb = tok
                thing = next((c for c in tok.children if c.dep_ == "dobj"), None)
                kids = list(tok.children) + (list(thing.children) if thing is not None else [])
                if not any(p.dep_ == "prep" and p.lower_ == "from" for p in kids):
                    continue   # "received 40 percent of the vote": nobody gives it
            elif tok.pos_ != "NOUN":
                continue
            else:
                first = tok
                while first.dep_ == "conj" and first.head.pos_ == "NOUN":
                    first = first.head   # "received political and financial support from"
                verb = first.head
                if first.dep_ == "pobj" and verb.lower_ == "under" and verb.head.lemma_.lower() == "come":
                    verb = verb.head   # "came under attack from ..."
                elif not (first.dep_ == "dobj" and verb.lemma_.lower() in RECEIVE_VERBS):
                    continue
                kids = list(tok.children) + list(verb.children)
            giver = next((g for p in kids
                          if p.dep_ in ("prep", "agent") and p.lower_ in ("from", "by")
                          for g in p.children if g.dep_ == "pobj"), None)
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if giver is None or subj is None:
                continue
            src_ids, src_span = self._party(doc, st, resolver, giver)
            tgt_ids, tgt_span = self._party(doc, st, resolver, subj)
            # both named and not the same, or a receiver that is no actor ("the peace plan has
            # received support from Ostrava"), still the target of a giver who is one
            named = tgt_ids and not set(tgt_ids) & set(src_ids)
            bare = not tgt_ids and tgt_span is not None and subj.pos_ != "PRON"
            if src_ids and (named or bare):
                ev.source, ev.source_span, ev.target, ev.target_span = src_ids, src_span, tgt_ids, tgt_span

    def _possessed_acts(self, doc, found: list[Event], ctx) -> None:
        """"condemned Veloria's decision to annex the valley": what is acted on is the actor
        whose decision, plan or policy it is, and the target phrase names it alone."""
        st, resolver = ctx[0], ctx[4]
        for ev in found:
            root = _span_root(doc, ev.target_span)
            if root is None or root.pos_ != "NOUN" or root.lemma_.lower() not in POSSESSED_ACTS:
                continue
            owner = next((c for c in root.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
            if owner is None:
                continue
            ids, span = self._party(doc, st, resolver, owner)
            if span is None or set(ids) & set(ev.source) or \
                    not (ids or owner.ent_type_ in PARTY_ENTS):
                continue   # a name the actors stage does not know still names the owner ("Friday's" none)
            toks = [t for t in owner.subtree if t.dep_ != "case"]
            start = min(t.idx for t in toks)
            end = max(t.idx + len(t.text) for t in toks)
            ev.target, ev.target_span = ids, Span.of(doc_text(doc), start, end)

    def _held_until(self, doc, found: list[Event], ctx) -> None:
        """"will not lift the embargo until Veloria releases the prisoners": a refusal held
        until another party acts is aimed at that party (the subject of the "until" clause, or
        its agent: "until their demands are met by the authorities")."""
        st, resolver = ctx[0], ctx[4]
        for ev in found:
            tok = _span_root(doc, ev.trigger)
            if tok is None:
                continue
            held = None
            said = [c for c in tok.children if c.dep_ == "ccomp"] if em._lemma(tok) in em.SPEECH else []
            for v in said[:1] + [tok] + list(tok.ancestors)[:3]:
                if v.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in v.children):
                    held = next((c for c in v.children if c.dep_ == "advcl"
                                 and any(m.dep_ == "mark" and m.lower_ == "until" for m in c.children)), None)
                    break
                if em._lemma(v) in em.SPEECH:
                    break
            if held is None:
                continue
            who = next((c for c in held.children if c.dep_ == "nsubj"), None)
            if who is None and any(c.dep_ == "nsubjpass" for c in held.children):
                who = next((g for c in held.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            if who is None or who.pos_ == "PRON":
                continue
            ids, span = self._party(doc, st, resolver, who)
            if span is None or set(ids) & set(ev.source) or set(ids) & set(ev.target) or not (
                    ids or who.ent_type_ in PARTY_ENTS or who.lemma_.lower() in BELONG_NOUNS):
                continue   # (a target naming that actor already stays as it is)
            ev.target, ev.target_span = ids, span

    def _taken(self, doc, found: list[Event], ctx) -> None:
        """"captured the old fortress in Tarn", "took over the port": what is taken by force is what
        the act is aimed at, a place or a thing as much as a party (not whoever held it)."""
        st, resolver = ctx[0], ctx[4]
        for ev in found:
            tok = _span_root(doc, ev.trigger)
            if tok is None or tok.pos_ != "VERB" or ev.type not in ("ASSAULT", "COERCE"):
                continue
            lemma = tok.lemma_.lower()
            if not (lemma in TAKE_VERBS or lemma == "take" and _particle_after(tok, "over")):
                continue
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is None or obj.pos_ == "PRON":
                continue
            ids, span = self._party(doc, st, resolver, obj)
            if span is None or set(ids) & set(ev.source):
                continue
            ev.target, ev.target_span = ids, span

    def _two_states(self, sent, st) -> bool:
        """Does the sentence name states or international bodies twice?"""
        n = 0
        for m in st.mentions:
            if m.tokens[1] > m.tokens[0] and sent.start <= m.tokens[0] < sent.end and _is_state(m.actor):
                n += 1
                if n > 1:
                    return True
        return False

    def _lexicon_first(self, doc, sent, found: list[Event], probs: dict[str, float], ctx,
                       parties: _Parties | None = None) -> list[Event]:
        """The model codes no event of its own here: the lexicon's events keep their types,
        ordered by how likely the model finds each, and the one that comes first has its
        parties chosen by the party models for its own trigger and type ("lent $1 billion to
        Indonesia": Indonesia, not the money)."""
        self._order(found, probs, None, 0.0)
        if not found:
            return found
        top = max(found, key=lambda e: e.confidence)
        tok = next((t for t in sent if t.idx == top.trigger.start), None)
        if tok is None or tok.pos_ not in ("VERB", "NOUN"):
            return found
        if parties is None:   # the sentence's candidates, when the model has not read them yet
            parties = _Parties(doc, sent, ctx[0], self.model)
        src, tgt = parties.choose(tok, top.type)
        self._apply_parties(doc, top, parties, src, tgt, ctx)
        return found

    def _apply_parties(self, doc, top: Event, parties: _Parties, src, tgt, ctx) -> None:
        """The party models choose the phrases (they read the parties better than the parse's
        subject and object: "agreed a ceasefire with Pakistan"), unless the parse found an
        actor for the role and the model's phrase names someone else; the parse's actors stay
        where the model's phrase names none."""
        model, cands, feats, st = self.model, parties.cands, parties.feats, ctx[0]
        if _by_agent(doc, top):
            return  # "she was threatened by the protesters": the passive says who acted on whom
        addressee = _addressee(doc, top)
        if addressee is not None:
            # "called on the police to release the videos": the appeal is made to the police
            # (with its conjuncts and what qualifies it: "ordered Abhisit and Suthep to appear")
            mine = [c for c in cands if c.head == addressee.i]
            rank = {"np_conj": 0, "subtree": 1, "np": 2}
            tgt = min(mine, key=lambda c: rank.get(c.kind, 3)) if mine else tgt
        core = em.first_conjunct(src, cands, doc)
        if tgt is not None and src is not None and core is not src and src.lo <= tgt.lo and tgt.hi <= src.hi:
            src = core  # "Jordan and Britain agreed": Jordan with Britain
        # the target is a conjunct of the source's head: the source names only its own conjunct
        partners = src is not None and tgt is not None and tgt.head in {c.i for c in doc[src.head].conjuncts}
        for role, cand in (("source", src), ("target", tgt)):
            old_span = top.source_span if role == "source" else top.target_span
            old_ids = top.source if role == "source" else top.target
            if role == "target":
                pool = cands
                if top.source_span is not None:
                    s0, s1 = top.source_span.start, top.source_span.end
                    pool = [c for c in pool if not (doc[c.lo].idx < s1 and s0 < doc[c.hi - 1].idx + len(doc[c.hi - 1].text))]
                # an event inside what someone said is not aimed at who said it ("a Wall Street
                # Journal report that said China is seeking a role in a ceasefire")
                for a0, a1, att in ctx[2]:
                    if not a0 <= top.trigger.start < a1:
                        continue
                    if att.source is not None:
                        r0, r1 = att.source.start, att.source.end
                        pool = [c for c in pool if not (doc[c.lo].idx < r1 and r0 < doc[c.hi - 1].idx
                                                        + len(doc[c.hi - 1].text))]
                    speaker = st.actors.get(att.speaker) if att.speaker is not None else None
                    if speaker is not None and att.speaker not in top.source and speaker.country not in top.source:
                        # nor, when someone else reports it, at anyone outside what was said ("Guo's
                        # statement follows a report that said China is seeking a role": not Guo)
                        pool = [c for c in pool if a0 <= doc[c.lo].idx and doc[c.hi - 1].idx < a1]
                if cand is not None and cand not in pool:
                    cand = max(pool, key=lambda c: model.party_score(role, feats[c]), default=None)
            if cand is None:
                continue
            ids, span = self._party(doc, st, ctx[4], doc[cand.head], (cand.lo, cand.hi),
                                    bounded=partners and role == "source")
            if span is None:
                continue
            if not ids and old_ids and old_span is not None and old_span.start < span.end and span.start < old_span.end:
                ids = old_ids
            titled = _title_and_name(doc, old_span, span, st, ids)
            if titled is not None:
                span = titled  # "the UAE Ambassador to Bahrain, Abdulridha Khori": the person, titled
            if old_ids and set(ids) != set(old_ids) and not set(ids) & set(old_ids) and titled is None \
                    and not (role == "target" and _is_place(doc, old_span)) \
                    and not (role == "target" and (_counted_victims(doc, old_span, old_ids)
                                                   or _members_of(doc, old_span, old_ids, span)
                                                   or _own_side(st, old_ids, top.source))):
                continue  # the model's phrase names someone else: keep the parse's (unless the
                # parse's is a place, "talks in Marzin with the Velorian envoy", an unnamed
                # group, "three civilians were killed when Ostravan troops shelled the embassy",
                # whose members the model names, "expelled diplomats from Veloria", or the
                # source's own side, "Ostrava closed its borders with Veloria")
            if role == "source":
                top.source_span, top.source = span, ids
            else:
                top.target_span, top.target = span, [i for i in ids if i not in top.source]
        ss, ts = top.source_span, top.target_span
        if ss is not None and ts is not None and ts.start <= ss.start and ss.end <= ts.end:
            trig = _span_root(doc, top.trigger)
            if trig is not None and any(c.dep_ == "nsubjpass" for c in trig.children) \
                    and not any(c.dep_ == "agent" for c in trig.children):
                # "Neither Clinton nor her allies have been charged": who is acted on, by no one named
                top.source_span, top.source = None, []
        named_target = tgt is not None and (doc[tgt.head].pos_ == "PROPN" or doc[tgt.head].ent_type_ in PARTY_ENTS)
        # a joint act ("Ostrava and Veloria agreed to share information on Marzin") is each
        # party's with the other, unless the sentence names a partner ("talks with Marzin")
        # (or its verb's own object: "the executives and their advisers met Reyle")
        # (the parties are the subject's conjuncts, not ones inside a phrase that names someone
        # else: "sources in the U.S. and China told the newspaper")
        joint = top.type in RECIPROCAL and src is not None and doc[src.head].dep_ in ("nsubj", "nsubjpass")
        if joint:
            trig = _span_root(doc, top.trigger)
            heads = [doc[tgt.head]] if tgt is not None else []
            heads += [t for t in [_span_root(doc, top.target_span)] if t is not None]
            joint = not any(h.head.lower_ in ("with", "to") or h.dep_ in ("dobj", "dative") and h.head == trig
                            for h in heads)
        if src is not None and core is not None and top.source_span is not None \
                and top.source_span.start <= doc[src.lo].idx:
            if core is not src and (joint or not top.target and not named_target and top.type not in ONE_WAY):
                self._split_partners(doc, top, src, core, ctx)
            elif joint and core is src:
                # the model's source is the first conjunct already: its partners follow it
                last = max((c.right_edge.i for c in doc[src.head].conjuncts if c.i >= src.hi), default=None)
                if last is not None:
                    self._split_partners(doc, top, em.Cand(src.lo, last + 1, src.head, "np_conj"), core, ctx)

    def _split_partners(self, doc, top: Event, src, core, ctx) -> None:
        """"Ostrava and Veloria failed to reach a deal": where the act is aimed at no named
        party, the first conjunct acts with (or against) the others."""
        st, resolver = ctx[0], ctx[4]
        others = [c for c in doc[src.head].conjuncts if core.hi <= c.i < src.hi]
        if not others:
            return
        lo = min(c.left_edge.i for c in others)
        src_ids, src_span = self._party(doc, st, resolver, doc[src.head], (core.lo, core.hi), bounded=True)
        tgt_ids, tgt_span = self._party(doc, st, resolver, others[0], (max(lo, core.hi), src.hi))
        if src_span is None or tgt_span is None or not src_ids or not tgt_ids:
            return  # "officials and others", "unions and employers": one side unnamed
        top.source_span, top.target_span = src_span, tgt_span
        top.source = src_ids
        top.target = [i for i in tgt_ids if i not in top.source]

    @staticmethod
    def _order(found: list[Event], probs: dict[str, float], top: Event | None, top_conf: float) -> list[Event]:
        """Confidence: the model's event first; the others keep the parse's confidence, scaled
        by how likely the model finds their type, and stay below it."""
        for e in found:
            if e is top:
                e.confidence = round(min(0.99, top_conf), 3)
            else:
                c = e.confidence * (0.5 + 0.5 * probs.get(e.type, 0.0))
                if top is not None:
                    c = min(c, top_conf - 0.01)
                e.confidence = round(max(0.01, c), 3)
        return found

    def _statement_acts(self, doc, analysis: Analysis, st) -> list[Event]:
        """A statement that condemns or praises someone is itself an act by its speaker
        (PLOVER ACCUSE/disapprove, SUPPORT/praise), aimed at the person it is about."""
        out: list[Event] = []
        text = doc_text(doc)
        words = evaluation_words()
        for att in analysis.attributions:
            if not att.speaker or att.kind not in ("direct", "mixed"):
                continue  # the speaker's own words, not a belief or finding attributed to them
            span = doc.char_span(att.content.start, att.content.end, alignment_mode="expand")
            toks = list(span) if span is not None else []
            hits = [(t, kind) for t in toks for kind, lemmas in words.items() if t.lemma_.lower() in lemmas
                    and not any(c.dep_ == "neg" for c in t.head.children)]
            disapprove = [t for t, k in hits if k == "disapprove"]
            praise = [t for t, k in hits if k == "praise"]
            if not disapprove and len(praise) < 1:
                continue
            kind_tok = disapprove[0] if disapprove else praise[0]
            ptype, cameo, mode = ("ACCUSE", "111", "disapprove") if disapprove else ("SUPPORT", "051", "praise")
            mentions = [m for m in st.mentions if att.content.start <= m.start < att.content.end
                        and m.actor != att.speaker]
            subjects = [m for m in mentions if doc[m.tokens[1] - 1].dep_ in ("nsubj", "nsubjpass")
                        and st.actors[m.actor].kind == "person"]
            persons = [m for m in mentions if st.actors[m.actor].kind == "person"]
            target_m = (subjects or persons or mentions or [None])[0]
            if target_m is None:
                continue
            speaker = st.actors.get(att.speaker)
            target = st.actors[target_m.actor]
            if not disapprove and speaker is not None and speaker.country and \
                    speaker.country in (target.country, target.id):
                continue  # praise of one's own side is not an act towards another
            sent = kind_tok.sent
            s1 = sent.end_char
            while s1 > sent.start_char and text[s1 - 1].isspace():
                s1 -= 1
            goldstein, quad = _cameo_info(cameo)
            out.append(Event(
                type=ptype, mode=mode, cameo=cameo, goldstein=goldstein, quad=quad, source=[att.speaker],
                target=[target_m.actor], source_span=att.source, target_span=Span.of(text, target_m.start, target_m.end),
                trigger=Span.of(text, kind_tok.idx, kind_tok.idx + len(kind_tok.text)),
                sentence=Span.of(text, sent.start_char, s1), confidence=0.55 if disapprove else 0.45))
        return out

    def _code_one(self, doc, tok, trig: Trigger, st, published, contents, analysis, resolver) -> Event | None:
        return self._build(doc, tok, trig.type, trig.cameo, trig.mode, (st, published, contents, analysis, resolver))

    def _build(self, doc, tok, ptype: str, cameo: str | None, mode: str | None, ctx,
               roles=None) -> Event | None:
        """One event on a trigger: its parties from the parse (or the party models' phrases),
        its modality, date, place and who reported it."""
        st, published, contents, _analysis, resolver = ctx
        text = doc_text(doc)
        if roles is not None:
            src_c, tgt_c = roles
            subj = doc[src_c.head] if src_c is not None else None
            obj = doc[tgt_c.head] if tgt_c is not None else None
        elif tok.pos_ in ("VERB", "AUX"):
            subj, _ = self._subject(tok)
            obj = (_addressee_of(tok) if ptype == "REQUEST" else None) or self._recipient(tok, st, ptype) \
                or self._object(tok)
        else:
            subj, obj = self._noun_roles(tok, st)
        if subj is not None and subj.lower_ in ("they", "them", "we"):
            src_ids = self._plural_antecedent(doc, st, resolver, subj)
            src_span = Span.of(text, subj.idx, subj.idx + len(subj.text))
        else:
            src_ids, src_span = self._party(doc, st, resolver, subj)
        if not src_ids and subj is not None and subj.pos_ == "PRON" and roles is None:
            # "the Iraqi military says it has seized ...": who says so is who "it" is
            # (for an event noun, through the verb that carries it: "says it will stage a boycott")
            speaker = _speaker_of_clause(tok if tok.pos_ in ("VERB", "AUX") else subj.head, subj)
            if speaker is not None:
                ids, span = self._party(doc, st, resolver, speaker)
                if ids:
                    src_ids, src_span = ids, span
        tgt_ids, tgt_span = self._party(doc, st, resolver, obj)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        if roles is None and not src_ids and not (passive and tgt_ids):
            return None  # precision first: an act needs an actor (or a passive's named target)
        if roles is not None and (src_span is None or not src_ids and subj is not None and subj.pos_ == "PRON"):
            return None  # "It is unconscionable to allow ...": no actor
        if len(src_ids) > 1 and not tgt_ids and ptype in RECIPROCAL:
            src_ids, tgt_ids = src_ids[:1], src_ids[1:]  # "they agreed": each with the other
        tgt_ids = [t for t in tgt_ids if t not in src_ids]
        if cameo is None:
            cameo, mode = _default_code(ptype, tok)
        negated, hypothetical, future = self._modality(tok)
        if negated and ptype in ("SUPPORT", "AGREE", "COOPERATE") and tok.pos_ in ("VERB", "AUX") \
                and tok.tag_ in ("VB", "VBP", "VBZ"):
            # "does not support X" is a stance against X: a rejection, stated now
            ptype, cameo, mode, negated = "REJECT", "120", None, False
        if self._refused(tok):
            negated = not negated   # "refused to sign": it did not happen ("did not fail to": it did)
        if tok.pos_ == "NOUN" and any(c.lower_ == "phone" or c.lower_ == "telephone" for c in tok.children) \
                and ptype == "CONSULT":
            cameo, mode = "041", "phone"
        goldstein, quad = _cameo_info(cameo)
        sent = tok.sent
        s0, s1 = sent.start_char, sent.end_char
        while s1 > s0 and text[s1 - 1].isspace():
            s1 -= 1
        reported_by = None
        for a0, a1, att in contents:
            if a0 <= tok.idx < a1:
                reported_by = att.speaker
                break
        confidence = 0.5 + 0.2 * bool(src_ids) + 0.15 * bool(tgt_ids) + 0.1 * (tok.pos_ == "VERB")
        if negated or hypothetical:
            confidence -= 0.1
        return Event(
            type=ptype, mode=mode, cameo=cameo or None, goldstein=goldstein, quad=quad,
            source=src_ids, target=tgt_ids, source_span=src_span, target_span=tgt_span,
            trigger=Span.of(text, tok.idx, tok.idx + len(tok.text)), sentence=Span.of(text, s0, s1),
            date=self._date(tok, published, future), location=self._location(tok),
            negated=negated, hypothetical=hypothetical, future=future, reported_by=reported_by,
            confidence=max(0.05, min(confidence, 0.99)),
        )

    def _link_proposals(self, events: list[Event]) -> None:
        """"dismissed the idea": a rejection of the proposal made just before is aimed at its author."""
        last_offer: Event | None = None
        for e in events:
            if e.type == "AGREE" and e.source:
                last_offer = e
            elif e.type == "REJECT" and not e.target and last_offer is not None and e.target_span is not None \
                    and e.target_span.text.lower().split()[-1] in ("idea", "proposal", "offer", "plan", "suggestion"):
                e.target = [s for s in last_offer.source if s not in e.source]


class _Parties:
    """A sentence's candidate phrases for the parties and their features for one trigger and
    type, scored by the party models."""

    def __init__(self, doc, sent, st, model: em.EventModel) -> None:
        self.doc, self.sent, self.model = doc, sent, model
        self.cands = em.party_candidates(sent)
        self.mentions = {i for m in st.mentions if sent.start <= m.tokens[0] < sent.end
                         for i in range(m.tokens[0], m.tokens[1])}
        self.feats: dict = {}
        self.verb = em.content_verb(sent)

    def choose(self, trig, ptype: str):
        cands, sent = self.cands, self.sent
        ranks = em.side_ranks(cands, trig)
        memo: dict = {}
        self.feats = feats = {c: em.party_features(c, trig, sent, self.mentions, ranks, ptype, self.verb, memo)
                              for c in cands}
        src, _ = self.model.best_party("source", cands, trig, sent, self.mentions, ptype=ptype, feats=feats)
        reported = em.reported_actor(src, cands, trig)
        if reported:
            src = max(reported, key=lambda c: self.model.party_score("source", feats[c]))
        core = em.first_conjunct(src, cands, self.doc)
        if src is not None:
            # an apposition names the source again ("Somalia's Islamist group al Shabaab attacked",
            # "Yang Jiechi, the State Councillor of China, will host"); and coordinated actors of a
            # one-way act act together, at someone else ("Pompeo and the CIA challenged the reports")
            same = {src.head} | {t.i for t in _appositions(self.doc[src.head])}
            one_way = ptype in ONE_WAY
            cands = [c for c in cands if (c.head not in same or c is src)
                     and not (one_way and src.lo <= c.lo and c.hi <= src.hi)]
        tgt, _ = self.model.best_party("target", cands, trig, sent, self.mentions, exclude=core, ptype=ptype,
                                       feats=feats)
        wide = _with_conjuncts(self.doc, tgt, cands, src)
        if wide is not tgt and wide not in feats:
            self.cands = self.cands + [wide]
            feats[wide] = feats[tgt]
        return src, wide


def _demanded_of(tok):
    """(speaker, subject, strong) where `tok` is what the speaker says the subject must
    (strong) or should do: "Russia says Israel must end ...", "said the government has to
    ensure ...". Not a passive ("must be avoided": no one is asked), nor a pronoun subject
    ("we must": a commitment; "they must": unsure who), nor a question."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    clause, strong = tok, None
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ == "must":
            strong = True
        elif c.dep_ == "aux" and c.lower_ in ("should", "ought"):
            strong = False
    if strong is None and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("have", "need") \
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        clause, strong = tok.head, True   # "has to ensure", "needs to withdraw"
    if strong is None or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return None
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ not in ("PROPN", "NOUN"):
        return None
    if clause.dep_ != "ccomp" or em._lemma(clause.head) not in em.SPEECH:
        return None
    speaker = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.pos_ == "PRON" and speaker.lower_ in ("we", "i", "you"):
        return None
    return speaker, subj, strong


def _before_speaker(doc, head, lo: int, hi: int) -> int:
    """Where a phrase runs into who reports the sentence ("withdrawing its troops from Syria,
    Defence Minister Sergei Shoigu said"), it ends before the speaker."""
    for i in range(lo + 1, hi):
        t = doc[i]
        if t.dep_ == "nsubj" and em._lemma(t.head) in em.SPEECH and not lo <= t.head.i < hi and i != head.i:
            cut = t.left_edge.i
            while cut > lo and (doc[cut - 1].is_punct or doc[cut - 1].is_space):
                cut -= 1
            return cut if cut > lo else hi
    for i in range(lo + 1, hi):   # the parse may hang the speaker on the phrase
        t = doc[i]
        if t.dep_ in ("appos", "conj") and i != head.i and doc[i - 1].text != "," and doc[t.left_edge.i - 1].text == "," \
                and t.right_edge.i + 1 < len(doc) and t.right_edge.i + 1 == hi \
                and em._lemma(doc[hi]) in em.SPEECH and doc[hi].pos_ == "VERB":
            cut = t.left_edge.i - 1
            return cut if cut > lo else hi
    return hi


def _carrier_subject(trig):
    """The subject of the trigger, or of the verb that carries it ("announced a ceasefire",
    "began a new round of joint exercises", "agreed to hold talks"), or the speaker a pronoun
    subject stands for ("says it will begin a military operation"); None where the trigger
    only hangs from a verb ("bemoaned the unrest", "was awake after the attacks")."""
    cur = trig
    for _ in range(4):
        for c in cur.children:
            if c.dep_ not in ("nsubj", "nsubjpass") or c.i > trig.i:
                continue
            return _speaker_of_clause(cur, c) if c.pos_ == "PRON" else c
        up = cur.head
        if up.i == cur.i:
            return None
        if cur.dep_ == "xcomp" and cur.pos_ == "VERB" and em._lemma(up) not in OBJECT_CONTROL:
            cur = up                       # "agreed to hold talks"
        elif cur.dep_ == "dobj" and cur.pos_ == "NOUN" and em._lemma(up) in LIGHT_VERBS | CARRIER_VERBS:
            cur = up                       # "announced a ceasefire"
        elif cur.dep_ == "pobj" and up.lower_ == "of" and em._lemma(up.head) in QUANTITY_NOUNS:
            cur = up.head                  # "a new round of joint exercises"
        else:
            return None
    return None


def _with_conjuncts(doc, tgt, cands, src):
    """"condemned the ANC and the PAC": a target coordinated with others is all of them (the
    phrase with its conjuncts), unless the source is one of them."""
    if tgt is None or tgt.kind == "np_conj":
        return tgt
    head = doc[tgt.head]
    if head.dep_ == "conj" or not any(c.i > head.i for c in head.conjuncts):
        return tgt
    if src is not None and any(src.lo <= c.i < src.hi for c in head.conjuncts):
        return tgt
    last = max(c.i for c in head.conjuncts)
    # the last conjunct's phrase without its clauses (where it has none, its subtree is that)
    ends = {c.kind: c.hi for c in cands if c.head == last and c.kind in ("np", "subtree")}
    end = ends.get("np", ends.get("subtree"))
    if end is None or end <= tgt.hi:
        return tgt
    same = next((c for c in cands if (c.lo, c.hi) == (tgt.lo, end)), None)
    return same or em.Cand(tgt.lo, end, tgt.head, "np_conj")


def _speaker_of_clause(tok, pron):
    """The subject of the verb of saying whose clause a pronoun opens: in "the Iraqi military
    says it has seized the fields", "it" is the military (a third-person pronoun in what a
    party says of itself). None where the clause is not reported or the pronoun is "I"/"you"."""
    if pron.lower_ not in ("it", "he", "she", "they", "we"):
        return None
    clause = tok
    while clause.dep_ in ("xcomp", "conj", "aux") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp" or em._lemma(clause.head) not in em.SPEECH:
        return None
    subj = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ == "PRON" or (pron.lower_ in ("he", "she")) != (subj.ent_type_ == "PERSON"):
        return None
    return subj


def _appositions(tok) -> list:
    """The phrases in apposition to a word, and the word it stands in apposition to."""
    out = [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "appos":
        out.append(tok.head)
        out += [c for c in tok.head.children if c.dep_ == "appos" and c.i != tok.i]
    return out


def _span_root(doc, span: Span | None):
    """The head token of a phrase of the text, or None."""
    sp = doc.char_span(span.start, span.end, alignment_mode="expand") if span is not None else None
    return sp.root if sp is not None else None


def _counted_victims(doc, span: Span | None, ids: list[str]) -> bool:
    """Is the phrase an unnamed, counted group ("three civilians were killed when ...")?
    The party an attack is aimed at is then better read elsewhere in the sentence."""
    root = _span_root(doc, span) if all(i.startswith("new:anon:") for i in ids) else None
    return root is not None and root.pos_ != "PRON" and any(c.dep_ == "nummod" for c in root.children)


def _addressee(doc, event: Event):
    """Whom a request event is made to, where the parse says it plainly."""
    if event.type != "REQUEST" or event.trigger is None:
        return None
    return _addressee_of(_span_root(doc, event.trigger))


def _addressee_of(trig, controls: bool = False):
    """Whom a request is made to: "called on X to ...", "appealed to X to ...", "urged X to
    ..." (the object of a verb with a "to" clause); and who is to act in what is demanded:
    "demanded that the prime minister apologize", "its demand that Veloria ease sanctions".
    `controls`: only the first kind, the one who would do what the "to" clause says."""
    if trig is None or trig.pos_ not in ("VERB", "NOUN"):
        return None
    if trig.pos_ == "NOUN" or not any(c.dep_ in ("xcomp", "advcl", "ccomp") for c in trig.children):
        return None if controls else _subject_of_demand(trig)
    for c in trig.children:
        if c.dep_ in ("prep", "prt") and (c.lower_ == "on" and em._lemma(trig) == "call" or c.lower_ == "to"
                                          and em._lemma(trig) == "appeal"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if c.dep_ == "dobj" and c.pos_ in ("PROPN", "NOUN") and em._lemma(trig) in OBJECT_CONTROL \
                and any(x.dep_ == "xcomp" for x in trig.children):
            return c
    return None if controls else _subject_of_demand(trig)


def _subject_of_demand(trig):
    """The subject of the clause a request word takes ("demanded that the prime minister
    apologize", "demanding Hanoi stop jailing ...", "the demand that Veloria ease ..."): a
    clause in the bare, mandative form; not a question ("asked why he had ...") nor a fact
    ("insisted he has ...")."""
    for c in trig.children:
        if c.dep_ == "ccomp" or trig.pos_ == "NOUN" and c.dep_ == "acl":
            # the bare form: "VB", or "VBP" where the tagger reads "that the governor resign"
            # as a present tense; never "resigns", "resigned" or "has resigned"
            bare = c.tag_ == "VB" or c.tag_ == "VBP" and c.lower_ == c.lemma_.lower()
            if c.pos_ not in ("VERB", "AUX") or not bare or any(
                    g.dep_ == "aux" or g.tag_ in ("WRB", "WP", "WDT") or g.dep_ == "mark" and g.lower_ in ("whether", "if")
                    for g in c.children):
                continue
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None and (subj.pos_ in ("PROPN", "NOUN") or subj.pos_ == "PRON"
                                     and subj.lower_ not in ("it", "this", "that", "we", "i")):
                return subj
    return None


def _by_agent(doc, event: Event) -> bool:
    """Is the event's source the agent of its passive trigger, and its target the passive's
    subject ("Veloria's proposal was dismissed by Ostrava")? Not where the subject is what is
    handed to someone ("was returned by Ostrava to Veloria") or a relative pronoun."""
    if event.source_span is None or event.target_span is None or event.trigger is None:
        return False
    trig = _span_root(doc, event.trigger)
    src, tgt = _span_root(doc, event.source_span), _span_root(doc, event.target_span)
    return trig is not None and src is not None and tgt is not None and src.dep_ == "pobj" \
        and src.head.dep_ == "agent" and src.head.head.i == trig.i \
        and tgt.dep_ == "nsubjpass" and tgt.head.i == trig.i and tgt.tag_ not in ("WDT", "WP") \
        and not any(c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in trig.children)


def _members_of(doc, span: Span | None, ids: list[str], named: Span) -> bool:
    """Is the phrase an unnamed group whose "from"/"of" phrase is the model's ("expelled
    diplomats from Veloria": Veloria is who the act is aimed at)?"""
    root = _span_root(doc, span) if ids and all(i.startswith("new:anon:") for i in ids) else None
    inner = _span_root(doc, named) if root is not None else None
    # the parser may hang the "from" phrase on the verb: "expelled [diplomats] [from Veloria]"
    return inner is not None and inner.dep_ == "pobj" and inner.head.lower_ in ("from", "of") \
        and (inner.head.head.i == root.i or root.dep_ == "dobj" and inner.head.head.i == root.head.i)


def _title_and_name(doc, title: Span | None, name: Span, st, ids: list[str]) -> Span | None:
    """"the UAE Ambassador to Bahrain, Abdulridha Khori": where the parse's phrase is a title
    and the model's is the person it names, set off by a comma right after it, the phrase from
    the title to the name (who the person is, and in what office); else None."""
    if title is None or not ids or not all(st.actors[i].kind == "person" for i in ids if i in st.actors):
        return None
    root = _span_root(doc, title)
    text = doc_text(doc)
    gap = text[title.end:name.start] if title.end <= name.start else None
    if root is None or gap is None or "," not in gap or len(gap.split()) > 4 or "\n" in gap \
            or not (root.lemma_.lower() in ENVOY_NOUNS | BELONG_NOUNS) or root.ent_type_ == "PERSON":
        return None
    return Span.of(text, title.start, name.end)


def _own_side(st, ids: list[str], source: list[str]) -> bool:
    """Does the phrase name only the source itself or the source's own state ("Ostrava closed
    its borders with Veloria": Ostrava is not the target)? Not for coordinated sources, which
    may act on each other ("Ostrava and Veloria agreed")."""
    if len(source) != 1 or not ids:
        return False
    actor = st.actors.get(source[0])
    return set(ids) <= {source[0], actor.country if actor is not None else None}


def _is_place(doc, span: Span | None) -> bool:
    """Is the phrase the object of "in"/"at" (where something happened, not to whom)?"""
    root = _span_root(doc, span)
    return root is not None and root.dep_ == "pobj" and root.head.lower_ in ("in", "at")


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per trigger word and type: the first coded (from the parse) wins."""
    seen = set()
    out = []
    for e in events:
        key = (e.type, e.trigger.start if e.trigger else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out
