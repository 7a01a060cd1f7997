"""The store interface: everything the CLI and the web UI may ask of a store, and nothing SQL.

Keeping callers on this Protocol (and the plain row dataclasses below) is what lets PostgreSQL
replace SQLite later without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, Self

from quotegraph.errors import QuoteNotFound
from quotegraph.model import Analysis, Document, Metadata, Quote

if TYPE_CHECKING:
    from quotegraph.link.families import Family

IngestStatus = Literal["added", "unchanged", "new-version", "restored"]
HitKind = Literal["document", "quote"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ``ingest`` did, so a batch can report added / unchanged / new-version counts."""

    status: IngestStatus
    document_id: str
    version: int


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of a document listing: a version of a document (``documents`` lists the current ones)."""

    id: str
    name: str
    source_path: str | None
    title: str | None
    authors: tuple[str, ...]
    publication: str | None
    published: str | None
    version: int
    quote_count: int
    ingested_at: str  # ISO 8601, UTC
    content_hash: str = ""
    format: str = ""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document version exactly as ingested: ``document`` and ``analysis`` round-trip losslessly."""

    document: Document
    analysis: Analysis
    version: int
    current: bool
    ingested_at: str
    versions: int  # how many versions its lineage has; ``get_document(ref, version=n)`` for others


class MarkedQuote(NamedTuple):
    """A quotation as the reader marks and lists it (``QuoteRow`` without the document)."""

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

    @classmethod
    def of(cls, q: Quote) -> MarkedQuote:
        """The row of a quotation read whole (``get_document``, ``quote_context``)."""
        source = q.source
        return cls(
            q.id,
            q.start,
            q.end,
            q.text,
            q.kind,
            q.speaker,
            q.cue,
            source.work if source is not None else None,
            source.page if source is not None else None,
            source.edition if source is not None else None,
            q.parent,
        )


class MarkedEntity(NamedTuple):
    """One span of an entity (an entity named three times gives three)."""

    canonical: str
    type: str
    start: int
    end: int


class MarkedDate(NamedTuple):
    """A date written in the text, with its ISO 8601 value when it has one."""

    start: int
    end: int
    text: str
    value: str | None


@dataclass(frozen=True, slots=True)
class MarkedDocument:
    """A document version with what its text has marked in it as flat rows, in the order of its analysis
    (entity spans entity by entity): what a page showing the whole text needs. Named tuples instead of
    the analysis's objects, because building a few hundred of those cost more than the page."""

    document: Document
    analysis_metadata: Metadata  # the document's own metadata is ``document.metadata``
    quotes: tuple[MarkedQuote, ...]
    entity_spans: tuple[MarkedEntity, ...]
    dates: tuple[MarkedDate, ...]
    version: int
    current: bool
    ingested_at: str
    versions: int


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """One quotation with what a page about it shows: the listing row and text of its document version,
    the quotation it is nested in and those nested in it — read without the rest of the analysis (every
    other quotation, the entities, the dates), which is most of what ``get_document`` spends."""

    row: DocumentRow  # of the version the reference resolved to, which need not be the current one
    text: str
    current: bool
    quote: Quote | None  # None: the document has no quotation of that id
    parent: Quote | None
    children: tuple[Quote, ...]  # in document order


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A quotation with just enough document context to print it or link to it."""

    document_id: str
    document_name: str
    quote_id: str
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

    @property
    def permalink(self) -> str:
        """Stable reference to the quotation: it survives re-ingest of the same content."""
        return f"{self.document_id}#{self.quote_id}"


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One entity as one document version has it (the link step merges them across documents)."""

    document_id: str
    document_name: str
    canonical: str
    type: str
    mentions: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class DateRow:
    document_id: str
    document_name: str
    start: int
    end: int
    text: str
    value: str | None
    typo: bool


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    speaker: str
    quote_count: int
    document_count: int
    kinds: dict[str, int] = field(default_factory=dict)  # kind → number of quotations


@dataclass(frozen=True, slots=True)
class FamilyMemberRow:
    """One occurrence of a family's quotation and how it stands to the family's representative."""

    document_id: str
    document_name: str
    quote_id: str
    speaker: str | None
    kind: str
    text: str
    relation: str  # representative, verbatim, cut, elided, translation
    similarity: float

    @property
    def permalink(self) -> str:
        return f"{self.document_id}#{self.quote_id}"


