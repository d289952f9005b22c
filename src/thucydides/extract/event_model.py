"""A learned event coder: which PLOVER type a sentence reports, and which phrases name the
acting and the receiving party.

Three small linear models, each a table of feature weights (`models/events.json`, trained
by `training/train_events.py` on the PLOVER sentences of yibo-hu-lab/event-coding-reliability;
see the README for provenance and terms):

- `type`: a multinomial model over the 16 PLOVER types (the corpus's YIELD is folded into
  CONCEDE), from the sentence's content lemmas, its predicates with their objects and
  complements, negation, and the hits of our trigger lexicon;
- `source` and `target`: which candidate noun phrase names the actor and the one acted on,
  scored by its grammatical relation to the trigger (subject, object, agent of a passive,
  owner of a nominal event, object of "with"/"against"...), its position and its shape.

Candidates and features come from the parse, here, for both training and inference, so
the two cannot drift apart. The weights are read with the standard library: scikit-learn is
needed only to train.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise, repeat
from pathlib import Path

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, POS
from spacy.symbols import NOUN, NUM, PROPN, VERB

from ..nlp import ents_within, token_hashes, token_lemmas

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
CORPUS_LABELS = {"YIELD": "CONCEDE"}
ARG_DEPS = ("dobj", "xcomp", "prep", "prt", "attr", "oprd", "ccomp", "acomp", "dative")
NP_CUT = {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"}
EDGE = " \t\r\n\"'“”‘’.,;:!?()[]—–-"
CHARGE_VERBS = {"accuse", "convict", "suspect", "charge", "acquit", "clear", "absolve", "indict"}
NOMINAL_HEAD = {"NOUN", "PROPN", "PRON", "NUM", "X"}
# verbs that report what was said: the event is in what they report, not in them
SPEECH = {"say", "tell", "add", "write", "state", "claim", "report", "note", "stress", "explain", "insist",
          "believe", "think", "learn", "know", "reveal", "confirm", "indicate", "suggest", "argue", "tweet"}


def _lemma(t) -> str:
    return t.lemma_.lower()


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13):
        if n <= b:
            return str(b)
    return "big"


# ---------------------------------------------------------------- the type of a sentence

def is_predicate(tok, lexicon) -> bool:
    """A token that can carry an event: a verb, or a noun our trigger lexicon knows."""
    if tok.pos_ == "VERB":
        return True
    return tok.pos_ == "NOUN" and _lemma(tok) in lexicon


def _token_table(doc) -> tuple[list[int], list[str], list[bool], list[bool]]:
    """Per token of the article, read once: the part of speech (a symbol id), the lemma in
    lower case, whether it is punctuation or space, whether it is a stop word."""
    table = doc.user_data.get("thucydides_event_table")
    if table is None:
        pos_of, skip, stop = [], [], []
        lemma_of = token_lemmas(doc)
        if len(doc):
            arr = doc.to_array([POS, IS_PUNCT, IS_SPACE, IS_STOP])
            pos_of = arr[:, 0].tolist()
            skip = ((arr[:, 1] != 0) | (arr[:, 2] != 0)).tolist()
            stop = (arr[:, 3] != 0).tolist()
        table = doc.user_data["thucydides_event_table"] = (pos_of, lemma_of, skip, stop)
    return table


def type_features(sent, lexicon) -> list[str]:
    """Features of a sentence for the type model. Proper names are left out: the type is in
    what was done, not in who did it."""
    f: set[str] = set()
    lemmas = []
    predicates = []
    doc = sent.doc
    pos_of, lemma_of, skip, stop = _token_table(doc)
    for i in range(sent.start, sent.end):   # from the per-article table: no Token is made here
        pos = pos_of[i]
        low = lemma_of[i]
        if pos == VERB or pos == NOUN and low in lexicon:   # is_predicate
            predicates.append((i, low))
        if skip[i]:
            continue
        if pos != PROPN:
            lemmas.append(low)
        if pos == PROPN or pos == NUM or stop[i]:
            continue
        f.add("w:" + low)
    for a, b in pairwise(lemmas):
        f.add(f"b:{a}_{b}")
    for i, low in predicates:
        t = doc[i]
        f.add("v:" + low)
        if t.dep_ == "ROOT":
            f.add("root:" + low)
        if any(c.dep_ == "neg" for c in t.children):
            f.add("nv:" + low)
        for c in t.children:
            if c.dep_ in ARG_DEPS:
                f.add(f"vd:{low}:{c.dep_}:{_lemma(c)}")
                if c.dep_ == "prep":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            f.add(f"vp:{low}:{c.lower_}:{_lemma(g)}")
        for tr in lexicon.get(low, ()):
            if tr.rest:
                continue
            f.add("lex:" + tr.type)
            if t.dep_ == "ROOT":
                f.add("rlex:" + tr.type)
    # the verb that says what happened (under "said", "is willing to"), its modal and what it
    # takes: "said it would let aid convoys through" (AGREE), "threatened to strike" (the
    # threat of an assault), "announced a suspension of flights" (SANCTION)
    cv = content_verb(sent)
    low = _lemma(cv)
    f.add("cv:" + low)
    for tr in lexicon.get(low, ()):
        if not tr.rest:
            f.add("clex:" + tr.type)
    for c in cv.children:
        if c.dep_ == "neg":
            f.add("cneg:" + low)
        elif c.tag_ == "MD":
            f.add("cmd:" + c.lower_)
            f.add("cmd_v:" + c.lower_ + ":" + low)
        elif c.dep_ in ("dobj", "xcomp", "attr", "oprd"):
            lc = _lemma(c)
            f.add("cobj:" + lc)
            for tr in lexicon.get(lc, ()):
                if not tr.rest:
                    f.add("colex:" + tr.type)
    return sorted(f)


# ---------------------------------------------------------------- the trigger

def choose_trigger(sent, ptype: str, lexicon):
    """The word that carries an event of type `ptype` in the sentence: a lexicon trigger of
    that type nearest the root, else the root's predicate, else the first verb."""
    def depth(t) -> int:
        d = 0
        while t.head.i != t.i and d < 20:
            t, d = t.head, d + 1
        return d

    pos_of, lemma_of, _, _ = _token_table(sent.doc)
    typed = [sent.doc[i] for i in range(sent.start, sent.end)
             if (pos_of[i] == VERB or pos_of[i] == NOUN and lemma_of[i] in lexicon)   # is_predicate
             and any(tr.type == ptype and not tr.rest for tr in lexicon.get(lemma_of[i], ()))]
    if typed:
        return min(typed, key=lambda t: (depth(t), t.i))
    return content_verb(sent)


