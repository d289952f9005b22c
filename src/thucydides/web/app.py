"""The HTTP API and the web page, read-only over one store.

    from thucydides.web import create_app
    app = create_app("thucydides.db")          # an ASGI app: uvicorn, TestClient, ...

Every route reads through a read-only connection (`store.readonly`), so the server cannot
change the store and an ingest can keep writing to it. Inputs are typed and bounded: a bad
one gets a 422 (or 404 for an id that is not there), never a 500. The page is static HTML,
CSS and JavaScript from `web/static`, with no CDN, and a Content-Security-Policy that
allows only those files.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import date
from enum import Enum
from importlib.resources import files
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator

from .. import __version__
from ..errors import InputError, ThucydidesError
from ..model import CONTRACT_VERSION, PLOVER_TYPES, Article
from ..store import SCHEMA_VERSION, Store, StoreError, browse
from . import models as m
from .pool import Busy, StorePool

log = logging.getLogger("thucydides.web")

STATIC = files("thucydides.web") / "static"
PAGES = ("/", "/quotes", "/articles", "/actors", "/network")
MAX_BODY_BYTES = 4 * m.MAX_ANALYZE_CHARS + 4096  # UTF-8 needs at most 4 bytes a character, JSON a little more

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

PloverType = Enum("PloverType", {t: t for t in PLOVER_TYPES}, type=str)  # type: ignore[misc]

# Typed, bounded inputs. No text reaches the store with a NUL character in it (PostgreSQL refuses
# it in text, and no stored text has one): in words it reads as a space, and an id with one is
# not found. Dates are ISO dates, not numbers taken for timestamps.
def _no_nul(value: str | None) -> str | None:
    return value.replace("\x00", " ") if value is not None else None


def _found(value: str | None) -> str | None:
    return value if value is None or "\x00" not in value else None


def _iso_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD") from None


_DATE = {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "json_schema_extra": {"format": "date"}}
SearchText = Annotated[str | None, Query(max_length=300, description='words (all must occur, stemmed) or '
                                                                     '"a quoted phrase"'), AfterValidator(_no_nul)]
Name = Annotated[str | None, Query(max_length=200), AfterValidator(_no_nul)]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3, or IGO")]
Since = Annotated[str | None, Query(description="on or after this date (YYYY-MM-DD)", **_DATE),
                  AfterValidator(_iso_date)]
Until = Annotated[str | None, Query(description="on or before this date (YYYY-MM-DD)", **_DATE),
                  AfterValidator(_iso_date)]
Offset = Annotated[int, Query(ge=0, le=100_000)]
MinConfidence = Annotated[float | None, Query(ge=0.0, le=1.0,
                                              description="only records the analyzer was at least this sure of (0-1)")]
Id = Annotated[str, Path(min_length=1, max_length=300)]

# Every error answers {"detail": "what went wrong, and what to do"}.
COMMON = {422: {"model": m.Problem, "description": "a parameter is missing, malformed or out of bounds"},
          503: {"model": m.Problem, "description": "the store cannot be read just now"}}
NOT_FOUND = {**COMMON, 404: {"model": m.Problem, "description": "no such id in the store"}}


def get_store(request: Request) -> Iterator[Store]:
    """A read-only store connection from the app's pool, for the length of one request."""
    with request.app.state.pool.store() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413, before anything parses it."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._too_large(send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Any) -> None:
        response = JSONResponse({"detail": f"the request body is over {self.limit} bytes; send at most "
                                           f"{m.MAX_ANALYZE_CHARS} characters of text"}, status_code=413)
        await response({"type": "http"}, None, send)


class Analyzer:
    """The NLP pipeline, loaded on the first POST /api/analyze and used by one request at a time."""

    def __init__(self) -> None:
        self._pipe = None
        self._lock = threading.Lock()

    def __call__(self, article: Article) -> dict[str, Any]:
        with self._lock:
            if self._pipe is None:
                from ..pipeline import Pipeline

                self._pipe = Pipeline()
            return self._pipe.analyze(article).to_dict()


