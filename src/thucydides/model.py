"""The analysis record (output contract, version 1) as typed Python objects.

Every stage reads and adds to these objects and nothing else; `Analysis.to_dict()` is the
JSON form that the CLI prints, the store keeps and the HTTP API serves.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit, urlunsplit

CONTRACT_VERSION = 1

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ACTOR_KINDS = ("person", "organization", "state", "igo", "group", "unknown")
ATTRIBUTION_KINDS = ("direct", "indirect", "mixed")
QUADS = ("verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict")


@dataclass(frozen=True)
class Span:
    """A stretch of the article text: `text == article_text[start:end]` (code points, end exclusive)."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Span | None:
        if d is None:
            return None
        return cls(int(d["start"]), int(d["end"]), d["text"])


def _span_or_none(d: dict[str, Any] | None) -> Span | None:
    return Span.from_dict(d)


@dataclass
class Article:
    """An input document: its text (the thing every offset indexes) and its metadata."""

    text: str
    id: str | None = None
    path: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = article_id(self.text)


def normalise_text(text: str) -> str:
    """The form an article's id is computed from: NFC, whitespace collapsed, case kept."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def normalise_url(url: str) -> str:
    """The form a URL-based id is computed from: no fragment, no utm_ tracking, lower-case host."""
    parts = urlsplit(url.strip())
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith("utm_"))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def url_article_id(url: str) -> str:
    """The id of an article that the source names by URL (a feed entry, a WARC record, a page):
    the same page read again, even with edited text, keeps its id."""
    return hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:16]


@dataclass
class Actor:
    id: str
    name: str
    kind: str = "unknown"
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    wikidata: str | None = None
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "mentions"}
        d["mentions"] = [m.to_dict() for m in self.mentions]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        kw = {f.name: d.get(f.name) for f in fields(cls) if f.name != "mentions"}
        kw["kind"] = kw.get("kind") or "unknown"
        return cls(**kw, mentions=[Span.from_dict(m) for m in d.get("mentions", [])])


@dataclass
class Attribution:
    kind: str
    content: Span
    cue: Span | None = None
    source: Span | None = None
    speaker: str | None = None
    medium: str | None = None
    confidence: float = 0.5

    def __post_init__(self) -> None:
        self.confidence = round(float(self.confidence), 3)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": self.speaker,
            "medium": self.medium,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(
            kind=d["kind"], content=Span.from_dict(d["content"]), cue=_span_or_none(d.get("cue")),
            source=_span_or_none(d.get("source")), speaker=d.get("speaker"), medium=d.get("medium"),
            confidence=float(d.get("confidence", 0.5)),
        )


@dataclass
class Event:
    type: str
    sentence: Span
    trigger: Span | None = None
    mode: str | None = None
    cameo: str | None = None
    goldstein: float | None = None
    quad: str | None = None
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    source_span: Span | None = None
    target_span: Span | None = None
    date: str | None = None
    location: str | None = None
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    reported_by: str | None = None
    confidence: float = 0.5

    _SPANS = ("sentence", "trigger", "source_span", "target_span")

    def __post_init__(self) -> None:
        self.confidence = round(float(self.confidence), 3)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in self._SPANS:
                v = v.to_dict() if v else None
            elif isinstance(v, list):
                v = list(v)
            d[f.name] = v
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        kw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in d:
                continue
            v = d[f.name]
            kw[f.name] = _span_or_none(v) if f.name in cls._SPANS else v
        kw["source"] = list(kw.get("source") or [])
        kw["target"] = list(kw.get("target") or [])
        return cls(**kw)


@dataclass
class Analysis:
    """The analysis of one article: the contract record."""

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    actors: list[Actor] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def for_article(cls, article: Article) -> Analysis:
        return cls(id=article.id or article_id(article.text), text=article.text, path=article.path,
                   title=article.title, published=article.published, source=article.source)

    def actor(self, actor_id: str | None) -> Actor | None:
        if actor_id is None:
            return None
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "path": self.path, "title": self.title, "published": self.published,
            "source": self.source, "text": self.text,
            "actors": [a.to_dict() for a in self.actors],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        return cls(
            id=d["id"], text=d["text"], path=d.get("path"), title=d.get("title"),
            published=d.get("published"), source=d.get("source"),
            actors=[Actor.from_dict(a) for a in d.get("actors", [])],
            attributions=[Attribution.from_dict(a) for a in d.get("attributions", [])],
            events=[Event.from_dict(e) for e in d.get("events", [])],
        )

    def spans(self):
        """Every span in the record, for checking the offset invariant."""
        for a in self.actors:
            yield from a.mentions
        for at in self.attributions:
            yield from (s for s in (at.content, at.cue, at.source) if s)
        for e in self.events:
            yield from (s for s in (e.sentence, e.trigger, e.source_span, e.target_span) if s)


__all__ = [
    "CONTRACT_VERSION",
    "PLOVER_TYPES",
    "Actor",
    "Analysis",
    "Article",
    "Attribution",
    "Event",
    "Span",
    "article_id",
    "asdict",
    "url_article_id",
]