@dataclass(frozen=True, slots=True)
class FamilyRow:
    """A quotation family: every stored occurrence of one quotation, the representative first."""

    id: str
    members: tuple[FamilyMemberRow, ...]

    @property
    def representative(self) -> FamilyMemberRow:
        return self.members[0]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.document_name for m in self.members))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match in a document's text/title (``kind="document"``) or in a quotation."""

    kind: HitKind
    document_id: str
    document_name: str
    title: str | None
    quote_id: str | None  # None for document hits
    speaker: str | None
    start: int | None  # quotation offsets; None for document hits
    end: int | None
    snippet: str  # matched terms wrapped in the ``highlight`` marks
    score: float  # higher is better (negated BM25)
    # What search facets count; ``search_text`` leaves them empty, ``search`` fills them.
    quote_kind: str | None = None
    work: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: str | None = None
    verdict: str | None = None  # the quotation's stored verification verdict, if it was verified


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of ``search`` hits, with how many match in all and the facet counts over all of them."""

    hits: tuple[SearchHit, ...]
    total: int
    facets: dict[str, tuple[FacetCount, ...]]  # facet name (see SEARCH_FACETS) → values, most frequent first


# The facets ``search`` counts and filters on, in display order.
SEARCH_FACETS: tuple[str, ...] = ("kind", "speaker", "work", "author", "publication", "decade", "verdict")


@dataclass(frozen=True, slots=True)
class WorkRow:
    """A cited work with the numbers of quotations cited from it and of documents citing it."""

    work: str
    quote_count: int
    document_count: int


@dataclass(frozen=True, slots=True)
class CorpusStats:
    documents: int  # current versions
    versions: int  # every stored version
    quotations: dict[str, int]  # kind → number, current versions
    speakers: int
    works: int
    dates: int


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """The verification verdict on one stored quotation (of one document version).

    ``source_document_id`` and ``passage_*`` locate the passage found (in the cited source, or in
    another document for ``found_elsewhere``); ``edits`` are the typed edits as JSON objects
    (``type``, ``quoted``/``passage`` spans, their texts, ``marked``, ``severe``) with passage spans
    in that document. ``source_used`` says which source was checked and ``source_reason`` why:
    ``cited`` (the quotation's cited work matched a document's title), ``explicit`` (given by the
    user) or ``none`` (no corpus document is the cited work).
    """

    document_id: str
    quote_id: str
    verdict: str
    confidence: float
    cited_document_id: str | None
    source_document_id: str | None
    passage_start: int | None
    passage_end: int | None
    edits: tuple[dict[str, Any], ...]
    source_used: str
    source_reason: str
    elsewhere: tuple[dict[str, Any], ...] = ()  # other documents holding the words: id, start, end, coverage
    similarity: float | None = None
    verified_at: str = ""  # ISO 8601, UTC; set by the store

    @property
    def permalink(self) -> str:
        return f"{self.document_id}#{self.quote_id}"


class Store(Protocol):
    """Persistence for documents and their analyses; see ``SQLiteStore`` for the semantics."""

    def ingest(self, document: Document, analysis: Analysis) -> IngestResult:
        """Store one document atomically; idempotent by content hash."""
        ...

    def has_version(self, content_hash: str) -> bool:
        """True if these exact bytes are stored already, so the caller can skip analysing them."""
        ...

    def reingest(self, document: Document) -> IngestResult:
        """Content that is stored already comes again: "unchanged", or "restored" when the file went
        back to an older version of its own (X → Y → X), which becomes current again."""
        ...

    def documents(self) -> list[DocumentRow]:
        """The current version of every document, sorted by name."""
        ...

    def get_document(self, ref: str, version: int | None = None) -> StoredDocument:
        """Resolve an id, id prefix (≥ 6), name, stem or source path; raise DocumentNotFound."""
        ...

    def marked_document(self, ref: str, version: int | None = None) -> MarkedDocument:
        """What ``get_document(ref, version)`` holds, with the analysis as flat rows: for display."""
        ...

    def quote_context(self, ref: str, quote_id: str) -> QuoteContext:
        """The quotation ``quote_id`` of the document ``ref`` resolves to (as for ``get_document``), with
        its parent and children; raise DocumentNotFound when no document matches ``ref``."""
        ...

    def resolve(self, ref: str) -> str:
        """The document id a reference stands for, e.g. to redirect a name to its permalink."""
        ...

    def version_ids(self, ref: str) -> list[str]:
        """The ids of every version of the document ``ref`` stands for, oldest first (the current one too)."""
        ...

    def quotes(
        self,
        speaker: str | None = None,
        work: str | None = None,
        search: str | None = None,
        kind: str | None = None,
        document: str | None = None,
        limit: int | None = None,
    ) -> list[QuoteRow]:
        """Quotations of current versions, filtered; ``search`` is full-text, never a syntax error."""
        ...

    def speakers(self) -> list[SpeakerRow]:
        """Speakers of current versions by number of quotations, then name."""
        ...

    def entity_rows(self, type: str | None = None) -> list[EntityRow]:
        """Entities of current versions, per document, optionally of one type."""
        ...

    def date_rows(self) -> list[DateRow]:
        """Dates of current versions, in document and text order."""
        ...

    def search_text(self, query: str, limit: int = 20, *, highlight: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """Full-text search over document texts and quotations, best match first."""
        ...

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> SearchPage:
        """Like ``search_text``, narrowed by facet values (``{"speaker": "Leon Trotsky"}``), one page
        at ``offset``, with the total and the facet counts of everything that matches."""
        ...

    def works(self) -> list[WorkRow]:
        """Cited works of current versions by number of quotations, then title."""
        ...

    def stats(self) -> CorpusStats:
        """Corpus counts for an overview."""
        ...

    def texts(self, document_ids: Iterable[str]) -> dict[str, str]:
        """The stored texts of these document ids (unknown ids are left out), without their analyses."""
        ...

    def revision(self) -> str:
        """Changes whenever the stored data does, so derived views can be cached until then."""
        ...

    def save_families(self, families: Sequence[Family]) -> None:
        """Replace all quotation families in one transaction (corpus-wide derived data: idempotent)."""
        ...

    def families(self, min_size: int = 2) -> list[FamilyRow]:
        """Families of current versions with at least ``min_size`` members, largest first."""
        ...

    def family_of(self, document_id: str, quote_id: str) -> FamilyRow | None:
        """The family a quotation belongs to, or None if it is quoted nowhere else."""
        ...

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Cached sentence vectors (float32 bytes) for those of ``keys`` that are stored."""
        ...

    def save_embeddings(self, model: str, vectors: Mapping[str, bytes]) -> None:
        """Cache sentence vectors by key (see ``quotegraph.link.families.embedding_key``)."""
        ...

    def save_verdicts(self, rows: Sequence[VerdictRow]) -> None:
        """Store verdicts in one transaction; a quotation's new verdict replaces its previous one."""
        ...

    def verdicts(self, document: str | None = None, verdict: str | None = None) -> list[VerdictRow]:
        """Verdicts on quotations of current versions (or of the version ``document`` resolves to)."""
        ...

    def verdict_of(self, document_id: str, quote_id: str) -> VerdictRow | None:
        """The stored verdict on one quotation, if it was verified."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def find_quote(store: Store, permalink: str) -> QuoteRow:
    """The quotation a permalink ``DOC#q12`` names (DOC: id, file name or path); QuoteNotFound when
    it is not of that form or the document has no such quotation."""
    doc_ref, sep, quote_id = permalink.rpartition("#")
    if not sep or not doc_ref or not quote_id:
        raise QuoteNotFound(f"{permalink!r} is not a quotation reference: write DOC#q12 (see `quotegraph quotes`)")
    found = next((q for q in store.quotes(document=store.resolve(doc_ref)) if q.quote_id == quote_id), None)
    if found is None:
        raise QuoteNotFound(f"document {doc_ref!r} has no quotation {quote_id!r}: run `quotegraph show {doc_ref}`")
    return found
