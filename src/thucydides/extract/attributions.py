"""Attributions: who said (or believes, or found) what, on the dependency parse.

Two sources of evidence meet here. Quotation marks (found on the characters, see
`quotes.py`) give direct quotes; cue verbs from our lexicon (`knowledge/cues.yaml`) with a
clausal complement give reported speech. Each direct quote is tied to the cue that governs
it in the parse, else the cue in its sentence, else the cue of a sentence that introduces it
with a colon, else the quote just before it (a quotation continued over sentences). Quote
marks that no cue claims and that hold only a few words are titles or scare quotes and
yield nothing.

The stage fills `Attribution.source` (the span naming the holder in the sentence); the
actors stage resolves it to `speaker`.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..knowledge import load_yaml
from ..model import Attribution, Span
from ..nlp import doc_text, token_hashes, token_lemmas
from .attribution_model import Context, load_models, predict
from .quotes import Quote, find_quotes

RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
CONTENT_DEPS = {"ccomp"}
SOURCE_CUT_DEPS = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "dep"}
EDGE = " \t\r\n,.;:—–-"
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
DROP_WORDS = {"that", "to", "the", "a", "he", "she", "they", "it", "we", "i", "if", "whether", "what", "how",
              "there", "this", "his", "her", "their", "about", "on", "of", "for", "as", "in", "and", "but"}
TERM_BEFORE = re.compile(r"\b(so-called|so called|dubbed|termed|nicknamed|titled|entitled|known as|labelled|labeled)\s*$",
                         re.IGNORECASE)
# a quotation signed on its own line: "“...” ― Amara Velk", "“...”\n- Tomas Reyle."
SIGNED = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(―|—|–|--?)[ \t\u00a0]*"
                    r"([A-Z][\w.'’-]*(?:[ \t\u00a0]+(?:[A-Z][\w.'’-]*|de|del|la|van|von|da|di|y|bin|al)){0,5})"
                    r"[ \t\u00a0.]*(?:\n|$)")
CREDITS = {"reuters", "ap", "afp", "associated press", "getty", "getty images", "file", "photo", "source"}
# a transcript: paragraphs that open with a speaker's name in capitals and a colon ("WALLACE: ...",
# "SEN. MARA TOLVEN (D): ..."), perhaps after a quote mark that runs on over the paragraphs
TRANSCRIPT_LABEL = re.compile(r"^[ \t]*([\"“]?)[ \t]*([A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,3}"
                              r"(?:[ \t]+\([^)\n]{1,30}\))?)[ \t]*:[ \t]+(?=\S)", re.MULTILINE)
NOT_SPEAKERS = {"NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "UPDATE", "UPDATED", "CORRECTION", "WATCH", "READ",
                "RELATED", "PHOTO", "PHOTOS", "VIDEO", "SOURCE", "SOURCES", "CLARIFICATION", "ADVERTISEMENT",
                "WARNING", "SPOILER", "BREAKING", "EXCLUSIVE", "FACT CHECK", "MORE", "ALSO", "DISCLAIMER"}


@dataclass(frozen=True)
class CueLexicon:
    speech: frozenset[str]
    strong: frozenset[str]
    as_verbs: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    nouns: frozenset[str]
    media: tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    data = load_yaml("cues.yaml")
    media = sorted(((k.lower(), v) for k, v in data["media"].items()), key=lambda kv: -len(kv[0]))
    return CueLexicon(
        speech=frozenset(w.lower() for w in data["speech"]) | frozenset(w.lower() for w in data["strong"]),
        strong=frozenset(w.lower() for w in data["strong"]),
        as_verbs=frozenset(w.lower() for w in data["as_verbs"]),
        phrases=tuple(tuple(p.lower().split()) for p in data["phrases"]),
        nouns=frozenset(w.lower() for w in data["nouns"]),
        media=tuple(media),
    )


@dataclass
class Cue:
    """A cue found in the parse, with what it governs."""

    token: object                    # spaCy Token of the cue's head word
    cue: tuple[int, int]             # character span of the cue
    source: tuple[int, int] | None   # character span naming the holder
    content: tuple[int, int] | None  # character span of the reported content (clause)
    strong: bool
    sent_start: int
    sent_end: int
    used: bool = False
    quotes: list[Quote] = field(default_factory=list)


# ------------------------------------------------------------------ spans on the parse

def _trim(text: str, start: int, end: int, edge: str = EDGE) -> tuple[int, int]:
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


def _tok_span(tokens) -> tuple[int, int]:
    tokens = list(tokens)
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _source_tokens(head) -> list:
    """The noun phrase that names a holder, without appositions and relative clauses."""
    keep = [head]
    for child in head.children:
        if child.dep_ in SOURCE_CUT_DEPS and child.i > head.i:
            continue
        if child.dep_ == "punct":
            continue
        keep.extend(child.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    # Stop at the first comma or bracket after the head: "John Bolton, national security advisor"
    doc = head.doc
    for i in range(head.i + 1, hi + 1):
        if doc[i].text in {",", "(", "—", "–", ";", ":"} or "\n" in doc[i].text:
            hi = i - 1
            break
    for i in range(head.i - 1, lo - 1, -1):
        if doc[i].text in {",", ")", "—", "–", ";", ":"} or "\n" in doc[i].text:
            lo = i + 1
            break
    return [doc[i] for i in range(lo, hi + 1)]


def _subject_of(tok):
    """The token that names who holds the content of cue `tok`."""
    for child in tok.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                return tok.head
            return child
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    # "Guo said, reiterating that ..." and "X said and added ...": inherit the subject of the
    # clause above ("Vance used his address to deliver a critique, telling ...").
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("advcl", "conj", "xcomp") or cur.head.pos_ not in ("VERB", "AUX"):
            break
        cur = cur.head
        for child in cur.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    return None


def _content_of(tok, lex: CueLexicon) -> tuple[int, int] | None:
    """The clause that a cue governs: its clausal complement, or for a cue set after its
    clause ("..., Hegseth has said") the clause it hangs on."""
    doc = tok.doc
    comps = [c for c in tok.children if c.dep_ in CONTENT_DEPS]
    if comps:
        toks = [t for c in comps for t in c.subtree]
        start, end = _tok_span(toks)
        return _trim(doc_text(doc), start, end)
    has_subject = any(c.dep_ in SUBJECT_DEPS for c in tok.children)
    if tok.dep_ in ("parataxis", "conj", "advcl") and tok.i > tok.head.i and has_subject:
        head = tok.head
        between = doc[head.i:tok.i]
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None and any(t.text == "," for t in doc[subj.left_edge.i - 1: subj.left_edge.i]):
            toks = [t for t in head.subtree if t.i < subj.left_edge.i]
            if toks and between:
                start, end = _tok_span(toks)
                return _trim(doc_text(doc), start, end)
    return None


def _as_content(tok) -> tuple[int, int, int] | None:
    """For "dismissed the idea as X": (end of the cue phrase, start, end of X)."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            objs = [g for g in child.children if g.dep_ in ("pobj", "amod", "acomp", "attr", "advmod", "npadvmod")]
            end_of_as = child.idx + len(child.text)
            if objs:
                start, end = _tok_span(t for o in objs for t in o.subtree)
            else:
                start = end_of_as
                end = max(t.idx + len(t.text) for t in child.subtree)
            return end_of_as, start, end
    return None


