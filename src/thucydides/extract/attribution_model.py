"""A learned attribution finder: cue, content and source spans scored on the parse.

Four small linear models, each a table of feature weights (`models/attribution.json`,
trained by `training/train_attributions.py` on the PolNeAR train split; see the README for
provenance and terms):

- `cue`: is this token the head of an attribution cue ("said", "according", "poll")?
- `cue_span`: which of a few spans around the head is the cue ("has also said", "said:")?
- `content`: which candidate span is what is attributed (a clausal complement, a quote,
  the clause a post-posed cue hangs on, the rest of the sentence, ...)?
- `source`: which candidate span names the holder (the subject as a whole or cut before
  an apposition, the agent of a passive, the object of "according to"), or none?

Candidates come from the dependency parse, so the models only choose; the features and
candidate generators are shared by training and inference, here.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy
from spacy import symbols
from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, POS, SPACY

from ..nlp import doc_text, token_lemmas

EDGE = " \t\r\n\"'“”‘’.,;:!?()[]—–-"
CUE_POS = {"VERB", "AUX", "NOUN", "ADJ"}
CUE_WORDS = {"according", ":", "—", "―", "--"}
SUBJ = {"nsubj", "nsubjpass", "csubj"}
CUT = re.compile(r"(,|;| —| –| ― | -- | - |\(| and (?=[a-z]+ed\b))")
DROP_FIRST = {"to", "by", "about", "of", "for", "on", "saying", "that", "with", "as", "against", "over",
              "and", "but", "so", "or", "yet", "then"}
LEAD = re.compile(r"^(?:[A-Z][A-Z .,'’-]{1,40}(?:\([^)]{1,30}\))?\s*[―—–-]{1,2}\s*|[A-Z][A-Za-z.'’ -]{0,30}:\s+)")
LEAD_WORDS = {"however", "while", "although", "though", "because", "since", "also", "still", "now", "instead"}
CONTENT_PREPS = {"about", "on", "of", "for", "as", "that", "to", "with", "against", "over", "in"}


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13, 21, 34, 55):
        if n <= b:
            return str(b)
    return "big"


@dataclass
class Context:
    """Per-document facts the features need, computed once."""

    doc: object
    text: str
    quote_of_char: list[int]      # quote index per character, -1 outside quotes
    quotes: list                  # Quote objects
    lex_speech: frozenset
    lex_strong: frozenset
    token_at: list[int]           # token index per character (the previous token in whitespace)
    ents: list                    # (start_char, end_char, label, root index, sentence start) of named entities
    sent_of: list                 # the sentence Span of each token (spaCy computes tok.sent anew each time)
    sent_quotes: dict             # sentence start token -> sorted indices of the quotes it touches
    tok_start: list = field(default_factory=list)   # per token: its first character
    tok_end: list = field(default_factory=list)     # per token: the character after it
    tok_space: list = field(default_factory=list)   # per token: whether it is whitespace
    cue_facts: dict = field(default_factory=dict)   # per cue token: what every content candidate shares
    tok_info: dict = field(default_factory=dict)    # per token: the attributes content features read
    heads: list = field(default_factory=list)       # per token: the index of its head
    deps: list = field(default_factory=list)        # per token: the hash of its relation to its head
    kids: dict = field(default_factory=dict)        # per token with children: their indices

    @classmethod
    def build(cls, doc, quotes, lex) -> Context:
        text = doc_text(doc)
        qmap = [-1] * (len(text) + 1)
        for k, q in enumerate(quotes):
            for i in range(q.outer_start, min(q.outer_end, len(text))):
                qmap[i] = k
        n_tok = len(doc)
        starts, ends, spaces, heads, deps = [], [], [], [], []
        kids: dict[int, list[int]] = {}
        if n_tok:
            # column by column in numpy; the array is unsigned, so a head to the left (a
            # negative offset) comes back through int64
            arr = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE, HEAD]).astype(numpy.int64)
            idx, length = arr[:, 0], arr[:, 1]
            starts, ends = idx.tolist(), (idx + length).tolist()
            spaces = (arr[:, 3] != 0).tolist()
            heads = (numpy.arange(n_tok) + arr[:, 4]).tolist()
            deps = doc.to_array(DEP).tolist()
            # token index per character: a token and its trailing space, one after another
            tmap = numpy.repeat(numpy.arange(n_tok), length + arr[:, 2]).tolist()
            tmap += [0] * (len(text) + 1 - len(tmap))
            tmap[len(text)] = n_tok - 1
            for i in numpy.flatnonzero(arr[:, 4]).tolist():
                kids.setdefault(heads[i], []).append(i)
        else:
            tmap = [0] * (len(text) + 1)
        sent_of: list = [None] * len(doc)
        sent_quotes: dict = {}
        for sent in doc.sents:
            sent_of[sent.start:sent.end] = [sent] * (sent.end - sent.start)
            sent_quotes[sent.start] = sorted({qmap[starts[i]] for i in range(sent.start, sent.end) if qmap[starts[i]] >= 0})
        ents = [(e.start_char, e.end_char, e.label_, e.root.i, sent_of[e.root.i].start) for e in doc.ents]
        return cls(doc, text, qmap, quotes, lex.speech, lex.strong, tmap, ents, sent_of, sent_quotes,
                   starts, ends, spaces, heads=heads, deps=deps, kids=kids)

    def in_quote(self, tok) -> bool:
        return self.quote_of_char[tok.idx] >= 0


# ---------------------------------------------------------------- cue heads

def cue_candidates(ctx: Context, vocab: frozenset[str] | None = None):
    """Tokens that may head a cue: verbs, nouns and adjectives whose lemma has headed a cue
    in training (`vocab`), "according" and the colon of "X said:" or "NAME:"."""
    doc = ctx.doc
    if not len(doc):
        return
    strings = doc.vocab.strings
    words = {strings[w] for w in CUE_WORDS}
    pos_ids = {getattr(symbols, p) for p in CUE_POS}
    lemmas = token_lemmas(doc)
    arr = doc.to_array([POS, LOWER, IS_SPACE, IS_PUNCT])
    word = numpy.isin(arr[:, 1], list(words))
    keep = (arr[:, 2] == 0) & (word | ((arr[:, 3] == 0) & numpy.isin(arr[:, 0], list(pos_ids))))
    for i in numpy.flatnonzero(keep).tolist():
        if word[i] or vocab is None or lemmas[i] in vocab:
            yield doc[i]


def cue_features(tok, ctx: Context) -> list[str]:
    lem = tok.lemma_.lower()
    pos, tag, dep, head = tok.pos_, tok.tag_, tok.dep_, tok.head
    hlem = head.lemma_.lower()
    f = ["b", "l=" + lem, "w=" + tok.lower_, "p=" + pos, "t=" + tag, "d=" + dep,
         "hl=" + hlem, "hd=" + head.dep_, "l|hl=" + lem + "|" + hlem, "l|d=" + lem + "|" + dep,
         "l|t=" + lem + "|" + tag, "p|d=" + pos + "|" + dep]
    if lem in ctx.lex_speech:
        f.append("lex")
    if lem in ctx.lex_strong:
        f.append("strong")
    children = [(c, c.dep_) for c in tok.children]
    deps = sorted({d for _, d in children})
    for d in deps:
        f.append("c=" + d)
        f.append("l|c=" + lem + "|" + d)
    has_comp = any(d in ("ccomp", "xcomp") for d in deps)
    has_subj = any(d in SUBJ for d in deps)
    f.append(f"comp={has_comp}|subj={has_subj}")
    f.append(f"l|comp={lem}|{has_comp}")
    governed = []   # what the cue governs and who its subject is, as words (appended further down)
    for c, d in children:
        if d in SUBJ:
            ent, cpos = c.ent_type_ or "-", c.pos_
            f.append("subj_ent=" + ent)
            f.append("l|subj_ent=" + lem + "|" + ent)
            f.append("subj_p=" + cpos)
            f.append("l|subj_p=" + lem + "|" + cpos)
        elif d == "prep":
            f.append("prep=" + c.lower_)
            f.append("l|prep=" + lem + "|" + c.lower_)
        if d in ("dobj", "attr", "ccomp", "xcomp", "acomp", "oprd"):
            clem = c.lemma_.lower()
            governed.append("c|l=" + d + "|" + clem)
            governed.append("l|c|l=" + lem + "|" + d + "|" + clem)
            if d == "ccomp":
                has = str(any(g.dep_ in SUBJ for g in c.children))
                governed.append("ccomp_subj=" + has)
                governed.append("l|ccomp_subj=" + lem + "|" + has)
        if d in SUBJ:
            cpos = c.pos_
            governed.append("subj_l=" + (c.lemma_.lower() if cpos in ("PRON", "NOUN") else c.ent_type_ or cpos))
    doc = tok.doc
    i = tok.i
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    prv = doc[i - 1] if i > 0 else None
    nlow = nxt.lower_ if nxt is not None else "<e>"
    f.append("n=" + nlow)
    f.append("pv=" + (prv.lower_ if prv is not None else "<s>"))
    f.append("l|n=" + lem + "|" + nlow)
    # quotes in the sentence, and where
    sent = ctx.sent_of[i]
    if ctx.sent_quotes[sent.start]:
        f.append("sent_quote")
        f.append("l|sent_quote=" + lem)
        if nxt is not None and nxt.text in ("“", '"', ":"):
            f.append("next_quote_or_colon")
        if prv is not None and (prv.text in ("”", '"') or (prv.text == "," and i > 1 and doc[i - 2].text in ("”", '"'))):
            f.append("after_quote")
    ent = tok.ent_type_
    if ent:
        f.append("ent=" + ent)
    f += governed
    # the punctuation that opens or closes a statement: "text ― Name", "NAME: text"
    if tok.is_punct:
        para = ctx.text.rfind("\n", 0, tok.idx) + 1
        f.append("punct_words_before=" + _bucket(len(ctx.text[para:tok.idx].split())))
        if nxt is not None:
            f.append("punct_next=" + (nxt.ent_type_ or nxt.pos_))
    if ctx.in_quote(tok):
        f.append("in_quote")
        f.append("l|in_quote=" + lem)
    return f


# ---------------------------------------------------------------- cue spans

LEFT_DEPS = ("aux", "auxpass", "neg", "advmod")


def cue_span_candidates(tok):
    """(start, end, description) for spans around a cue head: auxiliaries and adverbs to
    the left ("has also said"), particles, prepositions, an agent, a date or an object
    with its preposition to the right ("said Friday", "endorsed by", "accusing her of")."""
    doc = tok.doc
    out = []
    lefts = [(tok.i, "0")]
    i = tok.i - 1
    kinds = []
    while i >= 0 and doc[i].head.i == tok.i and doc[i].dep_ in LEFT_DEPS and tok.i - i <= 4:
        kinds.append(doc[i].dep_)
        lefts.append((i, "+".join(sorted(set(kinds)))))
        i -= 1
    if tok.lower_ == "according":
        lefts = [(tok.i, "0")]
    rights = [(tok.i, "0")]
    j = tok.i + 1
    steps = []
    while j < len(doc) and j - tok.i <= 5:
        t = doc[j]
        if t.is_space or (t.is_punct and t.text != ":"):
            break
        linked = t.head.i == tok.i or t.head.i in {r for r, _ in rights[1:]} or (t.head.i == j + 1) or (
            j < t.head.i <= j + 3 and t.head.head.i in (tok.i, *(r for r, _ in rights[1:])))
        if not linked and not (t.lower_ == "to" and tok.lower_ == "according"):
            break
        steps.append(t.dep_ if t.dep_ not in ("prep", "agent", "prt") else t.dep_ + ":" + t.lower_)
        rights.append((j, "+".join(steps[-2:])))
        if t.text == ":":
            break
        j += 1
    def word(t):
        return t.lower_.replace("|", "/") if t.is_stop or t.is_punct else t.ent_type_ or t.pos_

    for li, ld in lefts:
        lw = " ".join(word(doc[i]) for i in range(li, tok.i))
        for ri, rd in rights:
            rw = " ".join(word(doc[i]) for i in range(tok.i + 1, ri + 1))
            out.append((doc[li].idx, doc[ri].idx + len(doc[ri].text), f"L={ld}|R={rd}|{lw}|{rw}"))
    return out


def cue_span_features(tok, desc: str, cand=None, content=None, text: str = "") -> list[str]:
    lem = tok.lemma_.lower()
    left, right, lw, rw = desc.split("|")
    n_right = right.count("+") + (right != "R=0")
    doc = tok.doc
    f = ["b", "desc=" + left + "|" + right, left, right, "l|" + left + "=" + lem, "l|" + right + "=" + lem,
         "t|" + left + "=" + tok.tag_, "t|" + right + "=" + tok.tag_, "nr=" + str(n_right),
         "l|nr=" + lem + "|" + str(n_right), "lw=" + lw, "rw=" + rw, "l|rw=" + lem + "|" + rw,
         "l|lw=" + lem + "|" + lw, "rw|nx=" + rw + "|" + _after_words(doc, tok, rw)]
    if content is not None and cand is not None:
        # how far the cue phrase stops short of what it introduces: PolNeAR's cues run up to
        # the content ("said in an interview that", "accusing her of"), never into it
        cs, ce = content
        if cs >= tok.idx:
            gap = "over" if cand[1] > cs else _bucket(len(text[cand[1]:cs].split()))
            f += ["gap_after=" + gap, "gap_after|R=" + gap + "|" + right, "gap_after|l=" + gap + "|" + lem]
        elif ce <= tok.idx:
            gap = "over" if cand[0] < ce else _bucket(len(text[ce:cand[0]].split()))
            f += ["gap_before=" + gap, "gap_before|L=" + gap + "|" + left]
    return f


def _after_words(doc, tok, rw: str) -> str:
    """The word after a cue span that ends `rw` words right of its head."""
    j = tok.i + 1 + (len(rw.split()) if rw else 0)
    if j >= len(doc):
        return "<e>"
    t = doc[j]
    return t.lower_ if t.is_stop or t.is_punct else t.pos_


# ---------------------------------------------------------------- content

def _sub_span(tokens):
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _subtree(ctx: Context, i: int) -> list[int]:
    """The indices of token i's subtree (itself and all below it), from the head array:
    `Token.subtree` without making a Token for each."""
    out, stack, kids = [], [i], ctx.kids
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(kids.get(j, ()))
    return out


def _ids_span(ctx: Context, ids):
    """`_sub_span` of the tokens with these indices, from the per-token arrays."""
    space, starts, ends = ctx.tok_space, ctx.tok_start, ctx.tok_end
    keep = [i for i in ids if not space[i]]
    if not keep:
        return None
    return min(starts[i] for i in keep), max(ends[i] for i in keep)


def _ends_with_colon(text: str, end: int) -> bool:
    """`text[:end].rstrip().endswith(":")` without copying the text."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] == ":"


