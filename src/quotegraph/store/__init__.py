"""Persistence for documents and analyses. Callers use ``open_store`` and the ``Store`` Protocol."""

from __future__ import annotations

from pathlib import Path

from quotegraph.store.base import (
    SEARCH_FACETS,
    CorpusStats,
    DateRow,
    DocumentRow,
    EntityRow,
    FacetCount,
    FamilyMemberRow,
    FamilyRow,
    IngestResult,
    IngestStatus,
    MarkedDate,
    MarkedDocument,
    MarkedEntity,
    MarkedQuote,
    QuoteContext,
    QuoteRow,
    SearchHit,
    SearchPage,
    SpeakerRow,
    Store,
    StoredDocument,
    VerdictRow,
    WorkRow,
)
from quotegraph.store.sqlite import SQLiteStore


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open (or create) the store at ``location``; today a SQLite file path, later also a DB URL.

    ``read_only`` opens an existing store only, and refuses every write (for the web server).
    """
    return SQLiteStore(location, read_only=read_only)


__all__ = [
    "SEARCH_FACETS",
    "CorpusStats",
    "DateRow",
    "DocumentRow",
    "EntityRow",
    "FacetCount",
    "FamilyMemberRow",
    "FamilyRow",
    "IngestResult",
    "IngestStatus",
    "MarkedDate",
    "MarkedDocument",
    "MarkedEntity",
    "MarkedQuote",
    "QuoteContext",
    "QuoteRow",
    "SQLiteStore",
    "SearchHit",
    "SearchPage",
    "SpeakerRow",
    "Store",
    "StoredDocument",
    "VerdictRow",
    "WorkRow",
    "open_store",
]