def content_verb(sent):
    """The sentence's content verb, found once per sentence (the type and party features
    both read it)."""
    verbs = sent.doc.user_data.setdefault("thucydides_content_verbs", {})   # sentence start -> token index
    vi = verbs.get(sent.start)
    if vi is None:
        vi = verbs[sent.start] = _content_verb(sent.root, sent).i
    return sent.doc[vi]


def _content_verb(root, sent):
    """The verb that says what happened, under reporting and auxiliary verbs."""
    for _ in range(3):
        if _lemma(root) in SPEECH:
            inner = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")),
                         None)
            if inner is None:
                break
            root = inner
        else:
            break
    if root.pos_ in ("VERB", "AUX", "NOUN"):
        # "X is seeking to play", "X is willing to withdraw": the content verb of a light or
        # auxiliary root
        if root.lemma_ in ("be", "have", "seem", "appear", "remain") or root.pos_ == "AUX":
            for c in root.children:
                if c.dep_ == "xcomp" and c.pos_ == "VERB":
                    return c
                if c.dep_ in ("acomp", "attr"):
                    for g in c.children:
                        if g.dep_ == "xcomp" and g.pos_ == "VERB":
                            return g
                        # "are guilty of violating the ceasefire"
                        if g.dep_ == "prep":
                            for h in g.children:
                                if h.dep_ == "pcomp" and h.pos_ == "VERB":
                                    return h
            # "Russia is willing to withdraw ..., that is ...": a clause the parser hung below
            inner = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
            if inner is not None and root.pos_ == "AUX" and inner.i < root.i:
                return _content_verb(inner, sent)
        return root
    verbs = [t for t in sent if t.pos_ == "VERB" and _lemma(t) not in SPEECH] or \
        [t for t in sent if t.pos_ == "VERB"]
    return verbs[0] if verbs else root