def content_candidates(tok, ctx: Context):
    """(start, end, kind) spans that may be what the cue attributes."""
    doc, text = ctx.doc, ctx.text
    cands: dict[tuple[int, int], list[str]] = {}

    def add(span, kind, variants=True):
        if span is None:
            return
        s, e = trim(text, *span)
        if e - s < 2:
            return
        kinds = cands.setdefault((s, e), [])
        if kind in kinds:
            return
        kinds.append(kind)
        if not variants:
            return
        # the same stretch without its tail after a comma, semicolon or dash (a relative
        # clause, an apposition, ", and warned ..."), and without a leading preposition
        piece = text[s:e]
        for m in CUT.finditer(piece):
            if len(piece[:m.start()].split()) >= 2:
                add((s, s + m.start()), kind + "-cut", False)
                break
        first = piece.split(None, 1)
        if len(first) == 2 and (first[0].lower().strip(",") in DROP_FIRST or first[0].endswith(",")
                                or first[0].lower() in LEAD_WORDS):
            # a leading preposition, conjunction or sentence adverb: "However, ...", "While ..."
            add((s + len(piece) - len(first[1]), e), kind + "-drop1", False)
        # a dateline or a speaker label before the statement: "WASHINGTON ― ...", "WALLACE: ..."
        m = LEAD.match(piece)
        if m:
            add((s + m.end(), e), kind + "-nolead", False)
        # without a final prepositional phrase: "her presence on Twitter"
        starts = ctx.tok_start
        anc = ctx.token_at[max(e - 1, s)]
        for _ in range(6):   # the last word and up to five of its ancestors
            info = _tok_info(ctx, anc)
            if info[1] == "prep" and starts[anc] > s and starts[info[6]] >= s:
                add((s, starts[anc]), kind + "-nopp", False)
                break
            if info[6] == anc:
                break
            anc = info[6]
        # without a coordinated tail of its head: "to release his tax records or explain ..."
        top_i = ctx.token_at[s]
        while True:
            head = _tok_info(ctx, top_i)[6]
            if head == top_i or not (s <= starts[head] < e):
                break
            top_i = head
        top = doc[top_i]
        cc = [c for c in top.children if c.dep_ in ("cc", "conj") and c.idx > top.idx and c.idx < e]
        if cc:
            add((s, min(c.left_edge.idx if c.dep_ == "conj" else c.idx for c in cc)), kind + "-noconj", False)

    cue_sub = set(_subtree(ctx, tok.i))
    dep, head = ctx.deps, ctx.heads
    strings = doc.vocab.strings
    mark, aux, cc = strings["mark"], strings["aux"], strings["cc"]
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "dobj", "csubj", "advcl", "oprd", "attr", "acomp"):
            add(_ids_span(ctx, _subtree(ctx, c.i)), c.dep_)
            if c.dep_ == "ccomp":
                add(_ids_span(ctx, [j for j in _subtree(ctx, c.i) if not (dep[j] == mark and head[j] == c.i)]),
                    "ccomp-nomark")
        if c.dep_ == "prep":
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    add(_ids_span(ctx, _subtree(ctx, g.i)), "pobj:" + (c.lower_ if c.lower_ in CONTENT_PREPS else "x"))
        if c.dep_ in ("dobj", "attr"):
            # "raised questions about X", "released a letter that says X"
            for g in c.children:
                if g.dep_ == "prep":
                    for h in g.children:
                        if h.dep_ in ("pobj", "pcomp"):
                            add(_ids_span(ctx, _subtree(ctx, h.i)), "obj-pobj:" + (g.lower_ if g.lower_ in CONTENT_PREPS else "x"))
        if c.dep_ in ("xcomp", "acomp", "dobj", "attr"):
            # one level down: "refused to disclose X", "determined to warn ...", "a motion to unseal X"
            for g in c.children:
                if g.dep_ in ("ccomp", "xcomp", "dobj") or (g.dep_ == "acl" and c.dep_ in ("dobj", "attr")):
                    add(_ids_span(ctx, _subtree(ctx, g.i)), "sub-" + g.dep_)
                    if g.dep_ in ("xcomp", "acl"):
                        add(_ids_span(ctx, [j for j in _subtree(ctx, g.i) if not (dep[j] == aux and head[j] == g.i)]),
                            "sub-noto")
                elif g.dep_ == "prep" and c.dep_ in ("xcomp", "acomp"):
                    for h in g.children:
                        if h.dep_ in ("pobj", "pcomp"):
                            add(_ids_span(ctx, _subtree(ctx, h.i)), "sub-pobj")
        if c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and tok.pos_ in ("ADJ", "AUX")):
            # what is passive-voiced or judged: "His views were echoed", "Nothing seems credible"
            add(_ids_span(ctx, _subtree(ctx, c.i)), "subj")
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if len(comps) > 1:
        add(_ids_span(ctx, [j for c in comps for j in _subtree(ctx, c.i)]), "ccomp-all")
    # the cue hangs on its content: "..., Hegseth has said" / "X, he said, Y"
    if tok.dep_ in ("parataxis", "conj", "advcl", "ccomp") and tok.head.i != tok.i:
        head = tok.head
        rest = [j for j in _subtree(ctx, head.i) if j not in cue_sub and not (dep[j] == cc and ctx.heads[j] == head.i)]
        add(_ids_span(ctx, rest), "head-rest")
        add(_ids_span(ctx, [j for j in rest if j < tok.i]), "head-before")
    if tok.dep_ == "relcl" or tok.dep_ == "acl":
        pass
    # the rest of the sentence
    sent = ctx.sent_of[tok.i]
    src = {j for c in tok.children if c.dep_ in SUBJ for j in _subtree(ctx, c.i)}
    s_ids = range(sent.start, sent.end)
    add(_ids_span(ctx, [i for i in s_ids if i not in cue_sub]), "sent-rest")
    add(_ids_span(ctx, [i for i in s_ids if i > tok.i and i not in src]), "sent-after")
    add(_ids_span(ctx, [i for i in s_ids if i < tok.i and i not in src and i not in cue_sub]), "sent-before")
    # the paragraph around the cue: transcripts ("Name:"), and quotes running over sentences
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    para_end = text.find("\n", sent.end_char - 1)
    para_end = len(text) if para_end < 0 else para_end
    if para_end > sent.end_char:
        add((tok.idx + len(tok.text), para_end), "para-after")
    if para_start < sent.start_char:
        subj_start = min([doc[i].idx for i in src] + [tok.idx])
        add((para_start, subj_start), "para-before")
    if _ends_with_colon(text, sent.end_char) or (tok.i + 1 < len(doc) and doc[tok.i + 1].text == ":"):
        j = sent.end_char
        while j < len(text) and text[j].isspace():
            j += 1
        end = text.find("\n", j)
        add((j, len(text) if end < 0 else end), "next-para")
    # quotes in or next to the sentence
    qidx = list(ctx.sent_quotes[sent.start])
    after_colon = sent.end_char
    while after_colon < len(text) and text[after_colon].isspace():
        after_colon += 1
    if after_colon < len(text) and ctx.quote_of_char[after_colon] >= 0 and _ends_with_colon(text, sent.end_char):
        qidx.append(ctx.quote_of_char[after_colon])
    for k in qidx:
        q = ctx.quotes[k]
        add((q.start, q.end), "quote")
        # a run of quotes in the paragraph joined by the cue ("“A,” he said. “B.”")
        run_end = q.end
        for q2 in ctx.quotes[k + 1:k + 4]:
            gap = text[run_end:q2.outer_start]
            if "\n" in gap or len(gap) > 250:
                break
            # a run over the cue ("“A,” said X, a senator. “B.”") or a short gap ("“A” and “B”")
            around = run_end <= tok.idx < q2.outer_start
            if len(gap) > 60 and not around:
                break
            run_end = q2.end
            add((q.start, run_end), "quote-run-cue" if around else "quote-run")
    # the whole sentence, for a cue set inside its content ("It was, the president said, ...")
    add((sent.start_char, sent.end_char), "sent-all")
    # a raised or passive subject with its predicate: "North Korea is not thought to be capable
    # of ...", "Melania seems to have vanished ..."
    subj = next((c for c in tok.children if c.dep_ in SUBJ), None)
    xc = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "oprd", "attr", "acomp")), None)
    if subj is not None and xc is not None and subj.i < tok.i < xc.i:
        add((subj.left_edge.idx, xc.right_edge.idx + len(xc.right_edge.text)), "subj-pred")
    # the next sentence, after "said:" at the end of a sentence
    if _ends_with_colon(text, sent.end_char) or (tok.i + 1 < len(doc) and doc[tok.i + 1].text == ":"):
        nxt = ctx.sent_of[sent.end] if sent.end < len(doc) else None
        if nxt is not None:
            add((nxt.start_char, nxt.end_char), "next-sent")
    # a span several generators reach is one candidate, named by the first, knowing the others
    return [(s, e, k[0], tuple(k[1:])) for (s, e), k in cands.items()]


