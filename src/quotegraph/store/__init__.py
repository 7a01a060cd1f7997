"""Persistence for documents and analyses. Callers use ``open_store`` and the ``Store`` Protocol."""

from __future__ import annotations

from pathlib import Path

from quotegraph.store.base import (
    DateRow,
    DocumentRow,
    EntityRow,
    FamilyMemberRow,
    FamilyRow,
    IngestResult,
    IngestStatus,
    QuoteRow,
    SearchHit,
    SpeakerRow,
    Store,
    StoredDocument,
    VerdictRow,
)
from quotegraph.store.sqlite import SQLiteStore


def open_store(location: str | Path) -> Store:
    """Open (or create) the store at ``location``; today a SQLite file path, later also a DB URL."""
    return SQLiteStore(location)


__all__ = [
    "DateRow",
    "DocumentRow",
    "EntityRow",
    "FamilyMemberRow",
    "FamilyRow",
    "IngestResult",
    "IngestStatus",
    "QuoteRow",
    "SQLiteStore",
    "SearchHit",
    "SpeakerRow",
    "Store",
    "StoredDocument",
    "VerdictRow",
    "open_store",
]