def _cue_span(tok) -> tuple[int, int]:
    """The cue word with the auxiliaries and negation right before it ("has said")."""
    doc = tok.doc
    start = tok.idx
    i = tok.i - 1
    while i >= 0 and doc[i].dep_ in ("aux", "auxpass", "neg") and doc[i].head.i == tok.i:
        start = doc[i].idx
        i -= 1
    end = tok.idx + len(tok.text)
    for child in tok.children:  # particle verbs: "point out", "lash out"
        if child.dep_ == "prt" and child.i == tok.i + 1:
            end = child.idx + len(child.text)
    return start, end


# ------------------------------------------------------------------ finding cues

def find_cues(doc, quotes: list[Quote], lex: CueLexicon) -> list[Cue]:
    text = doc_text(doc)
    quote_starts = [q.outer_start for q in quotes]

    def inside_quote(i: int) -> bool:
        k = bisect.bisect_right(quote_starts, i) - 1
        return k >= 0 and quotes[k].outer_start <= i < quotes[k].outer_end

    # the words that can be cues, found by their hashes rather than by making every token
    according = doc.vocab.strings["according"]
    maybe = {i for i, (lemma, lower) in enumerate(zip(token_lemmas(doc), token_hashes(doc, "LOWER")))
             if lemma in lex.speech or lower == according}
    cues: list[Cue] = []
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            if i not in maybe:
                continue
            tok = doc[i]
            if inside_quote(tok.idx):
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") and lemma in lex.speech:
                subj = _subject_of(tok)
                source = None
                if subj is not None and not inside_quote(subj.idx):
                    s, e = _tok_span(_source_tokens(subj))
                    source = _trim(text, s, e)
                content = _content_of(tok, lex)
                cue_span = _cue_span(tok)
                if lemma in lex.as_verbs:
                    as_part = _as_content(tok)
                    if as_part and any(q.start >= as_part[0] - 3 and q.start <= as_part[2] for q in quotes):
                        cue_span = (cue_span[0], as_part[0])
                        content = _trim(text, as_part[1], as_part[2], EDGE + "“”\"")
                cues.append(Cue(tok, cue_span, source, content, lemma in lex.strong,
                                sent.start_char, sent.end_char))
            elif tok.lower_ == "according":
                nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
                if nxt is None or nxt.lower_ != "to":
                    continue
                objs = [c for c in nxt.children if c.dep_ == "pobj"]
                if not objs:
                    continue
                s, e = _tok_span(_source_tokens(objs[0]))
                source = _trim(text, s, e)
                phrase = {t.i for t in tok.subtree} | {t.i for t in nxt.subtree}
                rest = [t for t in sent if t.i not in phrase and not t.is_space]
                if not rest:
                    continue
                # The content is the rest of the sentence on the side of the clause.
                before = [t for t in rest if t.i < tok.i]
                after = [t for t in rest if t.i > max(phrase)]
                side = after if len(after) >= len(before) else before
                if not side:
                    continue
                cs, ce = _trim(text, *_tok_span(side))
                cues.append(Cue(tok, (tok.idx, nxt.idx + len(nxt.text)), source, (cs, ce), True,
                                sent.start_char, sent.end_char))
    return cues