def _tok_info(ctx: Context, i: int) -> tuple:
    """(pos, dep, lower, is_punct, is_stop, tag, head index) of token i, read once per article:
    the content candidates of a cue share their boundary words."""
    info = ctx.tok_info.get(i)
    if info is None:
        t = ctx.doc[i]
        info = ctx.tok_info[i] = (t.pos_, t.dep_, t.lower_, t.is_punct, t.is_stop, t.tag_, t.head.i)
    return info


def _cue_facts(tok, ctx: Context) -> tuple:
    """What every content candidate of one cue shares, computed once per cue."""
    facts = ctx.cue_facts.get(tok.i)
    if facts is None:
        sent = ctx.sent_of[tok.i]
        where = "start" if tok.i - sent.start <= 1 else "end" if sent.end - tok.i <= 3 else "mid"
        subj_at = [c.idx for c in tok.children if c.dep_ in SUBJ]
        facts = ctx.cue_facts[tok.i] = (tok.lemma_.lower(), tok.dep_, tok.idx, sent, where,
                                        bool(ctx.sent_quotes[sent.start]), subj_at)
    return facts


def content_features(tok, cand, ctx: Context) -> list[str]:
    s, e, kind = cand[:3]
    lem, dep, tok_idx, sent, where, has_q, subj_at = _cue_facts(tok, ctx)
    text = ctx.text
    doc = ctx.doc
    ntok = len(text[s:e].split())
    after = s >= tok_idx
    base = kind.split("-")[0]
    f = ["b", "k=" + kind, "k|l=" + kind + "|" + lem, "k|d=" + kind + "|" + dep, "len=" + _bucket(ntok),
         "k|len=" + kind + "|" + _bucket(ntok), "after=" + str(after), "k|after=" + kind + "|" + str(after),
         "base=" + base, "base|l=" + base + "|" + lem]
    if kind != base:
        f.append("variant=" + kind[len(base):])
        f.append("variant|l=" + kind[len(base):] + "|" + lem)
    for other in cand[3] if len(cand) > 3 else ():
        f.append("also=" + other)
        f.append("k|also=" + kind + "|" + other)
    # the tokens at and around the span's two ends, as (pos, dep, lower, is_punct, is_stop, tag, head)
    n_doc = len(doc)
    fi, li = ctx.token_at[s], ctx.token_at[max(e - 1, s)]
    t0, t1 = _tok_info(ctx, fi), _tok_info(ctx, li)
    nxt = _tok_info(ctx, li + 1) if li + 1 < n_doc else None
    prv = _tok_info(ctx, fi - 1) if fi > 0 else None
    after2 = _tok_info(ctx, li + 2) if li + 2 < n_doc else None
    # a word, if a stop word or punctuation, else its part of speech
    aw = nxt[2] if nxt is not None and (nxt[3] or nxt[4]) else (nxt[0] if nxt is not None else "<e>")
    bw = prv[2] if prv is not None and (prv[3] or prv[4]) else (prv[0] if prv is not None else "<s>")
    f += ["fp=" + t0[0], "lp=" + t1[0], "ld=" + t1[1], "nx=" + aw, "pv=" + bw,
          "k|nx=" + base + "|" + (nxt[2] if nxt is not None and nxt[3] else "w")]
    if s <= tok_idx < e:
        f.append("contains_cue")
    f.append("cue_at=" + where)
    f.append("k|cue_at=" + base + "|" + where)
    f.append("k|l|after=" + base + "|" + lem + "|" + str(after))
    f.append("k|sentq=" + base + "|" + str(has_q))
    sent_start, sent_end = sent.start_char, sent.end_char
    if e >= sent_end - 3 and s >= tok_idx:
        f.append("k|to_end_after=" + base)
    for at in subj_at:
        if s <= at < e:
            f.append("contains_subj")
    first = text[s:e].split(None, 1)[0].lower() if ntok else ""
    if first in ("that", "to", "if", "whether", "how", "what", "why", "the", "a"):
        f.append("first=" + first)
        f.append("k|first=" + kind + "|" + first)
    q0, q1 = ctx.quote_of_char[s], ctx.quote_of_char[max(e - 1, s)]
    if q0 >= 0 and q0 == q1:
        f.append("in_one_quote")
    elif q0 >= 0 or q1 >= 0:
        f.append("partial_quote")
    if "\n" in text[s:e]:
        f.append("crosses_paragraph")
    if s < sent_start or e > sent_end:
        f.append("crosses_sentence")
        f.append("k|crosses=" + kind)
    if e >= sent_end - 2:
        f.append("to_sent_end")
    # where the span's boundaries fall against quote marks, and what its top word is to the cue
    qs, qe = ctx.quote_of_char[max(s - 1, 0)], ctx.quote_of_char[min(e, len(text) - 1)]
    f.append(f"qedge={qs >= 0}|{qe >= 0}")
    f.append(f"k|qedge={base}|{qs >= 0}|{qe >= 0}")
    starts = ctx.tok_start
    top = fi
    while True:
        head = _tok_info(ctx, top)[6]
        if head == top or not (s <= starts[head] < e):
            break
        top = head
    top_head = _tok_info(ctx, top)[6]
    rel = "child" if top_head == tok.i else "self" if top == tok.i else \
        "gchild" if _tok_info(ctx, top_head)[6] == tok.i else "other"
    f.append("top=" + rel + "|" + _tok_info(ctx, top)[1])
    f.append("k|top=" + base + "|" + rel)
    # the two boundaries, each on its own: the words on either side of the start and the end
    a2 = after2[2] if after2 is not None and (after2[4] or after2[3]) else (after2[5] if after2 is not None else "<e>")
    f += ["s:pv|w=" + bw + "|" + t0[2] if t0[4] else "s:pv|p=" + bw + "|" + t0[0],
          "s:d=" + t0[1], "s:pv_is_cue=" + str(prv is not None and fi - 1 == tok.i),
          "e:nx|nx2=" + aw + "|" + a2, "e:last|nx=" + t1[0] + "|" + aw,
          "e:nxd=" + (nxt[1] if nxt is not None else "<e>"),
          "e:nx2d=" + (after2[1] if after2 is not None else "<e>") + "|" + aw,
          "k|e:nx=" + base + "|" + aw, "k|s:pv=" + base + "|" + bw]
    if nxt is not None and s <= starts[nxt[6]] < e:
        f.append("e:next_attached_inside|" + nxt[1])
    if prv is not None and s <= starts[prv[6]] < e:
        f.append("s:prev_attached_inside|" + prv[1])
    if s <= sent_start + 2:
        f.append("from_sent_start")
    return f


