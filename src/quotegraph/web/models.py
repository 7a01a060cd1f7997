"""The JSON the API returns: every page's ``.json`` twin is one of these, and /openapi.json documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="stable error code, explained in docs/errors.md (e.g. QG301)")
    message: str = Field(description="what went wrong and what to do about it")
    status: int = Field(description="the HTTP status, repeated")


class ErrorResponse(BaseModel):
    """The one error shape of the API."""

    error: ErrorBody


class Span(BaseModel):
    start: int
    end: int


class FacetValue(BaseModel):
    value: str
    count: int
    selected: bool = False
    url: str = Field(description="this page with the facet value applied (or removed when selected)")


class DocumentSummary(BaseModel):
    id: str
    name: str
    title: str | None
    authors: list[str]
    publication: str | None
    published: str | None
    version: int
    quote_count: int
    url: str


class DocumentsPage(BaseModel):
    filters: dict[str, str]
    total: int
    items: list[DocumentSummary]
    facets: dict[str, list[FacetValue]]
    next: str | None = Field(description="URL of the next page (opaque cursor), None on the last")


class QuotationSummary(BaseModel):
    document_id: str
    id: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    cue: str | None
    work: str | None
    page: str | None
    edition: str | None
    parent: str | None
    permalink: str = Field(description="document id # quote id: survives re-ingest of the same content")
    url: str


class EntitySpan(BaseModel):
    entity_id: str | None = Field(description="the corpus entity, when the link step knows it")
    canonical: str
    type: str
    start: int
    end: int


class DateSpan(BaseModel):
    start: int
    end: int
    text: str
    value: str | None


class DocumentMeta(BaseModel):
    id: str
    name: str
    title: str | None
    authors: list[str]
    publication: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    published: str | None
    posted: str | None
    editor: str | None
    transcriber: str | None
    archive: str | None
    format: str
    encoding: str
    repairs: list[str]
    version: int
    versions: int
    current: bool
    ingested_at: str
    content_hash: str
    citation: str = Field(description="a plain-text citation of the document")
    url: str


class DocumentView(BaseModel):
    document: DocumentMeta
    text: str = Field(description="the stored text; every offset below indexes it")
    quotations: list[QuotationSummary]
    entities: list[EntitySpan]
    dates: list[DateSpan]
    boilerplate: list[Span]


class SourceView(BaseModel):
    work: str | None
    page: str | None
    edition: str | None
    evidence: str
    citation: Span | None
    citation_text: str | None


class QuotationView(BaseModel):
    quotation: QuotationSummary
    confidence: float
    closed: bool
    speaker_span: Span | None
    cue_span: Span | None
    speaker_entity_id: str | None
    source: SourceView | None
    document: DocumentSummary
    before: str = Field(description="the text just before the quotation")
    after: str = Field(description="the text just after it")
    parent: QuotationSummary | None
    children: list[QuotationSummary]
    family: list[dict[str, Any]] = Field(
        default_factory=list,
        description="every other occurrence of the quotation in the corpus (cuts, elisions, translations), "
        "with its relation, similarity and the word-level edits from here to there",
    )
    verification: dict[str, Any] | None = Field(
        default=None, description="the verdict against the cited source, with its diff; None: not computed yet"
    )


class EntityRef(BaseModel):
    id: str
    canonical: str
    type: str
    url: str


class Mention(BaseModel):
    document_id: str
    document_name: str
    start: int
    end: int
    before: str
    text: str
    after: str
    url: str


class Statement(BaseModel):
    value: str
    precision: str
    date_text: str
    sentence: str
    document_id: str
    document_name: str
    start: int
    end: int
    date_start: int
    entities: list[EntityRef]
    url: str


class EntityView(BaseModel):
    entity: EntityRef
    variants: list[str]
    documents: list[DocumentSummary]
    mention_count: int
    mentions: list[Mention] = Field(description="the first mentions in context (mention_count says how many)")
    quotations_by: list[QuotationSummary]
    quotations_about: list[QuotationSummary]
    statements: list[Statement]


class SearchHit(BaseModel):
    kind: str = Field(description="document or quote")
    quote_kind: str | None
    document_id: str
    document_name: str
    title: str | None
    quote_id: str | None
    speaker: str | None
    work: str | None
    authors: list[str]
    publication: str | None
    published: str | None
    verdict: str | None = Field(description="the quotation's verification verdict, when it was verified")
    start: int | None
    end: int | None
    snippet: str = Field(description="keyword in context, plain text")
    highlights: list[tuple[int, int]] = Field(description="the matched words' offsets in the snippet")
    score: float
    url: str


class SearchPage(BaseModel):
    query: str
    filters: dict[str, str]
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    next: str | None


class TimelinePage(BaseModel):
    entity: EntityRef | None
    from_year: int | None
    to_year: int | None
    total: int
    items: list[Statement]
    next: str | None


class CountRow(BaseModel):
    name: str
    count: int = Field(description="quotations (speakers, works) or mentions (entities)")
    document_count: int
    url: str


class YearCount(BaseModel):
    year: int
    count: int


class Stats(BaseModel):
    documents: int
    versions: int
    quotations: dict[str, int]
    speakers: int
    works: int
    dates: int
    entities: int


class Overview(BaseModel):
    stats: Stats
    top_speakers: list[CountRow]
    top_works: list[CountRow]
    top_entities: list[CountRow]
    years: list[YearCount] = Field(description="dates written in the corpus, by year")


class NetworkNode(BaseModel):
    id: str
    label: str
    role: str = Field(description="author, speaker or both")
    quoting: int = Field(description="quotations it makes (as author, or as the outer speaker of nested ones)")
    quoted: int = Field(description="quotations of its own words")
    documents: int
    url: str = Field(description="its entity page when it is an entity, else a search for its quotations")


class NetworkEdge(BaseModel):
    source: str
    target: str
    kind: str = Field(description="quotes (a document's author quotes a speaker) or nested (a speaker quotes another)")
    weight: int = Field(description="number of quotations")
    documents: int
    permalinks: list[str] = Field(description="the first quotations (doc#q12) of this edge, in document order")


class NetworkView(BaseModel):
    kind: str | None
    min_weight: int
    node: str | None
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class Download(BaseModel):
    format: str
    label: str
    url: str
