"""The typed records that flow through quotegraph: read → analyse → store → link → serve.

Every span is a pair of character offsets (Python ``str`` indices) into ``Document.text``, the
document exactly as stored; ``text[start:end]`` is the span's text. Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

QuoteKind = Literal["speech", "block", "term", "title"]
QUOTE_KINDS: tuple[QuoteKind, ...] = ("speech", "block", "term", "title")
DocumentFormat = Literal["txt", "md", "html"]
EntityType = Literal["PERSON", "ORG", "PUBLICATION", "WORK", "GPE", "EVENT"]
ENTITY_TYPES: tuple[EntityType, ...] = ("PERSON", "ORG", "PUBLICATION", "WORK", "GPE", "EVENT")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in one document's stored text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span ({self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Metadata:
    """Bibliographic facts about a document, as far as its text and markup give them."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    published: str | None = None  # ISO 8601 date of the original publication (may be partial)
    posted: str | None = None  # ISO 8601 date of the web posting
    poster: str | None = None
    editor: str | None = None
    transcriber: str | None = None
    archive: str | None = None
    boilerplate: tuple[Span, ...] = ()  # site chrome, marked rather than deleted


@dataclass(frozen=True, slots=True)
class Document:
    """A document as read: decoded text exactly as stored, plus what the reader learnt about it."""

    name: str  # file name the document is known by, e.g. ``000_50d797e3133e5607.txt``
    text: str
    format: DocumentFormat
    content_hash: str  # sha256 of the raw bytes: ingest is idempotent by it
    encoding: str = "utf-8"
    source_path: str | None = None
    repairs: tuple[str, ...] = ()  # what the reader had to fix (encoding guessed, mojibake repaired …)
    metadata: Metadata = field(default_factory=Metadata)
    # Paragraphs the markup itself marked as block quotations (HTML <blockquote>, Markdown ``>``).
    blockquotes: tuple[Span, ...] = ()

    @property
    def id(self) -> str:
        """Stable identifier derived from the content, so ids and permalinks survive re-ingest."""
        return self.content_hash[:16]

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name

    @staticmethod
    def hash_bytes(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class Source:
    """The work a quotation is cited from, with Op. Cit. / Ibid already resolved."""

    work: str | None
    page: str | None = None
    edition: str | None = None
    citation: Span | None = None  # where the citation itself stands in the text, if it is written out
    # How the work was found: "citation", "op. cit.", "ibid", "lead-in" (named in the introducing
    # words), "context" (the passage's or the speaker's current source).
    evidence: str = "citation"


@dataclass(frozen=True, slots=True)
class Quote:
    id: str  # "q1", "q2" … in document order
    start: int
    end: int
    text: str  # the quoted words without the enclosing marks: ``document.text[start:end]``
    kind: QuoteKind
    speaker: str | None = None
    cue: str | None = None
    source: Source | None = None
    parent: str | None = None  # id of the quotation this one is nested in
    speaker_span: Span | None = None  # where the speaker is named (evidence), when it is
    cue_span: Span | None = None
    confidence: float = 1.0
    closed: bool = True  # False when the quotation runs to the paragraph end without a closing mark

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class DateRef:
    start: int
    end: int
    text: str
    value: str | None
    typo: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    canonical: str
    type: EntityType
    mentions: tuple[str, ...]
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the per-document pipeline finds: the payload of ``extract`` and of the store."""

    document: str  # the document's name
    metadata: Metadata
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateRef, ...] = ()
    entities: tuple[Entity, ...] = ()