def create_app(db: str, *, pool_size: int = 8) -> FastAPI:
    """The ASGI app over the store at `db` (a SQLite path or a postgresql:// URL), opened read-only.

    Raises StoreError at once when the store cannot be opened."""
    pool = StorePool(db, size=pool_size)
    analyzer = Analyzer()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.close()

    app = FastAPI(
        title="Thucydides",
        version=__version__,
        description="Who said what, and who did what to whom: quotations, speakers, actors and PLOVER/CAMEO events "
                    "from a Thucydides store, read-only. Every record carries its evidence: the article, the "
                    "sentence and the character offsets.",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN; the schema is at /openapi.json
        lifespan=lifespan,
    )
    app.state.pool = pool

    # ------------------------------------------------------------ errors and headers

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store: %s", exc)
        return JSONResponse({"detail": f"the store cannot be read: {exc}"}, status_code=503)

    @app.exception_handler(ThucydidesError)
    async def _thucydides_error(request: Request, exc: ThucydidesError) -> JSONResponse:
        log.error("%s", exc)
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"detail": problems or "invalid request"}, status_code=422)

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    # ------------------------------------------------------------ the API

    @app.get("/api/health", response_model=m.Health, responses=COMMON, tags=["store"])
    def health(store: StoreDep) -> dict[str, Any]:
        """The server is up and the store answers."""
        store.db.execute("SELECT 1")
        return {"status": "ok", "version": __version__, "database": store.dialect, "schema_version": SCHEMA_VERSION,
                "contract": CONTRACT_VERSION, "read_only": True}

    @app.get("/api/stats", response_model=m.Stats, responses=COMMON, tags=["store"])
    def stats(store: StoreDep) -> dict[str, int]:
        """How many articles, duplicates, statements, events, actors and mentions the store holds."""
        return store.stats()

    @app.get("/api/articles", response_model=m.ArticlePage, responses=COMMON, tags=["articles"])
    def articles(store: StoreDep, q: SearchText = None, since: Since = None, until: Until = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored articles, newest first; `q` searches their title and text."""
        rows, total = browse.articles(store.db, search=q, since=since, until=until, limit=limit,
                                      offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "articles": rows}

    @app.get("/api/articles/{article_id}", response_model=m.Record, responses=NOT_FOUND, tags=["articles"])
    def article(store: StoreDep, article_id: Id) -> dict[str, Any]:
        """The article's analysis record (contract version 1), exactly as stored."""
        record = store.get(article_id) if _found(article_id) else None
        if record is None:
            raise HTTPException(404, f"no article {article_id!r} in the store; /api/articles lists them")
        return record

    @app.get("/api/quotes", response_model=m.QuotePage, responses=COMMON, tags=["quotes"])
    def quotes(store: StoreDep, q: SearchText = None,
               speaker: Annotated[Name, Query(description="a part of the speaker's name, or an actor id")] = None,
               actor: Annotated[Name, Query(description="exactly this speaker (actor id)")] = None,
               country: Country = None, since: Since = None, until: Until = None,
               article: Annotated[Name, Query(description="only this article (id)")] = None,
               min_confidence: MinConfidence = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Offset = 0) -> dict[str, Any]:
        """Quotations and reported statements, newest article first; `q` is a full-text search."""
        rows, total, exact = browse.quotes(store.db, search=q, speaker=speaker, speaker_id=actor, country=country,
                                           since=since, until=until, article=article,
                                           min_confidence=min_confidence, limit=limit, offset=offset)
        return {"total": total, "total_exact": exact, "limit": limit, "offset": offset, "quotes": rows}

    @app.get("/api/actors", response_model=m.ActorPage, responses=COMMON, tags=["actors"])
    def actors(store: StoreDep, q: Annotated[Name, Query(description="a part of the name or id")] = None,
               country: Country = None,
               kind: Annotated[str | None, Query(pattern=r"^(person|organization|state|igo|group|unknown)$")] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Offset = 0) -> dict[str, Any]:
        """Actors, most quoted first, with how many articles, statements and events name them."""
        rows, total = browse.actors(store.db, search=q, country=country, kind=kind, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "actors": rows}

    @app.get("/api/actors/{actor_id}", response_model=m.ActorDetail, responses=NOT_FOUND, tags=["actors"])
    def actor(store: StoreDep, actor_id: Id,
              limit: Annotated[int, Query(ge=1, le=500, description="statements and events to include")] = 100,
              ) -> dict[str, Any]:
        """One actor: month by month what they said and did, whom they acted on and who acted on them, and
        their newest statements and events."""
        row = browse.actor(store.db, actor_id) if _found(actor_id) else None
        if row is None:
            raise HTTPException(404, f"no actor {actor_id!r} in the store; /api/actors lists them")
        quotes, _, _ = browse.quotes(store.db, speaker_id=actor_id, limit=limit, total=False)
        events, _ = browse.events(store.db, actor=actor_id, limit=limit)
        return {"actor": row, "timeline": browse.actor_timeline(store.db, actor_id),
                "counterparts": browse.counterparts(store.db, actor_id), "quotes": quotes, "events": events}

    @app.get("/api/events", response_model=m.EventPage, responses=COMMON, tags=["events"])
    def events(store: StoreDep,
               source: Annotated[Name, Query(description="acting party: actor id, a part of its name, or ISO3")] = None,
               target: Annotated[Name, Query(description="receiving party: id, a part of its name, or ISO3")] = None,
               actor: Annotated[Name, Query(description="this actor id on either side")] = None,
               type: Annotated[PloverType | None, Query(description="PLOVER event type")] = None,
               since: Since = None, until: Until = None,
               article: Annotated[Name, Query(description="only this article (id)")] = None,
               min_confidence: MinConfidence = None,
               asserted: Annotated[bool, Query(description="leave out negated and hypothetical events")] = False,
               limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Offset = 0) -> dict[str, Any]:
        """Coded events (who did what to whom), newest first, with their parties and evidence sentence."""
        rows, total = browse.events(store.db, source=source, target=target, actor=actor,
                                    type=type.value if type else None, since=since, until=until,
                                    article=article, min_confidence=min_confidence, asserted=asserted,
                                    limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "events": rows}

    @app.get("/api/network", response_model=m.Network, responses=COMMON, tags=["events"])
    def network(store: StoreDep, since: Since = None, until: Until = None,
                type: Annotated[PloverType | None, Query(description="only this PLOVER event type")] = None,
                asserted: Annotated[bool, Query(description="leave out negated and hypothetical events")] = True,
                limit: Annotated[int, Query(ge=1, le=2000, description="keep the heaviest edges")] = 300,
                ) -> dict[str, Any]:
        """Actors as nodes, events as weighted edges from source to target, split into cooperation and
        conflict by their PLOVER quad class."""
        return browse.network(store.db, since=since, until=until, type=type.value if type else None,
                              asserted=asserted, limit=limit)

    @app.post("/api/analyze", response_model=m.Record, tags=["analysis"],
              responses={**COMMON, 400: {"model": m.Problem, "description": "the body is not JSON"},
                         413: {"model": m.Problem, "description": "the request body is too large"}})
    def analyze(body: m.AnalyzeRequest) -> dict[str, Any]:
        """Analyse a text (at most 100,000 characters) and return its record; nothing is stored."""
        article = Article(text=body.text, title=body.title, source=body.source, published=body.published)
        try:
            return analyzer(article)
        except InputError as exc:
            raise HTTPException(422, str(exc)) from exc

    # ------------------------------------------------------------ the page

    index = STATIC / "index.html"

    def page() -> FileResponse:
        return FileResponse(str(index), media_type="text/html; charset=utf-8")

    for path in PAGES:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/articles/{article_id}", page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/actors/{actor_id}", page, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