# ---------------------------------------------------------------- sources

SOURCE_CUT = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "dep", "cc", "conj", "prep"}


def _np(head, cut: set[str] | None):
    doc = head.doc
    keep = [head]
    for c in head.children:
        if cut is not None and c.dep_ in cut and c.i > head.i:
            continue
        if c.dep_ == "punct":
            continue
        keep.extend(c.subtree)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    if cut is not None:
        for i in range(head.i + 1, hi + 1):
            if doc[i].text in {",", "(", "—", "–", ";", ":"} or "\n" in doc[i].text:
                hi = i - 1
                break
        for i in range(head.i - 1, lo - 1, -1):
            if doc[i].text in {",", ")", "—", "–", ";", ":"} or "\n" in doc[i].text:
                lo = i + 1
                break
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def source_candidates(tok, ctx: Context):
    """(start, end, kind) spans that may name the holder; (-1, -1, "none") for no source."""
    text = ctx.text
    cands: dict[tuple[int, int], str] = {}

    def add_np(head, kind):
        if head is None or ctx.in_quote(head) != ctx.in_quote(tok):
            return
        for cut, name in ((None, "full"), ({"appos", "relcl", "acl", "punct", "advcl", "parataxis"}, "cut"),
                          (SOURCE_CUT, "core")):
            s, e = trim(text, *_np(head, cut))
            if e > s and (s, e) not in cands:
                cands[(s, e)] = kind + ":" + name

    subj = None
    for c in tok.children:
        if c.dep_ in SUBJ:
            subj = c
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    add_np(g, "agent")
        if c.dep_ == "poss":
            add_np(c, "poss")
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
            for g in c.children:
                if g.dep_ == "pobj":
                    add_np(g, "prep-" + c.lower_)
    if tok.lower_ == "according":
        to = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if to is not None:
            for g in to.children:
                if g.dep_ == "pobj":
                    add_np(g, "according")
    if subj is not None:
        if subj.lower_ in ("that", "which", "who") and tok.dep_ == "relcl":
            add_np(tok.head, "relcl-head")
            cands.setdefault(trim(text, subj.idx, subj.idx + len(subj.text)), "relpron")
        else:
            add_np(subj, "subj")
    elif tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        add_np(tok.head, "acl-head")
    else:
        cur = tok
        for level in range(2):
            if cur.dep_ not in ("advcl", "conj", "xcomp", "ccomp", "acl", "pcomp", "pobj", "prep") or cur.head.i == cur.i:
                break
            cur = cur.head
            for c in cur.children:
                if c.dep_ in SUBJ:
                    add_np(c, f"gov-subj{level}")
    # a transcript: "WALLACE: ..." at the start of a paragraph
    if tok.text == ":":
        line_start = text.rfind("\n", 0, tok.idx) + 1
        head_text = text[line_start:tok.idx]
        if 0 < len(head_text.split()) <= 5:
            cands.setdefault(trim(text, line_start, tok.idx), "speaker-label")
    # a named person or organisation nearest the cue in the sentence
    best = None
    sent_start = ctx.sent_of[tok.i].start
    for e_start, e_end, label, root_i, e_sent in ctx.ents:
        if label in ("PERSON", "ORG", "NORP", "GPE") and e_sent == sent_start and ctx.quote_of_char[e_start] < 0:
            d = abs(root_i - tok.i)
            if best is None or d < best[0]:
                best = (d, e_start, e_end)
    if best is not None:
        s, e = trim(text, best[1], best[2])
        cands.setdefault((s, e), "near-ent")
    out = [(s, e, k) for (s, e), k in cands.items()]
    out.append((-1, -1, "none"))
    return out