@functools.lru_cache(maxsize=4)
def _media_regex(media: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One compiled alternation of every medium phrase, longest first."""
    parts = []
    for phrase, _ in media:
        body = re.escape(phrase.strip())
        parts.append((r"(?<![\w])" if phrase.startswith(" ") else r"\b") + body + r"\b")
    return re.compile("|".join(parts)), {p.strip(): m for p, m in media}


@functools.lru_cache(maxsize=4)
def _media_keys(media: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The medium phrases without their padding: a window holding none of them names no medium."""
    return tuple({p.strip() for p, _ in media})


def detect_medium(text: str, start: int, end: int, exclude: tuple[int, int] | None,
                  lex: CueLexicon) -> str | None:
    """The medium named in the sentence around a cue ("In a Truth Social post", "wrote on X")."""
    whole = text[start:end].lower()
    if not any(k in whole for k in _media_keys(lex.media)):
        return None  # the blanked window below holds no more than this one
    window = text[start:end]
    if exclude:
        a, b = max(exclude[0] - start, 0), max(exclude[1] - start, 0)
        window = window[:a] + " " * (b - a) + window[b:]
    rx, medium_of = _media_regex(lex.media)
    low = window.lower()
    best = None
    for m in rx.finditer(low):
        phrase = m.group(0)
        if best is None or len(phrase) > len(best):
            best = phrase
    return medium_of.get(best) if best else None


# ------------------------------------------------------------------ quotes to cues

def _ancestor_depths(quote_toks) -> dict[int, int]:
    """For every token above a quote in the parse, its least distance to a quote token."""
    depths: dict[int, int] = {}
    for qt in quote_toks:
        depth = 0
        t = qt
        while t.head.i != t.i:
            t = t.head
            depth += 1
            if depths.get(t.i, 1 << 30) <= depth:
                break
            depths[t.i] = depth
    return depths


def _paragraph_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def extract_attributions(doc, lex: CueLexicon | None = None, models=None,
                         with_features: bool = False) -> list[Attribution]:
    """The attributions of a parsed article. `models` overrides the shipped weights (for
    training); `with_features` returns (attribution, record features or None) pairs before the
    record filter, for training it."""
    lex = lex or cue_lexicon()
    text = doc_text(doc)
    quotes = find_quotes(text)
    cues = find_cues(doc, quotes, lex)
    out: list[tuple[int, Attribution]] = []

    def span(s: tuple[int, int] | None) -> Span | None:
        return Span.of(text, *s) if s else None

    def emit_direct(q: Quote, cue: Cue | None, confidence: float, medium_from: Cue | None = None) -> Attribution:
        c = medium_from or cue
        medium = detect_medium(text, c.sent_start, c.sent_end, (q.outer_start, q.outer_end), lex) if c else None
        att = Attribution(kind="direct", content=Span.of(text, q.start, q.end),
                          cue=span(cue.cue) if cue else None, source=span(cue.source) if cue else None,
                          medium=medium, confidence=confidence)
        out.append((q.start, att))
        return att

    token_starts = [t.idx for t in doc]
    last_direct: tuple[Quote, Attribution] | None = None
    last_cue: Cue | None = None
    for q in quotes:
        if TERM_BEFORE.search(text[max(0, q.outer_start - 30):q.outer_start]):
            continue  # "the so-called “green line”", "a memoir titled “...”": a name, not a statement
        lo = bisect.bisect_left(token_starts, q.start)
        hi = bisect.bisect_left(token_starts, q.end)
        qtoks = [doc[i] for i in range(lo, hi) if not doc[i].is_punct and not doc[i].is_space]
        n_words = len(text[q.start:q.end].split())
        outside = [c for c in cues if not (q.outer_start <= c.cue[0] < q.outer_end)]
        chosen: Cue | None = None
        confidence = 0.0
        # 0. a quotation signed with a dash and a name at the end of its line
        signed = SIGNED.match(text, q.outer_end)
        if signed is not None and n_words >= 2:
            name = _trim(text, signed.start(2), signed.end(2))
            if text[name[0]:name[1]].lower() not in CREDITS and name[1] > name[0]:
                att = Attribution(kind="direct", content=Span.of(text, q.start, q.end),
                                  cue=Span.of(text, signed.start(1), signed.end(1)), source=Span.of(text, *name),
                                  medium=None, confidence=0.85)
                out.append((q.start, att))
                last_direct, last_cue = (q, att), None
                continue
        # 1. the cue that governs the quote in the parse, the nearest such
        above = _ancestor_depths(qtoks)
        governing = [(above[c.token.i], c) for c in outside if c.token.i in above]
        if governing:
            chosen = min(governing, key=lambda dc: dc[0])[1]
            confidence = 0.9 if chosen.strong else 0.75
        # 2. a cue in a sentence the quote touches, the nearest
        if chosen is None:
            near = [c for c in outside
                    if c.sent_start <= q.end and c.sent_end >= q.outer_start and c.strong
                    and (c.content is None or not (c.content[0] >= q.outer_end or c.content[1] <= q.outer_start)
                         or c.content[0] >= q.outer_end)]
            near = [c for c in near if c.content is None or c.content[1] <= q.outer_end + 2
                    or c.content[0] <= q.start]
            if near:
                chosen = min(near, key=lambda c: min(abs(c.cue[0] - q.outer_end), abs(c.cue[1] - q.outer_start)))
                confidence = 0.75
        # 3. a sentence ending with a colon right before the quote
        if chosen is None:
            colon = _last_visible(text, q.outer_start)
            if colon >= 0 and text[colon] == ":":
                intro = [c for c in outside if c.sent_start <= colon < c.sent_end + 1 and c.cue[1] <= colon]
                if intro:
                    chosen = max(intro, key=lambda c: c.cue[0])
                    confidence = 0.85 if chosen.strong else 0.7
        if chosen is not None:
            contained_partial = (chosen.content is not None and chosen.content[0] <= q.outer_start
                                 and chosen.content[1] >= q.end
                                 and (q.end - q.start) < 0.6 * (chosen.content[1] - chosen.content[0]))
            if not contained_partial:
                chosen.used = True
            if n_words < 2 and not chosen.strong:
                continue
            att = emit_direct(q, chosen, confidence)
            last_direct, last_cue = (q, att), chosen
            continue
        # 4. a quotation that continues the one before it (same or next paragraph, no cue between)
        if last_direct is not None:
            pq, patt = last_direct
            gap = text[pq.outer_end:q.outer_start]
            # no other cue between them ("“A,” she said. “B.”": her cue does not count)
            between = [c for c in cues if pq.outer_end <= c.cue[0] < q.outer_start and c is not last_cue]
            same_or_next = gap.count("\n") <= 1 and len(gap.strip()) < 200
            last = _last_visible(text, q.outer_start)
            starts_sentence = last < 0 or text[last] in ".!?”'\"\n:"
            if same_or_next and not between and n_words >= 3 and starts_sentence:
                att = Attribution(kind="direct", content=Span.of(text, q.start, q.end), cue=None,
                                  source=None, medium=patt.medium, confidence=0.6)
                att._continues = patt  # resolved to the same speaker by the actors stage
                out.append((q.start, att))
                last_direct = (q, att)
                continue
        # 5. a free-standing quotation of a full sentence: keep it, with no known speaker
        if n_words >= 6 and any(t.pos_ in ("VERB", "AUX") for t in qtoks):
            att = emit_direct(q, None, 0.3)
            last_direct, last_cue = (q, att), None
        # shorter stretches in quote marks with no cue are titles, terms or scare quotes

    for c in cues:
        if c.used or c.content is None:
            continue
        content_len = c.content[1] - c.content[0]
        if content_len < 8:
            continue
        if not c.strong:
            # weaker verbs (believe, show, hope) attribute only a "that"-clause or a full clause
            comp = next((ch for ch in c.token.children if ch.dep_ == "ccomp"), None)
            if comp is None or not any(g.dep_ in SUBJECT_DEPS for g in comp.children):
                continue
        if c.source is None and c.token.lemma_.lower() not in ("report", "say", "believe", "expect", "announce"):
            continue
        medium = detect_medium(text, c.sent_start, c.sent_end, c.content, lex)
        conf = 0.8 if c.strong else 0.55
        if c.source is None:
            conf -= 0.2
        out.append((c.content[0], Attribution(kind="indirect", content=Span.of(text, *c.content),
                                              cue=span(c.cue), source=span(c.source), medium=medium,
                                              confidence=conf)))
    models = models or load_models()
    turns, headline = _transcript_turns(text), _headline_statement(doc, text)
    if models is None:
        out = _with_turns([(pos, att, None) for pos, att in out], turns, headline)
        out.sort(key=lambda r: (r[0], r[1].kind != "indirect"))
        return [a for _, a, _ in out]
    found = _with_model(doc, quotes, lex, models, out)
    feats = _record_features(doc, found)
    found = _with_turns([(pos, att, f) for (pos, att, _), f in zip(found, feats)], turns, headline)
    found.sort(key=lambda r: (r[0], r[1].kind != "indirect"))
    if with_features:
        return [(att, f) for _, att, f in found]
    threshold = models.thresholds.get("record")
    if threshold is None or "record" not in models.weights:
        return [att for _, att, _ in found]
    # the record filter: a mix of "the content is exactly right" and "content and source are
    # about right", each a logistic model of the whole record
    mix = models.thresholds.get("record_mix", 1.0)

    def keep(f) -> bool:
        p = mix * models.score("record", f)
        if mix < 1.0:
            p += (1.0 - mix) * models.score("record_rel", f)
        return p >= threshold
    return [att for _, att, f in found if f is None or keep(f)]


def _transcript_turns(text: str) -> list[Attribution]:
    """The turns of a transcript: each paragraph that opens with a speaker's name in capitals
    and a colon is what that speaker said, up to the paragraph's end (and, where the turn opens
    with a quote mark that runs on, over the following paragraphs that open with one too, up
    to the next speaker or a stage note such as "(CROSSTALK.)"). Only where the article has
    two such paragraphs or more: one capitalised label is a headline or a note."""
    labels = [m for m in TRANSCRIPT_LABEL.finditer(text)
              if m.group(2).split(" (")[0].strip() not in NOT_SPEAKERS and len(m.group(2)) <= 40]
    if len(labels) < 2:
        return []
    starts = {m.start() for m in labels}
    out = []
    for m in labels:
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if m.group(1):
            # "“WALLACE: ...\n\n“But the truth is ...": the quote mark runs on over paragraphs
            nxt = end
            while True:
                j = nxt
                while j < len(text) and text[j] in "\r\n \t":
                    j += 1
                line_start = text.rfind("\n", 0, j) + 1
                if j >= len(text) or line_start in starts or text[j] not in "\"“" \
                        or text[j + 1:j + 2] == "(":
                    break
                nxt = text.find("\n", j)
                nxt = len(text) if nxt < 0 else nxt
                end = nxt
        c0, c1 = _trim(text, m.end(), end, EDGE + "\"“”")
        if c1 - c0 < 2:
            continue
        s0, s1 = m.start(2), m.end(2)
        colon = text.index(":", s1)
        out.append(Attribution(kind="direct", content=Span.of(text, c0, c1), cue=Span.of(text, colon, colon + 1),
                               source=Span.of(text, s0, s1), medium=None, confidence=0.9))
    return out


def _headline_statement(doc, text: str) -> list[Attribution]:
    """A headline that gives a statement after its speaker and a colon ("Tomas Reyle: Talks With
    Ostrava Will Go On", "A lesson from Amara Velk: 'Be the voice that people hear'"): the
    statement, said by the person or body named before the colon."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end]
    colon = line.find(": ")
    if colon <= 0 or len(line[:colon].split()) > 7 or not line[:1].isupper() or line[colon - 1].isdigit():
        return []
    c0, c1 = _trim(text, start + colon + 1, end, EDGE + "\"“”‘’'")
    if len(text[c0:c1].split()) < 3:
        return []
    names = [(e.start_char, min(e.end_char, start + colon), e.label_) for e in doc.ents
             if start <= e.start_char < start + colon and e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    before = doc.char_span(start, start + colon, alignment_mode="expand")
    if not names or before is None or any(t.pos_ in ("VERB", "AUX") for t in before):
        return []   # "Amara Velk said: ...": a cue of its own, read as such
    if len(names) == 1 and _trim(text, names[0][1], start + colon)[0] == start + colon:
        s0, s1 = _trim(text, names[0][0], names[0][1])   # "A lesson from Amara Velk": the name
    else:
        s0, s1 = _trim(text, start, start + colon)
    return [Attribution(kind="direct" if text[c0 - 1:c0] in "\"“‘'" else "indirect",
                        content=Span.of(text, c0, c1), cue=Span.of(text, start + colon, start + colon + 1),
                        source=Span.of(text, s0, s1), medium=None, confidence=0.7)]


def _with_turns(records: list, turns: list[Attribution], headline: list[Attribution]) -> list:
    """The transcript's turns replace what else was found on their labels and their quote
    marks (the quotes the run-on marks seem to pair); what is said inside a turn stays. The
    headline's statement replaces a record of the same statement; a quotation inside it stays."""
    if not turns and not headline:
        return records
    kept = []
    for rec in records:
        att = rec[1]
        a = (att.content.start, att.content.end)
        turn = next((t for t in turns if min(a[1], t.content.end) > max(a[0], t.source.start)), None)
        if turn is not None and (a[0] <= turn.content.start or att.cue is None or att.source is None
                                 or not (turn.content.start <= att.cue.start < turn.content.end)):
            continue  # over the label, a quotation the run-on marks make, or cued from outside
        head = next((h for h in headline if min(a[1], h.content.end) > max(a[0], h.source.start)), None)
        if head is not None and (a[0] <= head.content.start or att.cue is not None
                                 and not head.content.start <= att.cue.start < head.content.end):
            continue  # the headline's statement found otherwise, or cued from outside it
        kept.append(rec)
    return kept + [(t.content.start, t, None) for t in turns + headline]


def _last_visible(text: str, end: int) -> int:
    """The index of the last non-space character before `end`, or -1 (`text[:end].rstrip()`
    without copying the text)."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i


FINITE = {"VBD", "VBZ", "VBP"}
DANGLING_CONJ = re.compile(r"\s+(?:and|but|or|yet)$")
TAIL_END = re.compile(r"[.!?]['’”\"]?\s+\S")
TAIL_JOIN = re.compile(r"(?:[,;]|[,;]?\s*['’”\"]+,?|\s+[—–-]{1,2})\s*(?:as\s+)?$")


def _without_own_cue(text: str, content: tuple[int, int], cue: tuple[int, int],
                     source: tuple[int, int] | None) -> tuple[int, int]:
    """What is said stops before who says it: "People like Scott, he said" is "People like
    Scott", and "“... every day,” he said" ends at the quote. A content that closes with its
    own source and cue after a comma, a closing quote mark or a dash (with at most a few words
    after the cue: "said in a statement") is cut there; a cue set in the middle of a quotation
    ("“A,” she said. “B.”") and a raising verb ("is expected to be Latino") are left be."""
    s, e = content
    if not (s < cue[0] < e):
        return content
    start = cue[0]
    if source is not None and s < source[0] < cue[0] and source[1] <= cue[0] + 1:
        start = source[0]
    tail = text[cue[1]:e]
    if len(tail.split()) > 5 or TAIL_END.search(tail) or "\n" in text[start:e]:
        return content
    m = TAIL_JOIN.search(text, s, start)
    if m is None or len(text[s:m.start()].split()) < 2:
        return content
    return _trim(text, s, m.start(), EDGE + "“”\"'‘’")


def _without_cue_conj(text: str, content: tuple[int, int], head, quote_at) -> tuple[int, int]:
    """What the cue introduces stops where the cue's own coordinated predicate begins: in
    "urged Veloria to bolster its defences but stopped short of naming a figure", "stopped"
    is coordinated with "urged" (the parse says so, and both are finite), so the content is
    "Veloria to bolster its defences". Only a finite verb after a conjunction of the cue's own
    counts, outside quote marks: the parse also hangs pieces of the content on the cue
    ("to triple the programme, grow the corps and create a reserve")."""
    s, e = content
    if s <= head.idx or head.tag_ not in FINITE:
        return content
    kids = list(head.children)
    cut = None
    for c in kids:
        if c.dep_ == "cc" and s < c.idx < e and not quote_at(c.idx):
            conj = next((k for k in kids if k.dep_ == "conj" and k.i > c.i), None)
            if conj is not None and conj.tag_ in FINITE and conj.idx < e and not quote_at(conj.idx):
                cut = c.idx if cut is None else min(cut, c.idx)
    if cut is None or len(text[s:cut].split()) < 2:
        return content
    return _trim(text, s, cut)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * (a[1] - a[0]) and inter >= 0.5 * (b[1] - b[0])


def _with_model(doc, quotes: list[Quote], lex: CueLexicon, models, rules: list[tuple[int, Attribution]]):
    """The learned finder decides which cues, contents and sources there are; the quote
    rules add what it leaves out (partial quotes inside a statement, continued quotes)."""
    text = doc_text(doc)
    ctx = Context.build(doc, quotes, lex)
    found = predict(ctx, models)
    _participle_sources(found, text)
    out: list[tuple[int, Attribution]] = []
    heads = set()
    in_quote = lambda i: ctx.quote_of_char[i] >= 0  # noqa: E731
    for f in found:
        content = _without_cue_conj(text, _without_own_cue(text, f.content, f.cue, f.source), f.head, in_quote)
        m = DANGLING_CONJ.search(text, content[0], content[1])
        if m is not None:  # "European nations to bolster defense spending but": the "but" opens what follows
            content = _trim(text, content[0], m.start())
        if len(text[content[0]:content[1]].split()) < 2:
            continue
        # a cue outside a quotation whose content lies inside it attributes the whole quotation
        holder = next((q for q in quotes if q.start - 2 <= content[0] and content[1] <= q.end + 2
                       and not (q.outer_start <= f.cue[0] < q.outer_end)), None)
        if holder is not None:
            content = (holder.start, holder.end)
        heads.add(f.head.i)
        inside = [q for q in quotes if q.start >= content[0] - 2 and q.end <= content[1] + 2]
        quoted = sum(q.end - q.start for q in inside)
        kind = "indirect"
        # "“A,” said X, a senator. “B.”": one quotation around its cue
        run = (len(inside) > 1 and content[0] <= f.cue[0] < content[1] and inside[0].start <= content[0] + 2
               and inside[-1].end >= content[1] - 2)
        if run or (inside and quoted >= 0.9 * (content[1] - content[0])):
            kind = "direct"
        elif inside and quoted >= 0.5 * (content[1] - content[0]):
            kind = "mixed"
        sent = f.head.sent
        medium = detect_medium(text, sent.start_char, sent.end_char, content, lex)
        cue = f.cue
        if cue[0] < content[0] < cue[1]:
            # a cue phrase never runs into what it introduces: "doubled [an additional tariff on]"
            cue = _trim(text, cue[0], content[0])
            if cue[0] >= cue[1] or not (cue[0] <= f.head.idx < cue[1]):
                continue
        out.append((content[0], Attribution(kind=kind, content=Span.of(text, *content), cue=Span.of(text, *cue),
                                            source=Span.of(text, *f.source) if f.source else None,
                                            medium=medium, confidence=round(f.score, 3)),
                    {"origin": "model", "p": f.cue_p, "pc": f.content_p, "head": f.head,
                     "ck": f.content_kind, "sk": f.source_kind}))
    for pos, att in rules:
        a = (att.content.start, att.content.end)
        if any(_overlap(a, (m.content.start, m.content.end)) for _, m, _ in out):
            continue
        origin = "rule_" + att.kind + ("_cue" if att.cue is not None else
                                       "_continued" if getattr(att, "_continues", None) is not None else "_free")
        if att.kind == "direct":
            # a partial quote inside a found statement ("he had a “highly productive” call") is
            # said by that statement's source; its cue and source are the statement's own
            outer = next((m for _, m, _ in out if m.source is not None and m.content.start - 2 <= a[0]
                          and a[1] <= m.content.end + 2), None)
            if any(m.kind == "direct" and m.content.start - 2 <= a[0] and a[1] <= m.content.end + 2
                   for _, m, _ in out):
                continue  # a piece of a quotation already found whole
            if outer is not None:
                if len(att.content.text.split()) < 2:
                    continue  # one quoted word in a statement is a term or a scare quote, not a quotation
                att.cue = att.source = None
                att._continues = outer  # resolved to the outer statement's speaker by the actors stage
                origin = "partial"
        if att.kind == "direct" or (att.cue is not None and att.source is not None and att.confidence >= 0.8
                                    and _cue_head(doc, att.cue) not in heads):
            out.append((pos, att, {"origin": origin, "p": att.confidence, "pc": 1.0, "head": None,
                                  "ck": origin, "sk": origin}))
    return out


def _bin(x: float, n: int = 10) -> str:
    return str(min(int(x * n), n - 1))


def _record_features(doc, records) -> list[list[str] | None]:
    """Features of each whole record for the record filter: how sure the cue and content
    models were, where the record came from, its kind, cue word, length and neighbours.
    A partial quote inside a found statement gets None: the filter leaves it be."""
    text = doc_text(doc)
    spans = [(att.content.start, att.content.end) for _, att, _ in records]
    cue_starts = Counter(att.cue.start for _, att, _ in records if att.cue is not None)
    first_line = text.find("\n", text.find(next((c for c in text if not c.isspace()), "x"))) if text else 0
    out: list[list[str] | None] = []
    for k, (_, att, meta) in enumerate(records):
        origin = meta["origin"]
        if origin == "partial":
            out.append(None)
            continue
        a = spans[k]
        head = meta["head"]
        if head is None and att.cue is not None:
            i = _cue_head(doc, att.cue)
            head = doc[i] if i is not None else None
        lemma = head.lemma_.lower() if head is not None else "-"
        kind = att.kind
        words = len(text[a[0]:a[1]].split())
        wb = "1" if words <= 1 else "2" if words <= 2 else "4" if words <= 4 else "8" if words <= 8 else \
            "16" if words <= 16 else "32" if words <= 32 else "big"
        nested = any(j != k and b[0] <= a[0] and a[1] <= b[1] and b != a for j, b in enumerate(spans))
        holds = any(j != k and a[0] <= b[0] and b[1] <= a[1] and b != a for j, b in enumerate(spans))
        touches = any(j != k and min(a[1], b[1]) > max(a[0], b[0]) for j, b in enumerate(spans))
        same_cue = att.cue is not None and cue_starts[att.cue.start] > 1
        src = att.source.text.lower() if att.source is not None else ""
        has_src = "pron" if src in PRONOUNS else "src" if src else "none"
        cue_after = att.cue is not None and att.cue.start >= a[1]
        if head is None:
            span = doc.char_span(a[0], a[1], alignment_mode="expand")
            head = span.root if span is not None else None
        sent = head.sent if head is not None else None
        s0, s1 = (sent.start_char, sent.end_char) if sent is not None else a
        stext = text[s0:s1]
        headline = a[0] < first_line
        line_start = text.rfind("\n", 0, a[0]) + 1
        before = text[line_start:a[0]].strip()
        body = text[a[0]:a[1]]
        first = body.split(None, 1)[0].lower().strip("“\"'‘") if body.strip() else ""
        last_char = text[a[1] - 1] if a[1] > a[0] else ""
        f = ["origin=" + origin, "kind=" + kind, "ok=" + origin + kind,
             "p=" + _bin(meta["p"]), "pc=" + _bin(meta["pc"], 5), "ppc=" + _bin(meta["p"], 5) + _bin(meta["pc"], 5),
             "lemma=" + lemma, "lk=" + lemma + kind, "words=" + wb, "wk=" + wb + kind,
             "nested=" + str(nested), "holds=" + str(holds), "touches=" + str(touches), "samecue=" + str(same_cue),
             "src=" + has_src, "srck=" + has_src + kind, "cueafter=" + str(cue_after),
             "headline=" + str(headline), "linestart=" + str(not before),
             "colon=" + str(":" in stext), "question=" + str("?" in body),
             "first=" + (first if first in DROP_WORDS else "other"),
             "lastq=" + str(last_char in "”\"'’"),
             "multisent=" + str(a[0] < s0 or a[1] > s1 + 1),
             "covers=" + _bin(min(1.0, (a[1] - a[0]) / max(1, s1 - s0)), 5),
             "ck=" + meta["ck"], "cknd=" + meta["ck"] + kind, "sk=" + meta["sk"],
             "po=" + _bin(meta["p"], 5) + origin, "pk=" + _bin(meta["p"], 5) + kind,
             "lp=" + lemma + _bin(meta["p"], 3)]
        out.append(f)
    return out


def _participle_sources(found, text: str) -> None:
    """"Reyle rejected accusations that his forces had shelled the village, calling the claim a
    fabrication": a participle's speaker is the speaker of the verb it hangs from, never a
    phrase inside what that verb reports."""
    by_head = {f.head.i: f for f in found}
    for f in found:
        h = f.head
        if h.dep_ not in ("advcl", "xcomp", "conj") or h.tag_ not in ("VBG", "VBN"):
            continue
        # the parser may hang the participle inside the reported clause ("had shelled ...,
        # calling"): the nearest verb above it that has a record of its own
        if f.source is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
            continue
        outer = next((by_head[a.i] for a in h.ancestors if a.i in by_head), None)
        if outer is None or outer.source is None:
            continue
        c0, c1 = outer.content
        left = h.left_edge
        if c0 < left.idx < c1 and c0 <= f.cue[0] < c1 and h.right_edge.idx >= c1 - len(h.right_edge.text) - 2:
            # the participle's clause closes the outer content: it is a statement of its own
            end = left.idx
            while end > c0 and text[end - 1] in " ,;:—–-":
                end -= 1
            outer.content = c0, end
            c1 = end
        if c0 <= f.source[0] and f.source[1] <= c1 and not c0 <= f.cue[0] < c1:
            f.source = outer.source


def _cue_head(doc, cue: Span) -> int | None:
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return span.root.i if span is not None else None
