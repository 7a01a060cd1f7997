"""The web UI and its JSON API: a thin, read-only layer over the Store protocol.

Every page ``/X`` has a twin ``/X.json`` with the same data (the pydantic models of ``models.py``)
and the same query string. A request with the ``HX-Request`` header (htmx) gets the page's main
fragment, any other the whole page. Templates autoescape everything; the only markup built in code
comes from ``markup.render``, which escapes every piece of text itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import gc
import hashlib
import inspect
import mimetypes
import re
import threading
import typing
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quotegraph import __version__
from quotegraph.errors import (
    BadRequest,
    DocumentNotFound,
    MethodNotAllowed,
    NotFound,
    QuotegraphError,
    QuoteNotFound,
    UnknownExportFormat,
    WebError,
)
from quotegraph.export import FORMATS
from quotegraph.export import render as render_export
from quotegraph.export.common import merge_metadata
from quotegraph.link.network import restrict
from quotegraph.link.timeline import Statement, within
from quotegraph.model import Quote
from quotegraph.store import SEARCH_FACETS, DocumentRow, MarkedQuote, QuoteRow, Store, open_store
from quotegraph.verify import compare
from quotegraph.verify.corpus import edit_json
from quotegraph.web import models
from quotegraph.web.corpus import HIGHLIGHT, Corpus, CorpusView
from quotegraph.web.markup import split_marked
from quotegraph.web.pagecache import Headers, Key, PageCache
from quotegraph.web.pages import (
    CITE_FORMATS,
    CORPUS_FORMATS,
    STATIC,
    compile_templates,
    downloads,
    page,
    render_page,
)
from quotegraph.web.urls import decode_cursor, doc_url, entity_url, link, next_link, quote_url

CONTEXT = 320  # characters of text shown around a quotation
BUILD_THREADS = 2  # pages built at once per process (anyio's default, 40, halved cold throughput)

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorResponse, "description": "a parameter or cursor is invalid (QG602, QG603)"},
    404: {"model": models.ErrorResponse, "description": "no such document, quotation or entity (QG301, QG601)"},
}


class _Moved(Exception):
    """Raised by a view when the resource has a canonical address (an id) other than the one asked for."""

    def __init__(self, path: str) -> None:
        self.path = path


class _SecurityHeaders:
    """Plain ASGI middleware (cheaper than BaseHTTPMiddleware): the same headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