def source_features(tok, cand, ctx: Context) -> list[str]:
    s, e, kind = cand
    lem = tok.lemma_.lower()
    f = ["b", "k=" + kind, "k|l=" + lem + "|" + kind, "k|d=" + kind + "|" + tok.dep_, "k|p=" + kind + "|" + tok.pos_]
    if kind == "none":
        f.append("none|t=" + tok.tag_)
        has_subj = any(c.dep_ in SUBJ for c in tok.children)
        f.append("none|subj=" + str(has_subj))
        return f
    words = ctx.text[s:e].split()
    f.append("len=" + _bucket(len(words)))
    f.append("k|len=" + kind + "|" + _bucket(len(words)))
    if len(words) == 1 and words[0].lower() in ("he", "she", "they", "it", "i", "we", "you"):
        f.append("pronoun")
    f.append("after=" + str(s > tok.idx))
    return f


# ---------------------------------------------------------------- the model

class LinearModels:
    """Weights per task; a logistic score for a list of string features."""

    def __init__(self, weights: dict[str, dict[str, float]], thresholds: dict[str, float],
                 cue_lemmas: frozenset[str] | None = None) -> None:
        self.weights = weights
        self.thresholds = thresholds
        self.cue_lemmas = cue_lemmas

    def score(self, task: str, feats: list[str]) -> float:
        w = self.weights[task]
        z = sum(map(w.get, feats, repeat(0.0))) + w.get("__bias__", 0.0)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def best(self, task: str, tok, cands, feat_fn, ctx):
        """The highest-scoring candidate of a ranking task, with its softmax share."""
        if not cands:
            return None, 0.0
        w = self.weights[task]
        scored = [(sum(map(w.get, feat_fn(tok, c, ctx), repeat(0.0))), c) for c in cands]
        top, c = max(scored, key=lambda x: x[0])
        share = 1.0 / sum(math.exp(max(min(z - top, 0.0), -30.0)) for z, _ in scored)
        return c, share


