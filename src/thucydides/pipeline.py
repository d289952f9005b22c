"""The pipeline: articles in, analysis records out, through one spaCy model per process.

Every stage reads the parsed `Doc` and adds to the `Analysis`; none re-tokenises or
re-parses. Articles go through `nlp.pipe` in batches, each batch inside
`nlp.memory_zone()`: the strings spaCy interns while parsing it (every new name, number
and typo) are freed when the batch is done, so a process that analyses millions of
articles keeps the memory it had after the first thousands. Nothing from the zone leaves
it: the records hold only Python strings and numbers, made before the zone closes.
glibc keeps the memory a zone frees for itself rather than return it to the system, so
when resident memory has grown by a few MiB since the last time, the pipeline asks it to
(`malloc_trim`) after a zone.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .extract.actors import ActorResolver, ArticleActors, finish_actors, resolve_speakers
from .extract.attributions import cue_lexicon, extract_attributions
from .knowledge.kb import knowledge_base
from .model import Analysis, Article
from .nlp import know_text, load_nlp

STAGES = ("attributions", "actors", "speakers", "events", "finish")
TRIM_GROWTH = 4 << 20  # bytes of resident growth since the last trim that make one worth its few ms


def _load_malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (macOS, musl, Windows)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _load_malloc_trim()
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident() -> int:
    """This process's resident memory in bytes (Linux), or 0 where it cannot be read."""
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
        try:
            return int(os.read(fd, 128).split()[1]) * _PAGE
        finally:
            os.close(fd)
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class _Work:
    """What the stages of one article pass on to each other."""

    analysis: Analysis
    actors: ArticleActors | None = None


class Pipeline:
    """Analyse articles. Build one per process and reuse it: the model, the knowledge base,
    its matcher and the lexicons are loaded and compiled once, here."""

    def __init__(self, actors_files: Iterable[str] = (), batch_size: int = 16) -> None:
        self.nlp = load_nlp()
        self.kb = knowledge_base(tuple(actors_files))
        self.lexicon = cue_lexicon()
        self.resolver = ActorResolver(self.kb, self.nlp)
        from .extract.events import EventCoder

        self.events = EventCoder(self.kb)
        self.batch_size = max(1, int(batch_size))
        self._trimmed = _resident()  # resident memory after the last trim
        self.stages: tuple[tuple[str, Callable[[Any, _Work], None]], ...] = (
            ("attributions", self._attributions), ("actors", self._actors), ("speakers", self._speakers),
            ("events", self._events), ("finish", self._finish))

    # ---------------------------------------------------------------- the stages, in order
    def _attributions(self, doc, w: _Work) -> None:
        w.analysis.attributions = extract_attributions(doc, self.lexicon)

    def _actors(self, doc, w: _Work) -> None:
        w.actors = self.resolver.resolve(doc, w.analysis)

    def _speakers(self, doc, w: _Work) -> None:
        resolve_speakers(doc, self.resolver, w.actors, w.analysis.attributions)

    def _events(self, doc, w: _Work) -> None:
        w.analysis.events = self.events.code(doc, w.analysis, self.resolver, w.actors)

    def _finish(self, doc, w: _Work) -> None:
        finish_actors(w.actors, w.analysis)

    def analyze_doc(self, doc, article: Article, times: dict[str, float] | None = None) -> Analysis:
        """The record of one parsed article. With `times`, add each stage's seconds to it
        (the benchmarks' per-stage costs)."""
        work = _Work(Analysis.for_article(article))
        know_text(doc, article.text)
        if times is None:
            for _, stage in self.stages:
                stage(doc, work)
        else:
            clock = time.perf_counter
            for name, stage in self.stages:
                t0 = clock()
                stage(doc, work)
                times[name] = times.get(name, 0.0) + clock() - t0
        return work.analysis

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse a stream of articles in batches, yielding records in input order.

        Each batch is parsed and analysed inside one `nlp.memory_zone()`, and its records
        are yielded only after the zone has closed, so no Doc, Token or interned string
        outlives it."""
        it = iter(articles)
        while True:
            batch = list(islice(it, self.batch_size))
            if not batch:
                return
            with self.nlp.memory_zone():
                docs = self.nlp.pipe([art.text for art in batch], batch_size=self.batch_size)
                records = [self.analyze_doc(doc, art) for doc, art in zip(docs, batch)]
                del docs
            if _malloc_trim is not None and _resident() > self._trimmed + TRIM_GROWTH:
                _malloc_trim(0)  # hand what the zone freed back to the system
                self._trimmed = _resident()
            yield from records

    def analyze(self, article: Article) -> Analysis:
        return next(self.analyze_many([article]))


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze(text: str, *, published: str | None = None, title: str | None = None,
            source: str | None = None, path: str | None = None) -> Analysis:
    """Analyse one text: `analyze(text, published="2025-02-13").attributions`."""
    return default_pipeline().analyze(Article(text=text, published=published, title=title, source=source,
                                              path=path))
