"""What every export format starts from: the selected documents and quotations, read through the Store.

A ``Selection`` holds the user's filters; ``select`` turns it into ``DocumentView``s — one stored
document version with the quotations the filters keep — using only the Store protocol, so the formats
themselves stay pure functions of these records.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from quotegraph import __version__
from quotegraph.model import Document, Entity, Metadata, Quote
from quotegraph.store.base import DocumentRow, QuoteRow, Store, StoredDocument, find_quote

MACHINE_NOTE = f"Machine-extracted by quotegraph {__version__}; check against the original"


@dataclass(frozen=True, slots=True)
class Selection:
    """The filters of an export; ``quote`` is a permalink ``DOC#q12`` (DOC: id, name or path)."""

    document: str | None = None
    quote: str | None = None
    speaker: str | None = None
    kind: str | None = None
    entity_type: str | None = None

    @property
    def filters_quotes(self) -> bool:
        return bool(self.quote or self.speaker or self.kind)


@dataclass(frozen=True, slots=True)
class DocumentView:
    """One stored document version and the quotations selected from it (in document order)."""

    row: DocumentRow
    stored: StoredDocument
    quote_ids: frozenset[str]
    entity_type: str | None = None  # only entities of this type, when given

    @property
    def entities(self) -> tuple[Entity, ...]:
        wanted = self.entity_type.upper() if self.entity_type else None
        return tuple(e for e in self.stored.analysis.entities if wanted is None or e.type == wanted)

    @property
    def document(self) -> Document:
        return self.stored.document

    @property
    def metadata(self) -> Metadata:
        return merged_metadata(self.stored)

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return tuple(q for q in self.stored.analysis.quotes if q.id in self.quote_ids)

    @property
    def quote_rows(self) -> tuple[QuoteRow, ...]:
        return tuple(quote_row(self.document, q) for q in self.quotes)


def merged_metadata(stored: StoredDocument) -> Metadata:
    """The analysis's metadata where it says something, the reader's otherwise (as the store lists it)."""
    return merge_metadata(stored.analysis.metadata, stored.document.metadata)


def merge_metadata(analysed: Metadata, read: Metadata) -> Metadata:
    """``analysed`` where it says something, ``read`` otherwise."""
    values: dict[str, Any] = {}
    for f in fields(Metadata):
        mine = getattr(analysed, f.name)
        values[f.name] = mine if mine not in (None, ()) else getattr(read, f.name)
    return Metadata(**values)


def quote_row(document: Document, q: Quote) -> QuoteRow:
    src = q.source
    return QuoteRow(
        document_id=document.id,
        document_name=document.name,
        quote_id=q.id,
        start=q.start,
        end=q.end,
        text=q.text,
        kind=q.kind,
        speaker=q.speaker,
        cue=q.cue,
        work=src.work if src else None,
        page=src.page if src else None,
        edition=src.edition if src else None,
        parent=q.parent,
    )


def document_row(stored: StoredDocument) -> DocumentRow:
    """A listing row for a stored version, also for versions that are no longer current."""
    meta = merged_metadata(stored)
    doc = stored.document
    return DocumentRow(
        id=doc.id,
        name=doc.name,
        source_path=doc.source_path,
        title=meta.title,
        authors=meta.authors,
        publication=meta.publication,
        published=meta.published,
        version=stored.version,
        quote_count=len(stored.analysis.quotes),
        ingested_at=stored.ingested_at,
        content_hash=doc.content_hash,
        format=doc.format,
    )


def selected_quotes(store: Store, sel: Selection) -> list[QuoteRow]:
    """The quotations the filters keep, in the store's order."""
    if sel.quote:
        return [find_quote(store, sel.quote)]
    return store.quotes(speaker=sel.speaker, kind=sel.kind, document=sel.document)


def selected_document_ids(store: Store, sel: Selection, quotes: list[QuoteRow]) -> list[str]:
    """The documents an export covers: the one a document or quotation reference names; otherwise
    every current document, or, when quotations are filtered by speaker or kind, those that hold one."""
    if sel.quote:
        return [quotes[0].document_id]
    if sel.document:
        return [store.resolve(sel.document)]
    if sel.filters_quotes:
        return list(dict.fromkeys(q.document_id for q in quotes))
    return [d.id for d in store.documents()]


def selected_rows(store: Store, sel: Selection, quotes: list[QuoteRow]) -> list[DocumentRow]:
    """Listing rows of the selected documents, without loading their texts (unless a reference
    names a version that is no longer current)."""
    ids = selected_document_ids(store, sel, quotes)
    current = {d.id: d for d in store.documents()}
    return [current[i] if i in current else document_row(store.get_document(i)) for i in ids]


def select(store: Store, sel: Selection) -> list[DocumentView]:
    """The selected documents, each loaded with the quotations the filters keep."""
    quotes = selected_quotes(store, sel)
    by_doc: dict[str, set[str]] = {}
    for q in quotes:
        by_doc.setdefault(q.document_id, set()).add(q.quote_id)
    views = []
    for doc_id in selected_document_ids(store, sel, quotes):
        stored = store.get_document(doc_id)
        views.append(DocumentView(document_row(stored), stored, frozenset(by_doc.get(doc_id, ())), sel.entity_type))
    return views