@functools.lru_cache(maxsize=1)
def load_models() -> LinearModels | None:
    """The shipped weights (or, for experiments, the file named by THUCYDIDES_ATTRIBUTION_MODEL)."""
    override = os.environ.get("THUCYDIDES_ATTRIBUTION_MODEL")
    path = Path(override) if override else resources.files("thucydides").joinpath("models/attribution.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    lemmas = data.get("cue_lemmas")
    return LinearModels(data["weights"], data.get("thresholds", {}), frozenset(lemmas) if lemmas else None)


@dataclass
class Found:
    cue: tuple[int, int]
    content: tuple[int, int]
    source: tuple[int, int] | None
    score: float
    head: object
    cue_p: float = 0.0       # the cue classifier's probability
    content_p: float = 0.0   # the chosen content's softmax share among the candidates
    content_kind: str = ""   # the generator that proposed the chosen content
    source_kind: str = ""    # the generator that proposed the chosen source ("none": no source)


def _cue_span_scorer(content: tuple[int, int]):
    """The cue-span features of a candidate, knowing the chosen content."""
    return lambda tok, cand, ctx: cue_span_features(tok, cand[2], cand, content, ctx.text)


def predict(ctx: Context, models: LinearModels) -> list[Found]:
    out: list[Found] = []
    threshold = models.thresholds.get("cue", 0.5)
    for tok in cue_candidates(ctx, models.cue_lemmas):
        p = models.score("cue", cue_features(tok, ctx))
        if p < threshold:
            continue
        content, pc = models.best("content", tok, content_candidates(tok, ctx), content_features, ctx)
        if content is None:
            continue
        span, _ = models.best("cue_span", tok, cue_span_candidates(tok), _cue_span_scorer(content[:2]), ctx)
        source, _ = models.best("source", tok, source_candidates(tok, ctx), source_features, ctx)
        src = None if source is None or source[2] == "none" else (source[0], source[1])
        cue = trim(ctx.text, span[0], span[1]) if span else (tok.idx, tok.idx + len(tok.text))
        out.append(Found(cue, (content[0], content[1]), src, p * (0.5 + 0.5 * pc), tok, p, pc, content[2],
                         source[2] if source is not None else "none"))
    return out