# ---------------------------------------------------------------- party candidates

@dataclass(frozen=True)
class Cand:
    lo: int           # first token (doc index)
    hi: int           # one past the last token
    head: int         # the head token's doc index
    kind: str         # np | subtree | ent | name


def _trim_tokens(doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi:
        t = doc[lo]
        if not (t.is_punct or t.is_space or t.lower_ == "the"):
            break
        lo += 1
    while hi > lo:
        t = doc[hi - 1]
        if not (t.is_punct or t.is_space or t.tag_ == "POS"):
            break
        hi -= 1
    return lo, hi


# a dateline before the story: "MARZIN (AP) --", "MARZIN, March 3 (Wire) --", "MARZIN - "
DATELINE = re.compile(r"[A-Z][A-Z .'’]{2,}(?:,[^-—–(\n]{1,40}?)?\s*(?:\([A-Za-z. ]{1,20}\))?\s*[\"”]?\s*"
                      r"(?:-{1,2}|—|–|\"|:)(?:\s|$)")


def dateline_end(sent) -> int:
    """The first token after the sentence's dateline, or the sentence's start: a dateline
    names where the story was filed, never a party."""
    m = DATELINE.match(sent.text)
    if not m:
        return sent.start
    end = sent.start_char + m.end()
    return next((t.i for t in sent if t.idx >= end), sent.end)


def party_candidates(sent) -> list[Cand]:
    """Noun phrases that could name a party: for each nominal head, the phrase without its
    clauses and appositions, the whole subtree, the named entity, and the name alone."""
    doc = sent.doc
    out: dict[tuple[int, int], Cand] = {}
    first = dateline_end(sent)

    def add(lo, hi, head, kind):
        lo, hi = _trim_tokens(doc, max(lo, first), hi)
        if hi > lo and sent.start <= lo and hi <= sent.end and (lo, hi) not in out:
            out[(lo, hi)] = Cand(lo, hi, head.i, kind)

    for t in sent:
        if t.pos_ not in NOMINAL_HEAD or t.dep_ in ("compound", "poss", "nmod") and t.head.pos_ in NOMINAL_HEAD \
                and t.head.i > t.i and t.dep_ != "poss":
            continue
        if t.pos_ == "PRON" and t.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
            continue
        sub = list(t.subtree)
        add(sub[0].i, sub[-1].i + 1, t, "subtree")
        keep = [t]
        stack = [c for c in t.children]
        # "accused the party of inciting violence", "accused the army of the shelling": the
        # charge is not part of who is charged
        charged = t.dep_ == "dobj" and _lemma(t.head) in CHARGE_VERBS
        while stack:
            c = stack.pop()
            if c.dep_ in NP_CUT or c.dep_ == "prep" and c.i > t.i and (
                    c.lower_ not in ("of", "for") or c.lower_ == "of" and c.head.i == t.i and (
                        charged or any(g.dep_ == "pcomp" for g in c.children))):
                continue
            keep.append(c)
            stack.extend(c.children)
        idx = sorted(k.i for k in keep)
        # contiguous stretch around the head
        lo = hi = t.i
        s = set(idx)
        while lo - 1 in s:
            lo -= 1
        while hi + 1 in s:
            hi += 1
        add(lo, hi + 1, t, "np")
        if t.conjuncts and t.dep_ != "conj":
            # "Abdullah and four other members of his family": the phrase with its conjuncts
            conj_end = max(list(c.subtree)[-1].i for c in t.conjuncts if c.i > t.i) if any(
                c.i > t.i for c in t.conjuncts) else hi
            add(lo, max(hi, conj_end) + 1, t, "np_conj")
        name = [c for c in t.children if c.dep_ == "compound" and c.i < t.i]
        if name:
            add(min(c.i for c in name), t.i + 1, t, "name")
    for e in ents_within(sent.doc, sent.start, sent.end):
        # a name that only modifies a noun ("Iraqi army", "Rwandan minister") is not a party
        if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC") and e.root.dep_ not in ("amod", "compound"):
            add(e.start, e.end, e.root, "ent")
    return list(out.values())


def _path(tok, trig) -> str:
    """The dependency relation of a candidate's head to the trigger, as a short path."""
    if tok.i == trig.i:
        return "self"
    up = []
    cur = tok
    trig_i = trig.i
    for _ in range(4):
        head = cur.head
        if head.i == cur.i:
            break
        dep = cur.dep_
        if dep == "pobj":
            dep = "pobj-" + head.lower_
        up.append(dep)
        cur = head
        if cur.i == trig_i:
            return ">".join(up)
    # up from the trigger to a common ancestor
    anc = {a.i for a in tok.ancestors} | {tok.i}
    down = []
    cur = trig
    for _ in range(4):
        head = cur.head
        if cur.i in anc or head.i == cur.i:
            break
        down.append(cur.dep_)
        cur = head
    if cur.i in anc:
        steps = []
        t = tok
        top = cur.i
        while t.i != top and len(steps) < 4:
            head = t.head
            d = t.dep_
            if d == "pobj":
                d = "pobj-" + head.lower_
            steps.append(d)
            t = head
        return ">".join(steps) + "<" + "<".join(reversed(down))
    return "far"


def _path_len(path: str) -> int:
    return 0 if path == "self" else 9 if path == "far" else path.count(">") + path.count("<") + 1


def party_features(cand: Cand, trig, sent, mentions: set[int] | None = None,
                   ranks: dict | None = None, ptype: str | None = None, verb=None,
                   memo: dict | None = None) -> list[str]:
    """The features of a candidate phrase for a trigger. `verb` is the sentence's content verb
    when the caller has found it already; `memo` keeps what depends only on the phrase's head
    (several candidates share one) for one trigger and type."""
    doc = sent.doc
    if memo is not None and cand.head in memo:
        path, p1, f = memo[cand.head]
        f = list(f)
    else:
        path, p1, f = _head_features(doc[cand.head], trig, sent, ptype, verb)
        if memo is not None:
            memo[cand.head] = (path, p1, tuple(f))
    head = doc[cand.head]
    ent = head.ent_type_ or "-"
    side = "L" if cand.hi <= trig.i else "R" if cand.lo > trig.i else "in"
    n = cand.hi - cand.lo
    f += ["kind:" + cand.kind, "side:" + side, "len:" + _bucket(n), "kind_len:" + cand.kind + _bucket(n),
          "path_kind:" + path + ":" + cand.kind]
    dist = min(abs(cand.lo - trig.i), abs(cand.hi - 1 - trig.i))
    f.append("dist:" + _bucket(dist))
    f.append("side_kind:" + side + cand.kind)
    if ptype:
        f.append("type_path1:" + ptype + ":" + p1 + ":" + side)
    if ranks is not None:
        r = ranks.get(cand.head, 9)
        f.append("rank:" + side + str(min(r, 4)))
        f.append("rank_path1:" + str(min(r, 4)) + "path1:" + p1)
    f.append("side_dep:" + side + head.dep_)
    if cand.lo == sent.start or (cand.lo > sent.start and doc[cand.lo - 1].is_punct and cand.lo - 1 == sent.start):
        f.append("first")
    pos = token_hashes(doc, "POS")
    if PROPN in pos[cand.lo:cand.hi]:
        f.append("has_propn")
    if mentions is not None and any(i in mentions for i in range(cand.lo, cand.hi)):
        f.append("actor")
        f.append("actor:" + path)
    deps = set(token_hashes(doc, "DEP")[cand.lo:cand.hi])
    strings = doc.vocab.strings
    for label in ("relcl", "appos", "cc"):
        if strings[label] in deps:
            f.append("has_" + label)
    # where the phrase stops: its last word, the word after it, its first word
    f.append("last:" + doc[cand.hi - 1].pos_)
    f.append("first_pos:" + doc[cand.lo].pos_)
    after = doc[cand.hi] if cand.hi < sent.end else None
    f.append("next:" + ("END" if after is None else after.text if after.is_punct else after.pos_))
    f.append("kind_ent:" + cand.kind + ":" + ent)
    # the names inside the phrase besides its head ("demonstrators in Yerevan": a place inside)
    inner = {doc[i].ent_type_ + (":pre" if i < cand.head else ":post")
             for i in range(cand.lo, cand.hi) if i != cand.head and doc[i].ent_type_}
    for e in inner:
        f.append("inner_ent:" + e)
    return f


def _head_features(head, trig, sent, ptype: str | None, verb) -> tuple[str, str, list[str]]:
    """The features of a candidate that depend only on its head: its path to the trigger, what
    governs it, its entity type."""
    path = _path(head, trig)
    p1 = path.split(">")[0].split("<")[0]
    ent = head.ent_type_ or "-"
    f = ["bias", "path:" + path, "path1:" + p1, "dep:" + head.dep_, "pos:" + head.pos_, "ent:" + ent,
         "tpos:" + trig.pos_ + ":" + path, "lemma:" + _lemma(head), "ent_path:" + ent + ":" + path,
         "plen:" + str(_path_len(path)), "trig_path:" + _lemma(trig) + ":" + path]
    if ptype:
        f.append("type_path:" + ptype + ":" + path)
        f.append("type_ent:" + ptype + ":" + ent)
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.i == sent.root.i:
        f.append("root_subj")
    if any(c.dep_ == "auxpass" for c in trig.children):
        f.append("passive:" + path)
    if head.pos_ == "PRON":
        f.append("pron:" + path)
    # what governs the head: "aid to Fiji" (to, provide), "condemned Netanyahu's decision"
    if head.dep_ == "pobj":
        prep = head.head
        f.append("gov:" + prep.lower_ + ":" + _lemma(prep.head))
        f.append("gov_trig:" + prep.lower_ + ":" + str(prep.head.i == trig.i))
    else:
        f.append("gov:" + head.dep_ + ":" + _lemma(head.head))
    if head.dep_ == "poss":
        owner = head.head
        f.append("poss_of:" + owner.dep_ + ":" + str(owner.head.i == trig.i))
        if ptype:
            f.append("poss_of_type:" + ptype + ":" + owner.dep_)
    # the path to the clause's content verb too, where the trigger is another word
    if verb is None:
        verb = content_verb(sent)
    if verb.i != trig.i:
        f.append("vpath:" + _path(head, verb))
    return path, p1, f


def side_ranks(cands: list[Cand], trig) -> dict[int, int]:
    """How many distinct heads lie between the trigger and each candidate's head, on its side."""
    heads = sorted({c.head for c in cands})
    left = [h for h in heads if h < trig.i][::-1]
    right = [h for h in heads if h > trig.i]
    out = {h: k for k, h in enumerate(left)}
    out.update({h: k for k, h in enumerate(right)})
    return out


def first_conjunct(cand: Cand | None, cands: list[Cand], doc) -> Cand | None:
    """"Jordan and Britain agreed": the phrase of the first conjunct ("Jordan"), so that the
    others may be the target; the candidate itself when it coordinates nothing."""
    if cand is None:
        return cand
    if not any(doc[i].dep_ == "conj" and doc[i].head.i == cand.head for i in range(cand.lo, cand.hi)):
        return cand
    core = [c for c in cands if c.head == cand.head and c.kind == "np" and c.lo >= cand.lo and c.hi < cand.hi]
    return core[0] if core else cand


MODALS = {"will", "would", "must", "should", "could", "may", "might", "shall", "can", "'ll", "wo", "ca"}


def reported_actor(src: Cand | None, cands: list[Cand], trig) -> list[Cand]:
    """"Roberts says the army is training pilots": where the chosen source is the speaker of a
    verb of saying above the trigger, and the trigger's clause reports a fact with a subject of
    its own, the candidates for that subject (the army trains, Roberts only says so). A
    statement of what will, would or must happen stays the speaker's own act (a promise, a
    demand), as does a negated one."""
    if src is None or trig.pos_ != "VERB":
        return []
    doc = trig.doc
    speaker = doc[src.head]
    if speaker.dep_ != "nsubj" or _lemma(speaker.head) not in SPEECH or speaker.head.i == trig.i \
            or speaker.head not in trig.ancestors:
        return []
    subj = next((c for c in trig.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ in ("PRON", "DET") or src.lo <= subj.i < src.hi:
        return []
    if any(c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in MODALS for c in trig.children):
        return []
    return [c for c in cands if c.head == subj.i]


def span_text(doc, cand: Cand) -> str:
    return doc[cand.lo:cand.hi].text


# ---------------------------------------------------------------- the models

class EventModel:
    """The three linear models, read from their JSON tables."""

    def __init__(self, data: dict) -> None:
        self.type_weights: dict[str, dict[str, float]] = data["type"]
        self.type_bias: dict[str, float] = data.get("type_bias", {})
        self.party: dict[str, dict[str, float]] = data["party"]
        self.meta = data.get("meta", {})
        # a row of weights (one per type) for each feature: a sentence's score is the sum of
        # its features' rows, added in C
        self._types = list(self.type_weights)
        names = sorted({x for w in self.type_weights.values() for x in w})
        self._row = {x: i for i, x in enumerate(names)}
        self._matrix = numpy.zeros((len(names), len(self._types)))
        for j, ptype in enumerate(self._types):
            for x, v in self.type_weights[ptype].items():
                self._matrix[self._row[x], j] = v

    def type_probs(self, feats: list[str]) -> dict[str, float]:
        row = self._row
        rows = [row[x] for x in feats if x in row]
        acc = self._matrix[rows].sum(axis=0).tolist() if rows else [0.0] * len(self._types)
        scores = {ptype: self.type_bias.get(ptype, 0.0) + acc[j] for j, ptype in enumerate(self._types)}
        top = max(scores.values())
        exp = {k: math.exp(v - top) for k, v in scores.items()}
        z = sum(exp.values())
        return {k: v / z for k, v in exp.items()}

    def predicate_supports(self, ptype: str, tok) -> bool:
        """Does the trigger word itself point to the type (a positive weight on its lemma)?"""
        return self.type_weights.get(ptype, {}).get("v:" + _lemma(tok), 0.0) > 0.0

    def party_score(self, role: str, feats: list[str]) -> float:
        w = self.party[role]
        return sum(map(w.get, feats, repeat(0.0)))

    def best_party(self, role: str, cands: list[Cand], trig, sent, mentions=None,
                   exclude: Cand | None = None, ptype: str | None = None,
                   feats: dict[Cand, list[str]] | None = None) -> tuple[Cand | None, float]:
        """The best-scoring candidate for a role, and its score as a probability. `feats` are
        the candidates' features when the caller has computed them already (once per sentence)."""
        best, best_s = None, -1e9
        if feats is None:
            ranks = side_ranks(cands, trig)
            feats = {c: party_features(c, trig, sent, mentions, ranks, ptype) for c in cands}
        for c in cands:
            if exclude is not None and (c.head == exclude.head or c.lo < exclude.hi and exclude.lo < c.hi):
                continue
            s = self.party_score(role, feats[c])
            if s > best_s:
                best, best_s = c, s
        if best is None:
            return None, 0.0
        return best, 1.0 / (1.0 + math.exp(-best_s))


@functools.lru_cache(maxsize=1)
def load_model() -> EventModel | None:
    """The shipped model, or the one THUCYDIDES_EVENT_MODEL names (for cross-validation)."""
    override = os.environ.get("THUCYDIDES_EVENT_MODEL")
    path = Path(override) if override else resources.files("thucydides").joinpath("models/events.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError):
        return None
    return EventModel(data)