class _StaticFiles:
    """The vendored files of ``static/`` (stylesheet, icon, htmx), read once and answered from memory
    with an ETag: Starlette's StaticFiles reads and stats each file in a worker thread, which cost
    some 3 ms a request. Only the files found at start-up exist, so no path can leave the folder; any
    other ``/static/`` address goes on to the application's 404."""

    def __init__(self, app: ASGIApp, directory: Path) -> None:
        self.app = app
        self.files: dict[str, tuple[bytes, Headers]] = {}
        for path in sorted(directory.iterdir()):
            if not path.is_file():
                continue
            body = path.read_bytes()
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if media.startswith("text/") or media in ("application/javascript", "image/svg+xml"):
                media += "; charset=utf-8"
            versioned = re.search(r"-\d+(\.\d+)+(\.min)?\.\w+$", path.name) is not None
            etag = b'"' + hashlib.sha256(body).hexdigest()[:20].encode() + b'"'
            headers = [
                (b"content-type", media.encode()),
                (b"etag", etag),
                (b"cache-control", b"public, max-age=31536000, immutable" if versioned else b"public, max-age=3600"),
            ]
            self.files["/static/" + path.name] = (body, headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.files.get(scope["path"]) if scope["type"] == "http" else None
        if found is None or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        body, headers = found
        etag = headers[1][1]
        if any(name == b"if-none-match" and etag in value for name, value in scope["headers"]):
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


class _ResponseCache:
    """Pure ASGI layer in front of routing: a GET answered with 200 is kept, headers and body as sent,
    under (path, query string, htmx or not) and the store's revision in the ``PageCache``, and sent
    again as it was while the revision stays the same — no routing, validation, thread hop or
    template. The store is read-only here and every page a function of its revision and URL; the
    ``Accept`` header only chooses the shape of errors, which are never kept.

    Requests for a page that is being built wait for that build instead of building it again: when
    many clients ask for the same new page at once (a link shared, a cold server), it is built once."""

    def __init__(self, app: ASGIApp, stores: _Stores, pages: PageCache) -> None:
        self.app = app
        self.stores = stores
        self.pages = pages
        self._building: dict[tuple[Any, ...], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        fragment = any(name == b"hx-request" and value == b"true" for name, value in scope["headers"])
        key: Key = (scope["path"], scope["query_string"], fragment)
        revision = self.stores.get().revision()  # PRAGMA data_version: microseconds while nothing changed
        building = self._building.get((revision, *key))
        if building is not None:
            await building.wait()
        found = self.pages.get(revision, key)
        if found is not None:
            await send({"type": "http.response.start", "status": 200, "headers": found[0]})
            await send({"type": "http.response.body", "body": found[1]})
            return
        if building is None:
            building = self._building[(revision, *key)] = asyncio.Event()
            try:
                await self._build(scope, receive, send, key, revision)
            finally:
                del self._building[(revision, *key)]
                building.set()
        else:  # the build waited for was not kept (an error, a redirect, too large): build this one
            await self._build(scope, receive, send, key, revision)

    async def _build(self, scope: Scope, receive: Receive, send: Send, key: Key, revision: str) -> None:
        """Run the application, keeping a 200 answer for the revision read before it ran."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and self.stores.get().revision() == revision:
                    # a page built while the store changed is never filed under the old revision
                    self.pages.put(revision, key, list(start["headers"]), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keeping)


# -- data → models ------------------------------------------------------------------------------


def document_summary(row: DocumentRow) -> models.DocumentSummary:
    return models.DocumentSummary(
        id=row.id,
        name=row.name,
        title=row.title,
        authors=list(row.authors),
        publication=row.publication,
        published=row.published,
        version=row.version,
        quote_count=row.quote_count,
        url=doc_url(row.id),
    )


def quotation_summary(q: QuoteRow) -> models.QuotationSummary:
    fields = (q.quote_id, q.start, q.end, q.text, q.kind, q.speaker, q.cue, q.work, q.page, q.edition, q.parent)
    marked = MarkedQuote(*fields)
    return models.QuotationSummary(**quotation_data(q.document_id, marked))


def quotation_data(document_id: str, q: MarkedQuote) -> dict[str, Any]:
    """The fields of ``models.QuotationSummary``: as plain data for the reader, which lists hundreds,
    validated into the model elsewhere (``quotation_summary``)."""
    return {
        "document_id": document_id,
        "id": q.id,
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "speaker": q.speaker,
        "cue": q.cue,
        "work": q.work,
        "page": q.page,
        "edition": q.edition,
        "parent": q.parent,
        "permalink": f"{document_id}#{q.id}",
        "url": quote_url(document_id, q.id),
    }


def citation(meta: Mapping[str, Any]) -> str:
    """A plain citation: authors, “title”, publication volume/issue, pages, date."""
    parts = []
    if meta["authors"]:
        parts.append(", ".join(meta["authors"]))
    parts.append(f"“{meta['title']}”" if meta["title"] else meta["name"])
    publication = meta["publication"] or ""
    if meta["volume"]:
        publication += f" {meta['volume']}"
    if meta["issue"]:
        publication += f" ({meta['issue']})"
    if publication:
        parts.append(publication.strip())
    if meta["pages"]:
        parts.append(f"pp. {meta['pages']}")
    if meta["published"]:
        parts.append(meta["published"])
    return ". ".join(p.rstrip(".") for p in parts) + "."


def _parameters_model(fn: Callable[..., Any]) -> type[BaseModel]:
    """A view's parameters but ``request`` (path and query, with their defaults, aliases and bounds)
    as one pydantic model. The HTML twin of a page built on the loop validates a request's parameters
    with it in one call: FastAPI's own solving, which inspects every parameter's type again on each
    request, cost ~0.2 ms for search's ten, some 5 % of a new search page. The JSON twin keeps FastAPI's,
    which documents the parameters in the OpenAPI schema; the tests hold the two to the same answers."""
    hints = typing.get_type_hints(fn)
    fields: dict[str, Any] = {
        name: (hints[name], ... if parameter.default is inspect.Parameter.empty else parameter.default)
        for name, parameter in inspect.signature(fn).parameters.items()
        if name != "request"
    }
    return create_model(f"{fn.__name__}_parameters", **fields)


def _parameters(model: type[BaseModel], request: Request) -> dict[str, Any]:
    """The view's arguments from the request, or the RequestValidationError FastAPI would raise."""
    try:
        values = model.model_validate({**request.query_params, **request.path_params})
    except ValidationError as exc:
        errors = [
            {**e, "loc": ("path" if e["loc"][0] in request.path_params else "query", *e["loc"])} for e in exc.errors()
        ]
        raise RequestValidationError(errors) from None
    return {"request": request, **dict(values)}


def _facet_values(
    request: Request, name: str, counts: Sequence[tuple[str, int]], selected: str | None
) -> list[dict[str, Any]]:
    """The values of facet ``name`` (the fields of ``models.FacetValue``, as plain data), each with the
    link that applies it (or removes it when selected): this page's query string without its cursor,
    the value in ``name``'s place or last, as ``link`` writes it. The other parameters are encoded
    once, not once per value."""
    if not counts:
        return []
    others: list[str] = []  # the other non-empty parameters, encoded
    place: int | None = None  # where among them ``name`` is
    for key, value in {k: v for k, v in request.query_params.items() if k != "cursor"}.items():
        if key == name:
            place = len(others)
        elif value:
            others.append(urlencode({key: value}))
    place = len(others) if place is None else place
    path = request.url.path
    out = []
    for value, count in counts:
        query = (
            others if value == selected or not value else [*others[:place], urlencode({name: value}), *others[place:]]
        )
        out.append(
            {
                "value": value,
                "count": count,
                "selected": value == selected,
                "url": path + "?" + "&".join(query) if query else path,
            }
        )
    return out


def _count_row(name: str, count: int, document_count: int, url: str) -> models.CountRow:
    return models.CountRow(name=name, count=count, document_count=document_count, url=url)


def _first_year(value: str | None) -> int | None:
    match = re.match(r"^(\d{4})", value or "")
    return int(match.group(1)) if match else None


# -- the application ----------------------------------------------------------------------------


class _Stores:
    """One read-only connection per server thread (sqlite3 connections are not shared)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db, read_only=True)
            self._local.store = store
        return store


def create_app(db: str, shared_pages: Path | None = None) -> FastAPI:
    """The application over the store ``db``, opened read-only (it must exist). ``shared_pages``: a
    file where the server's processes share the pages they built (``quotegraph serve --workers``)."""
    stores = _Stores(db)
    corpus = Corpus()
    with open_store(db, read_only=True) as store:  # fails now, with a numbered error, not on a request
        corpus.view(store)  # the merged entities every page links to, before the first request waits for them
    compile_templates()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Few build threads: builds hold the GIL, so more threads only interleave them, and each thread
        has its own connection with its own page cache and facet data to fill before it is fast."""
        anyio.to_thread.current_default_thread_limiter().total_tokens = BUILD_THREADS
        # Garbage collection, tuned for a server process (measured over 300 new reader pages of the
        # 500-document load store): what start-up built (the corpus view, templates) lives as long as
        # the process, so it is frozen out of the collector's generations — full collections had
        # paused requests for up to 107 ms each (300 ms in all), now 2 ms; and a page build makes
        # thousands of short-lived objects at once, so the youngest generation is collected after
        # 10,000 allocations instead of 700 — 833 collections and 0.9 ms per page before, 2 in all after.
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="quotegraph",
        version=__version__,
        description="Who said what, when, quoting whom. Every page has a JSON twin: add `.json` to its path. "
        'Errors: `{"error": {"code", "message", "status"}}` (docs/api.md).',
        docs_url=None,  # Swagger UI would load scripts from a CDN; /openapi.json is the schema
        redoc_url=None,
    )
    app.add_middleware(_StaticFiles, directory=STATIC)
    app.add_middleware(_SecurityHeaders)
    # outermost: it keeps the security headers too
    app.add_middleware(_ResponseCache, stores=stores, pages=PageCache(shared_pages))

    _install_error_handlers(app)

    def twin(
        path: str,
        model: type[Any],
        template: str,
        summary: str,
        selection: Callable[[Any], dict[str, str]] = lambda data: {},
        formats: Sequence[str] = CORPUS_FORMATS,
        on_loop: bool = False,
    ) -> Callable[[Callable[..., Any]], Any]:
        """Register ``fn`` as ``path`` (HTML) and ``path.json`` (the model); registered JSON first so
        that ``/doc/{id}`` does not swallow ``/doc/{id}.json``. ``fn`` returns the model, or its fields
        as plain data (dicts and lists), which the JSON twin validates into the model and the template
        reads as they are. ``selection`` gives the export filters of the page's data, for its download
        links.

        ``on_loop``: build the page on the event loop rather than in a thread. Right for pages whose
        cost does not grow with the corpus (one document, one quotation, one page of search hits, a
        few milliseconds): a build holds the GIL either way, and the hop to a thread and back cost
        about a millisecond, a third of such a build. Pages that read the whole corpus go to a thread
        so that the process keeps answering, from the cache, while they are built."""

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            def json_response(**kwargs: Any) -> Response:
                request = kwargs["request"]
                try:
                    data = fn(**kwargs)
                    body = (data if isinstance(data, BaseModel) else model.model_validate(data)).model_dump_json()
                except _Moved as moved:
                    return RedirectResponse(link(moved.path + ".json", dict(request.query_params)), 307)
                return Response(body.encode(), media_type="application/json", headers={"Vary": "HX-Request"})

            def html_response(**kwargs: Any) -> Response:
                request = kwargs["request"]
                try:
                    data = fn(**kwargs)
                except _Moved as moved:
                    return RedirectResponse(link(moved.path, dict(request.query_params)), 307)
                body = render_page(request, template, data=data, downloads=downloads(selection(data), formats))
                return HTMLResponse(body, headers={"Vary": "HX-Request"})

            as_json: Callable[..., Any]
            as_html: Callable[..., Any]
            if on_loop:  # FastAPI awaits a coroutine function on the loop instead of sending it to a thread
                parameters = _parameters_model(fn)

                async def as_json(**kwargs: Any) -> Response:
                    return json_response(**kwargs)

                async def as_html(request: Request) -> Response:
                    return html_response(**_parameters(parameters, request))

                as_json = functools.wraps(fn)(as_json)  # FastAPI reads the parameters from fn's signature
            else:
                as_json, as_html = functools.wraps(fn)(json_response), functools.wraps(fn)(html_response)
            app.get(path + ".json", response_model=model, responses=ERROR_RESPONSES, summary=summary)(as_json)
            app.get(path, response_class=HTMLResponse, include_in_schema=False)(as_html)
            return fn

        return register

    # -- overview --------------------------------------------------------------------------------

    @twin("/", models.Overview, "overview.html", "Corpus overview")
    def overview(request: Request) -> models.Overview:
        store = stores.get()
        stats = store.stats()
        view = corpus.view(store)
        entities = view.entities
        years = Counter(y for y in (_first_year(r.value) for r in store.date_rows()) if y is not None)
        return models.Overview(
            stats=models.Stats(
                documents=stats.documents,
                versions=stats.versions,
                quotations=stats.quotations,
                speakers=stats.speakers,
                works=stats.works,
                dates=stats.dates,
                entities=len(entities),
            ),
            top_speakers=[
                _count_row(
                    s.speaker, s.quote_count, s.document_count, link("/search", {"q": s.speaker, "speaker": s.speaker})
                )
                for s in store.speakers()[:10]
            ],
            top_works=[_count_row(*w) for w in view.cited_works(store)[:10]],
            top_entities=[
                _count_row(e.canonical, len(e.occurrences), len(e.documents), entity_url(view.id_of(e)))
                for e in entities[:12]
            ],
            years=[models.YearCount(year=y, count=n) for y, n in sorted(years.items())],
        )

    # -- documents -------------------------------------------------------------------------------

    @twin("/documents", models.DocumentsPage, "documents.html", "Documents, with facets")
    def documents(
        request: Request,
        author: str | None = None,
        publication: str | None = None,
        year: str | None = None,
        cursor: str | None = None,
        limit: int = Query(50, ge=1, le=200),
    ) -> models.DocumentsPage:
        offset = decode_cursor(cursor)
        rows = stores.get().documents()
        filters = {k: v for k, v in {"author": author, "publication": publication, "year": year}.items() if v}

        def facet_of(row: DocumentRow) -> dict[str, tuple[str, ...]]:
            y = _first_year(row.published)
            return {
                "author": row.authors,
                "publication": (row.publication,) if row.publication else (),
                "year": (str(y),) if y else (),
            }

        chosen = [r for r in rows if all(v in facet_of(r)[k] for k, v in filters.items())]
        counts: dict[str, Counter[str]] = {"author": Counter(), "publication": Counter(), "year": Counter()}
        for r in chosen:
            for name, values in facet_of(r).items():
                counts[name].update(set(values))
        facets = {
            name: _facet_values(
                request,
                name,
                sorted(c.items()) if name == "year" else sorted(c.items(), key=lambda kv: (-kv[1], kv[0])),
                filters.get(name),
            )
            for name, c in counts.items()
        }
        return models.DocumentsPage(
            filters=filters,
            total=len(chosen),
            items=[document_summary(r) for r in chosen[offset : offset + limit]],
            facets={name: [models.FacetValue(**v) for v in values] for name, values in facets.items()},
            next=next_link(request, offset, limit, len(chosen)),
        )

    @twin(
        "/doc/{document_id}",
        models.DocumentView,
        "document.html",
        "A document with its quotations, entities, dates",
        selection=lambda data: {"document": data["document"]["id"]},
        formats=CITE_FORMATS,
        on_loop=True,
    )
    def document(request: Request, document_id: str, version: int | None = Query(None, ge=1)) -> dict[str, Any]:
        """The fields of ``models.DocumentView`` as plain data: validating a model for each of a few hundred
        entity spans cost more than the rest of the page, so only the JSON twin does (see ``twin``)."""
        store = stores.get()
        marked = store.marked_document(document_id, version=version)
        doc, doc_id, current = marked.document, marked.document.id, marked.current
        if document_id != doc_id:
            raise _Moved(doc_url(doc_id))
        entity_at = corpus.view(store).entity_at
        meta = merge_metadata(marked.analysis_metadata, doc.metadata)
        fields = {
            "id": doc_id,
            "name": doc.name,
            "title": meta.title,
            "authors": list(meta.authors),
            "publication": meta.publication,
            "volume": meta.volume,
            "issue": meta.issue,
            "pages": meta.pages,
            "published": meta.published,
            "posted": meta.posted,
            "editor": meta.editor,
            "transcriber": meta.transcriber,
            "archive": meta.archive,
        }
        return {
            "document": {
                **fields,
                "format": doc.format,
                "encoding": doc.encoding,
                "repairs": list(doc.repairs),
                "version": marked.version,
                "versions": marked.versions,
                "current": current,
                "ingested_at": marked.ingested_at,
                "content_hash": doc.content_hash,
                "citation": citation(fields),
                "url": doc_url(doc_id),
            },
            "text": doc.text,
            "quotations": [quotation_data(doc_id, q) for q in marked.quotes],
            "entities": [
                {
                    "entity_id": entity_at(doc_id, e.start, e.end) if current else None,
                    "canonical": e.canonical,
                    "type": e.type,
                    "start": e.start,
                    "end": e.end,
                }
                for e in marked.entity_spans
            ],
            "dates": [{"start": d.start, "end": d.end, "text": d.text, "value": d.value} for d in marked.dates],
            "boilerplate": [{"start": b.start, "end": b.end} for b in meta.boilerplate],
        }

    # -- quotation -------------------------------------------------------------------------------

    @twin(
        "/quote/{document_id}/{quote_id}",
        models.QuotationView,
        "quotation.html",
        "One quotation in context",
        selection=lambda data: {"quote": data.quotation.permalink},
        formats=CITE_FORMATS,
        on_loop=True,
    )
    def quotation(request: Request, document_id: str, quote_id: str) -> models.QuotationView:
        store = stores.get()
        found = store.quote_context(document_id, quote_id)  # not every quotation, entity and date: get_document
        row = found.row
        if document_id != row.id:
            raise _Moved(quote_url(row.id, quote_id))
        q = found.quote
        if q is None:
            raise NotFound(
                f"document {row.id} has no quotation {quote_id!r}: its quotations are q1 to q{row.quote_count}"
            )
        text = found.text

        def summary(quote: Quote) -> models.QuotationSummary:
            return models.QuotationSummary(**quotation_data(row.id, MarkedQuote.of(quote)))

        source = None
        if q.source is not None:
            cited = q.source.citation
            source = models.SourceView(
                work=q.source.work,
                page=q.source.page,
                edition=q.source.edition,
                evidence=q.source.evidence,
                citation=models.Span(start=cited.start, end=cited.end) if cited else None,
                citation_text=cited.of(text) if cited else None,
            )
        return models.QuotationView(
            quotation=summary(q),
            confidence=q.confidence,
            closed=q.closed,
            speaker_span=models.Span(start=q.speaker_span.start, end=q.speaker_span.end) if q.speaker_span else None,
            cue_span=models.Span(start=q.cue_span.start, end=q.cue_span.end) if q.cue_span else None,
            speaker_entity_id=corpus.view(store).speaker_id(q.speaker) if q.speaker and found.current else None,
            source=source,
            document=document_summary(row),
            before=text[max(0, q.start - CONTEXT) : q.start],
            after=text[q.end : q.end + CONTEXT],
            parent=summary(found.parent) if found.parent is not None else None,
            children=[summary(c) for c in found.children],
            family=family(store, row.id, q),
            verification=verification(store, row.id, q.id),
        )

    def family(store: Store, document_id: str, q: Quote) -> list[dict[str, Any]]:
        """Every other occurrence of the quotation with how its words differ from these (the link step
        runs after every ingest, so no family means quoted nowhere else)."""
        found = store.family_of(document_id, q.id)
        if found is None:
            return []
        out = []
        for member in found.members:
            if (member.document_id, member.quote_id) == (document_id, q.id):
                continue
            comparison = compare(q.text, member.text)
            out.append(
                {
                    "permalink": member.permalink,
                    "url": quote_url(member.document_id, member.quote_id),
                    "document_name": member.document_name,
                    "speaker": member.speaker,
                    "kind": member.kind,
                    "text": member.text,
                    "relation": member.relation,
                    "similarity": member.similarity,
                    "edits": [edit_json(e) for e in comparison.edits],  # quoted: here, passage: there
                }
            )
        return out

    def verification(store: Store, document_id: str, quote_id: str) -> dict[str, Any] | None:
        """The stored verdict as plain data, with the source passage's words and address; None until
        ``quotegraph verify`` has run on this quotation."""
        verdict = store.verdict_of(document_id, quote_id)
        if verdict is None:
            return None
        data = dataclasses.asdict(verdict)
        source = verdict.source_document_id
        if source and verdict.passage_start is not None and verdict.passage_end is not None:
            text = store.texts([source]).get(source, "")
            data["passage_text"] = text[verdict.passage_start : verdict.passage_end]
            data["source_url"] = doc_url(source)
        return data

    # -- entity ----------------------------------------------------------------------------------

    @twin(
        "/entity/{entity_id}",
        models.EntityView,
        "entity.html",
        "One entity across the corpus",
        selection=lambda data: {"speaker": data.entity.canonical} if data.quotations_by else {},
    )
    def entity(request: Request, entity_id: str) -> models.EntityView:
        store = stores.get()
        view = corpus.view(store)
        found = view.lookup(entity_id)
        if found is None:
            raise NotFound(f"no entity {entity_id!r}: entity ids are on the overview and document pages")
        key, _ = found
        if key != entity_id:
            raise _Moved(entity_url(key))
        profile = view.profile(store, key)
        rows = {r.id: r for r in store.documents()}
        e = profile.entity
        return models.EntityView(
            entity=models.EntityRef(id=key, canonical=e.canonical, type=e.type, url=entity_url(key)),
            variants=list(e.variants),
            documents=[document_summary(rows[d]) for d in e.documents if d in rows],
            mention_count=len(profile.mentions),
            mentions=[
                models.Mention(
                    document_id=m.document_id,
                    document_name=m.document_name,
                    start=m.start,
                    end=m.end,
                    before=m.before,
                    text=m.text,
                    after=m.after,
                    url=doc_url(m.document_id),
                )
                for m in profile.mentions[:100]
            ],
            quotations_by=[quotation_summary(q) for q in profile.quotations_by],
            quotations_about=[quotation_summary(q) for q in profile.quotations_about],
            statements=[statement(view, s) for s in profile.statements],
        )

    def statement(view: CorpusView, s: Statement) -> models.Statement:
        refs = []
        for name in s.entities:
            found = view.lookup(name)
            if found is not None:
                refs.append(
                    models.EntityRef(
                        id=found[0], canonical=found[1].canonical, type=found[1].type, url=entity_url(found[0])
                    )
                )
        return models.Statement(
            value=s.value,
            precision=s.precision,
            date_text=s.date_text,
            sentence=s.sentence,
            document_id=s.document_id,
            document_name=s.document_name,
            start=s.start,
            end=s.end,
            date_start=s.date_start,
            entities=refs,
            url=doc_url(s.document_id),
        )

    # -- search ----------------------------------------------------------------------------------

    @twin(
        "/search",
        models.SearchPage,
        "search.html",
        "Full-text search with facets",
        selection=lambda data: {
            "speaker": data["filters"].get("speaker", ""),
            "kind": "" if data["filters"].get("kind") == "document" else data["filters"].get("kind", ""),
        },
        on_loop=True,
    )
    def search(
        request: Request,
        q: str = "",
        kind: str | None = None,
        speaker: str | None = None,
        work: str | None = None,
        author: str | None = None,
        publication: str | None = None,
        decade_: str | None = Query(None, alias="decade"),
        verdict: str | None = None,
        cursor: str | None = None,
        limit: int = Query(20, ge=1, le=100),
    ) -> dict[str, Any]:
        """The fields of ``models.SearchPage`` as plain data, hits and facet values as dicts: the template
        reads them by key and only the JSON twin validates them (see ``twin``)."""
        offset = decode_cursor(cursor)
        given = {
            "kind": kind,
            "speaker": speaker,
            "work": work,
            "author": author,
            "publication": publication,
            "decade": decade_,
            "verdict": verdict,
        }
        filters = {k: v for k, v in given.items() if v}
        store = stores.get()
        result = corpus.view(store).search(store, q, filters, limit, offset)
        hits = []
        for h in result.hits:
            plain, marks = split_marked(h.snippet, *HIGHLIGHT)
            hits.append(
                {
                    "kind": h.kind,
                    "quote_kind": h.quote_kind,
                    "document_id": h.document_id,
                    "document_name": h.document_name,
                    "title": h.title,
                    "quote_id": h.quote_id,
                    "speaker": h.speaker,
                    "work": h.work,
                    "authors": list(h.authors),
                    "publication": h.publication,
                    "published": h.published,
                    "verdict": h.verdict,
                    "start": h.start,
                    "end": h.end,
                    "snippet": plain,
                    "highlights": marks,
                    "score": h.score,
                    "url": quote_url(h.document_id, h.quote_id) if h.quote_id else doc_url(h.document_id),
                }
            )
        facets = {
            name: _facet_values(
                request,
                name,
                [
                    (f.value, f.count)
                    for f in (
                        sorted(result.facets[name], key=lambda f: f.value) if name == "decade" else result.facets[name]
                    )
                ],
                filters.get(name),
            )
            for name in SEARCH_FACETS
        }
        return {
            "query": q,
            "filters": filters,
            "total": result.total,
            "hits": hits,
            "facets": facets,
            "next": next_link(request, offset, limit, result.total),
        }

    # -- timeline --------------------------------------------------------------------------------

    @twin("/timeline", models.TimelinePage, "timeline.html", "Dated statements in order")
    def timeline(
        request: Request,
        entity: str | None = None,
        from_year: int | None = Query(None, alias="from"),
        to_year: int | None = Query(None, alias="to"),
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> models.TimelinePage:
        offset = decode_cursor(cursor)
        store = stores.get()
        view = corpus.view(store)
        ref = None
        chosen = None
        if entity:
            found = view.lookup(entity)
            if found is None:
                raise NotFound(f"no entity {entity!r}: entity ids are on the overview and document pages")
            key, chosen = found
            ref = models.EntityRef(id=key, canonical=chosen.canonical, type=chosen.type, url=entity_url(key))
        items = within(view.statements(store, chosen), from_year, to_year)
        return models.TimelinePage(
            entity=ref,
            from_year=from_year,
            to_year=to_year,
            total=len(items),
            items=[statement(view, s) for s in items[offset : offset + limit]],
            next=next_link(request, offset, limit, len(items)),
        )

    # -- network ---------------------------------------------------------------------------------

    @twin("/network", models.NetworkView, "network.html", "Who quotes whom")
    def network(
        request: Request,
        kind: str | None = Query(None, pattern="^(quotes|nested)$"),
        min_weight: int = Query(1, alias="min", ge=1),
        node: str | None = None,
    ) -> models.NetworkView:
        store = stores.get()
        view = corpus.view(store)
        whole = view.network(store)
        if node is not None:
            if node not in {n.id for n in whole.nodes}:
                raise NotFound(f"no node {node!r} in the network: node ids are listed in /network.json")
            whole = restrict(whole, [node])
        edges = [e for e in whole.edges if e.weight >= min_weight and (kind is None or e.kind == kind)]
        used = {e.source for e in edges} | {e.target for e in edges}
        nodes = [n for n in whole.nodes if n.id in used or n.id == node]

        def node_url(label: str) -> str:
            key = view.speaker_id(label)
            return entity_url(key) if key else link("/search", {"q": label})

        return models.NetworkView(
            kind=kind,
            min_weight=min_weight,
            node=node,
            nodes=[
                models.NetworkNode(
                    id=n.id,
                    label=n.label,
                    role=n.role,
                    quoting=n.quoting,
                    quoted=n.quoted,
                    documents=n.documents,
                    url=node_url(n.label),
                )
                for n in nodes
            ],
            edges=[
                models.NetworkEdge(
                    source=e.source,
                    target=e.target,
                    kind=e.kind,
                    weight=e.weight,
                    documents=e.documents,
                    permalinks=list(e.permalinks[:20]),
                )
                for e in sorted(edges, key=lambda e: (-e.weight, e.source, e.target))
            ],
        )

    # -- exports ---------------------------------------------------------------------------------

    @app.get(
        "/export/{fmt}",
        summary="Download an export (TEI, Web Annotation, CSV, NDJSON, GEXF, Gephi, BibTeX, CSL-JSON, RIS)",
        responses={**ERROR_RESPONSES, 200: {"description": "the export, as an attachment"}},
        response_class=Response,
    )
    def export(
        fmt: str,
        document: str | None = None,
        quote: str | None = None,
        speaker: str | None = None,
        kind: str | None = Query(None, pattern="^(speech|block|term|title)$"),
        type_: str | None = Query(None, alias="type"),
        list_: str = Query("quotes", alias="list"),
    ) -> Response:
        if fmt not in FORMATS:
            raise NotFound(f"no export format {fmt!r}: use one of {', '.join(FORMATS)}")
        made = render_export(
            stores.get(),
            fmt,
            document=document,
            quote=quote,
            speaker=speaker,
            kind=kind,
            entity_type=type_,
            list_name=list_,
        )
        return Response(
            made.content,
            media_type=made.media_type,
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or (
        "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", "")
    )


def _error(request: Request, error: QuotegraphError, status: int) -> Response:
    body = models.ErrorResponse(error=models.ErrorBody(code=error.code, message=error.message, status=status))
    if _wants_json(request):
        return JSONResponse(body.model_dump(), status_code=status)
    return page(request, "error.html", status=status, error=body.error)


def _install_error_handlers(app: FastAPI) -> None:
    """Every failure, whatever raised it, leaves in the one documented shape."""

    @app.exception_handler(QuotegraphError)
    async def quotegraph_error(request: Request, exc: QuotegraphError) -> Response:
        if isinstance(exc, WebError):
            return _error(request, exc, exc.status)
        if isinstance(exc, DocumentNotFound | QuoteNotFound):
            return _error(request, exc, 404)
        if isinstance(exc, UnknownExportFormat):
            return _error(request, exc, 400)
        return _error(request, exc, 500)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors()
        )
        return _error(request, BadRequest(f"invalid parameter — {problems}"), 400)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return _error(request, WebError(f"the server failed on this request ({type(exc).__name__}); see its log"), 500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error: WebError
        if exc.status_code == 404:
            error = NotFound(f"no page at {request.url.path}: the pages are /, /documents, /search, /timeline")
        elif exc.status_code == 405:
            error = MethodNotAllowed(f"{request.method} is not allowed: the server is read-only, use GET")
        else:
            error = WebError(str(exc.detail))
        return _error(request, error, exc.status_code)

    original = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI documents a 422 of its own; validation errors leave as 400 in our error shape."""
        schema = original()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
