"""The pipeline: articles in, analysis records out, through one spaCy model per process.

Every stage reads the parsed `Doc` and adds to the `Analysis`; none re-tokenises or
re-parses. Articles go through `nlp.pipe` in batches.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .extract.actors import ActorResolver, finish_actors, resolve_speakers
from .extract.attributions import cue_lexicon, extract_attributions
from .knowledge.kb import knowledge_base
from .model import Analysis, Article
from .nlp import load_nlp


class Pipeline:
    """Analyse articles. Build one per process and reuse it: the model and the knowledge
    base are loaded once, here."""

    def __init__(self, actors_files: Iterable[str] = (), batch_size: int = 16) -> None:
        self.nlp = load_nlp()
        self.kb = knowledge_base(tuple(actors_files))
        self.lexicon = cue_lexicon()
        self.resolver = ActorResolver(self.kb, self.nlp)
        from .extract.events import EventCoder

        self.events = EventCoder(self.kb)
        self.batch_size = batch_size

    def analyze_doc(self, doc, article: Article) -> Analysis:
        analysis = Analysis.for_article(article)
        analysis.attributions = extract_attributions(doc, self.lexicon)
        st = self.resolver.resolve(doc, analysis)
        resolve_speakers(doc, self.resolver, st, analysis.attributions)
        analysis.events = self.events.code(doc, analysis, self.resolver, st)
        finish_actors(st, analysis)
        return analysis

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse a stream of articles in batches, yielding records in input order."""
        pairs = ((art.text, art) for art in articles)
        for doc, art in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield self.analyze_doc(doc, art)

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
