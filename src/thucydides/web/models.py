"""The HTTP API's request and response shapes: they make `/openapi.json` a usable document.

Field names are those of the store's listings (`thucydides quotes --json` etc.) and of the
contract record (`../shared/docs/CONTRACT.md`); fields may be added, none renamed.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_ANALYZE_CHARS = 100_000


class Problem(BaseModel):
    detail: str = Field(description="what went wrong, and what to do")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: Literal["sqlite", "postgresql"]
    schema_version: int
    contract: int = Field(description="version of the analysis record served by /api/articles/{id}")
    read_only: bool


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow")
    articles: int
    duplicates: int
    attributions: int
    events: int
    actors: int
    mentions: int


# ---------------------------------------------------------------- the contract record

class Span(BaseModel):
    start: int
    end: int
    text: str


class RecordActor(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    wikidata: str | None = None
    mentions: list[Span] = []


class RecordAttribution(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str
    content: Span
    cue: Span | None = None
    source: Span | None = None
    speaker: str | None = None
    medium: str | None = None
    confidence: float


class RecordEvent(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    mode: str | None = None
    cameo: str | None = None
    goldstein: float | None = None
    quad: str | None = None
    source: list[str] = []
    target: list[str] = []
    source_span: Span | None = None
    target_span: Span | None = None
    trigger: Span | None = None
    sentence: Span
    date: str | None = None
    location: str | None = None
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    reported_by: str | None = None
    confidence: float


class Record(BaseModel):
    """The analysis record of one article (contract version 1): every span indexes `text`."""
    model_config = ConfigDict(extra="allow")
    id: str
    path: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    text: str
    actors: list[RecordActor]
    attributions: list[RecordAttribution]
    events: list[RecordEvent]


# ---------------------------------------------------------------- listings

class Quote(BaseModel):
    """A statement with its speaker and its evidence: the sentence and the offsets in the article."""
    article_id: str
    link: str | None = Field(description="the article's URL or path")
    title: str | None
    published: str | None
    source: str | None
    n: int = Field(description="index of the statement in the article record's `attributions`")
    speaker: str | None = Field(description="actor id of the speaker, or null")
    speaker_name: str | None
    country: str | None
    role: str | None
    kind: str
    cue: str | None
    content: str
    content_start: int
    content_end: int
    source_text: str | None
    medium: str | None
    confidence: float
    sentence: str


class Page(BaseModel):
    total: int = Field(description="how many match in all")
    limit: int
    offset: int


class QuotePage(Page):
    total_exact: bool = Field(description="false when `total` is a lower bound: a search with other filters "
                                          "counts its matches up to 1,000")
    quotes: list[Quote]


class ArticleSummary(BaseModel):
    id: str
    link: str | None
    title: str | None
    published: str | None
    source: str | None
    author: str | None
    statements: int
    events: int


class ArticlePage(Page):
    articles: list[ArticleSummary]


class ActorSummary(BaseModel):
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    role: str | None
    wikidata: str | None
    articles: int = Field(description="articles that name the actor")
    statements: int = Field(description="statements the actor made")
    events: int = Field(description="events the actor took part in, on either side")


class ActorPage(Page):
    actors: list[ActorSummary]


class EventRow(BaseModel):
    article_id: str
    link: str | None
    title: str | None
    published: str | None
    n: int = Field(description="index of the event in the article record's `events`")
    date: str | None
    type: str
    mode: str | None
    cameo: str | None
    goldstein: float | None
    quad: str | None
    source: list[str]
    target: list[str]
    source_names: list[str]
    target_names: list[str]
    source_text: str | None
    target_text: str | None
    trigger: str | None
    trigger_start: int | None
    trigger_end: int | None
    location: str | None
    negated: bool
    hypothetical: bool
    future: bool
    reported_by: str | None
    confidence: float
    sentence: str
    sentence_start: int


class EventPage(Page):
    events: list[EventRow]


class TimelineMonth(BaseModel):
    month: str = Field(description="YYYY-MM, or 'undated'")
    statements: int
    acted: int = Field(description="events with the actor as source")
    acted_on: int = Field(description="events with the actor as target")
    cooperation: int
    conflict: int


class Counterpart(BaseModel):
    direction: Literal["to", "from"] = Field(description="'to': the actor acted on them; 'from': they acted on "
                                                         "the actor")
    id: str
    name: str
    country: str | None
    events: int
    cooperation: int
    conflict: int
    goldstein: float | None = Field(description="mean Goldstein score of those events")


class ActorDetail(BaseModel):
    actor: ActorSummary
    timeline: list[TimelineMonth]
    counterparts: list[Counterpart]
    quotes: list[Quote] = Field(description="the newest statements; /api/quotes?actor=ID pages through all")
    events: list[EventRow] = Field(description="the newest events; /api/events?actor=ID pages through all")


class NetworkNode(BaseModel):
    id: str
    name: str
    kind: str
    country: str | None
    weight: int = Field(description="events on the node's edges")
    outgoing: int = Field(description="events with the node as source")
    incoming: int = Field(description="events with the node as target")
    cooperation: int
    conflict: int


class NetworkEdge(BaseModel):
    source: str
    target: str
    kind: Literal["cooperation", "conflict"]
    weight: int = Field(description="number of events")
    goldstein: float | None = Field(description="mean Goldstein score")
    first: str | None
    last: str | None


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    total_edges: int = Field(description="edges before `limit` kept the heaviest")


# ---------------------------------------------------------------- analysis

class AnalyzeRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_ANALYZE_CHARS, description="the article text")
    published: str | None = Field(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"},
                                  description="publication date YYYY-MM-DD, for resolving dates and roles")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=1000)

    @field_validator("published")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD") from None
        return v

    @field_validator("text", "title", "source")
    @classmethod
    def _encodable(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError("the text is not valid Unicode (a lone surrogate)") from exc
        return v
