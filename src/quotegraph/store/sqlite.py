"""The embedded store: one SQLite file with FTS5, WAL, and one transaction per document.

Why these choices: WAL lets the web UI read while a batch ingests; one ``BEGIN IMMEDIATE`` per
document means a killed ingest leaves every document either wholly present or absent, so
re-running the batch simply completes it; FTS5 gives BM25-ranked search without another service.
"""

from __future__ import annotations

import heapq
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from importlib import resources
from itertools import starmap
from operator import attrgetter, itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Self, cast
from urllib.parse import quote

from quotegraph.errors import DocumentNotFound, QuoteNotFound, StoreError, StoreSchemaMismatch
from quotegraph.model import (
    QUOTE_KINDS,
    Analysis,
    DateRef,
    Document,
    DocumentFormat,
    Entity,
    EntityType,
    Metadata,
    Quote,
    QuoteKind,
    Source,
    Span,
)
from quotegraph.store import facets
from quotegraph.store.base import (
    CorpusStats,
    DateRow,
    DocumentRow,
    EntityRow,
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
from quotegraph.store.fulltext import SCAN, Searchable, SearchableTexts, fts_query, snippet
from quotegraph.store.fulltext import clean as _clean
from quotegraph.store.fulltext import fold as fold  # re-exported: other modules fold names as the store does

if TYPE_CHECKING:
    from quotegraph.link.families import Family

SCHEMA_VERSION = 3  # PRAGMA user_version; bump together with schema.sql
APPLICATION_ID = 0x51475354  # "QGST": PRAGMA application_id, tells our files from other SQLite files
MIN_PREFIX = 6  # shortest id prefix accepted as a document reference
READ_MAP_BYTES = 1 << 30  # how much of the file a read-only connection maps into memory (address space, not RAM)
MIN_NAME_START = 3  # "003" for 003_34df39d8ba34d179.txt, when no other current file name starts so
_HINT = "run `quotegraph documents` to list ids and names"

# Test hook: called inside the ingest transaction after the document row is written and before its
# quotations, so a test can kill the process at the worst moment. Never set in production.
_after_document_row: Callable[[Document], None] | None = None


def _lineage_key(document: Document) -> str:
    """What makes two contents versions of one document: its source path, else its name."""
    if document.source_path:
        return "path:" + _normalise_path(document.source_path)
    return "name:" + document.name


def _normalise_path(path: str) -> str:
    if "://" in path:
        return path
    return os.path.normpath(os.path.abspath(path))


def _to_json(value: Any) -> Any:
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end}
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        return Span(value["start"], value["end"])
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    return value


def _dump(value: Any) -> str:
    return json.dumps(_to_json(value), ensure_ascii=False, separators=(",", ":"))


def _metadata_json(metadata: Metadata) -> str:
    return _dump({f.name: getattr(metadata, f.name) for f in fields(Metadata)})


def _metadata_from_json(raw: str) -> Metadata:
    data = json.loads(raw)
    known = {f.name for f in fields(Metadata)}
    return Metadata(**{k: _from_json(v) for k, v in data.items() if k in known})


def _spans_json(spans: Sequence[Span]) -> str:
    return json.dumps([[s.start, s.end] for s in spans])


def _spans_from_json(raw: str) -> tuple[Span, ...]:
    return tuple(Span(s, e) for s, e in json.loads(raw))


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(start, end)


def _read_schema() -> str:
    return resources.files("quotegraph.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements (triggers included), so it can run inside our transaction."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


_QUOTE_ROW_COLUMNS = (
    "d.id, d.name, q.id, q.span_start, q.span_end, q.text, q.kind, q.speaker, q.cue, "
    "q.work, q.page, q.edition, q.parent"
)


@dataclass(frozen=True, slots=True)
class _DocumentFacets:
    id: str
    name: str
    title: str | None
    authors: tuple[str, ...]
    publication: str | None
    published: str | None

    @property
    def values(self) -> facets.DocumentValues:
        return (self.authors, self.publication, self.published)


@dataclass(frozen=True, slots=True)
class _CurrentDocuments:
    """What search needs of every current document, kept per store revision."""

    by_pk: dict[int, _DocumentFacets]


_DOCUMENT_FILTERS = ("author", "publication", "decade")
_QUOTE_FACTS_KEPT = 120_000  # per connection: some 50 MB (430 bytes a row on the load store)


class _QuoteFacts(NamedTuple):
    """What search needs of a quotation, kept per store revision (``SQLiteStore._quote_facts``)."""

    pk: int
    doc_pk: int
    id: str
    speaker: str | None
    start: int
    end: int
    kind: str
    work: str | None
    verdict: str | None


# The part of a text a snippet is made from: its first ``SCAN`` characters. A text of fewer bytes is
# read whole: counting its characters costs SQLite more than decoding it costs Python.
_SCANNED = f"iif(length(CAST(text AS BLOB)) <= {SCAN}, text, substr(text, 1, {SCAN}))"
_PAGE_TEXTS = (  # of the documents and quotations listed (as JSON arrays of pks), what their snippets are made from
    f"SELECT 'document', pk, {_SCANNED} FROM document WHERE pk IN (SELECT value FROM json_each(?)) "
    f"UNION ALL SELECT 'quote', pk, {_SCANNED} FROM quote WHERE pk IN (SELECT value FROM json_each(?))"
)
_SEARCHABLE_BYTES = 64 * 1024 * 1024  # per connection: the texts of some 500 long articles, kept for snippets


# The columns of a ``DocumentRow``, in its order (authors as JSON)
_DOCUMENT_ROW = (
    "id, name, source_path, title, authors, publication, published, version, quote_count, ingested_at, "
    "content_hash, format"
)
_DOCUMENT_ROW_LENGTH = _DOCUMENT_ROW.count(",") + 1


def _document_row(r: Sequence[Any]) -> DocumentRow:
    return DocumentRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), *r[5:])


def _document_passes(d: _DocumentFacets, filters: Mapping[str, str]) -> bool:
    """Whether a document meets the document-level search filters (author, publication, decade)."""
    return (
        ("author" not in filters or filters["author"] in d.authors)
        and ("publication" not in filters or filters["publication"] == d.publication)
        and ("decade" not in filters or facets.decade(d.published) == filters["decade"])
    )


class SQLiteStore(Store):
    """The default store: a single SQLite file (``:memory:`` works too, for tests).

    Opening checks that the file is a quotegraph store of this schema version and creates the schema
    in an empty file. One instance is one connection: use one per thread.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._documents_cache: tuple[str, _CurrentDocuments] | None = None
        self._searchables = SearchableTexts(_SEARCHABLE_BYTES)
        self._quote_facts_cache: tuple[str, dict[int, _QuoteFacts]] = ("", {})
        self._revision: tuple[int, str] | None = None  # (data_version, revision) of a read-only connection
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
            if read_only:
                # SQLite itself refuses every write (the web server must never change the store), and
                # a missing file is an error instead of a new empty store.
                uri = "file:" + quote(os.path.abspath(self.path)) + "?mode=ro"
                self._db: sqlite3.Connection | None = sqlite3.connect(
                    uri, timeout=timeout, isolation_level=None, uri=True, check_same_thread=False
                )
            else:
                self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}; check that the path names a file in an "
                "existing, writable folder"
            ) from exc
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    # -- opening ---------------------------------------------------------------------------------

    def _open(self) -> None:
        db = self._conn
        try:
            app_id, user_version = self._header()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a quotegraph store ({exc}); give the path of a store, or a new "
                "file name to create one"
            ) from exc
        if (app_id, user_version) == (0, 0):
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] or self.read_only:
                self._not_ours()
            self._create()
        else:
            self._check(app_id, user_version)
        if self.read_only:
            # Pages read through the OS page cache in place: a search page reads a dozen texts it has not
            # read before, each a chain of pages, and a read() per page cost more than the rest of the query.
            db.execute(f"PRAGMA mmap_size = {READ_MAP_BYTES}")
            return
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: consistent after a crash
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot configure the store {self.path}: {exc}") from exc

    def _header(self) -> tuple[int, int]:
        db = self._conn
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        return int(app_id), int(user_version)

    def _not_ours(self) -> None:
        raise StoreSchemaMismatch(
            f"{self.path} is an SQLite database but not a quotegraph store; give another path (a new "
            "file name creates a store)"
        )

    def _check(self, app_id: int, user_version: int) -> None:
        if app_id != APPLICATION_ID:
            self._not_ours()
        if user_version > SCHEMA_VERSION:
            raise StoreSchemaMismatch(
                f"{self.path} was written by a newer quotegraph (store schema {user_version}; this "
                f"version reads schema {SCHEMA_VERSION}): upgrade quotegraph, or use another store file"
            )
        if user_version < SCHEMA_VERSION:
            raise StoreSchemaMismatch(
                f"{self.path} uses store schema {user_version} of an older quotegraph; this version "
                f"needs schema {SCHEMA_VERSION}: ingest your files again into a new store file"
            )

    def _create(self) -> None:
        db = self._conn
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have created the schema while we waited for the lock.
                app_id, user_version = self._header()
                if (app_id, user_version) != (0, 0):
                    db.execute("ROLLBACK")
                    self._check(app_id, user_version)
                    return
                for statement in _statements(_read_schema()):
                    db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create a store in {self.path}: {exc}") from exc

    # -- plumbing --------------------------------------------------------------------------------

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError("the store is closed; open it again")
        return self._db

    @contextmanager
    def _guard(self, action: str) -> Iterator[sqlite3.Connection]:
        """Turn SQLite failures (locked, disk full, corrupt) into a StoreError that says what failed."""
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StoreError(f"{action} in {self.path} failed: {exc}") from exc

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def ingest(self, document: Document, analysis: Analysis) -> IngestResult:
        """Store a document and its analysis in one transaction.

        Same content hash as something stored → "unchanged" (nothing written, whatever the name).
        Same source path (or name, without a path) with new content → "new-version": the old
        version is kept but stops being current. Otherwise → "added".
        """
        doc_row = self._document_values(document, analysis)
        quote_rows = [self._quote_values(i, q) for i, q in enumerate(analysis.quotes)]
        date_rows = [(i, d.start, d.end, d.text, d.value, int(d.typo)) for i, d in enumerate(analysis.dates)]
        entity_rows = [
            (i, e.canonical, fold(e.canonical), e.type, _dump(list(e.mentions)), _spans_json(e.spans))
            for i, e in enumerate(analysis.entities)
        ]
        key = _lineage_key(document)
        with self._guard(f"ingesting {document.name}") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = self._ingest_locked(db, document, key, doc_row, quote_rows, date_rows, entity_rows)
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.IntegrityError | UnicodeEncodeError):
                    raise StoreError(
                        f"cannot store {document.name}: {exc}; the analysis is inconsistent "
                        "(duplicate quotation ids?) or the text has undecodable characters"
                    ) from exc
                raise
        return result

    def _ingest_locked(
        self,
        db: sqlite3.Connection,
        document: Document,
        key: str,
        doc_row: dict[str, Any],
        quote_rows: list[tuple[Any, ...]],
        date_rows: list[tuple[Any, ...]],
        entity_rows: list[tuple[Any, ...]],
    ) -> IngestResult:
        existing = db.execute(
            "SELECT id, version FROM document WHERE content_hash = ?", (document.content_hash,)
        ).fetchone()
        if existing is not None:
            db.execute("ROLLBACK")
            return IngestResult("unchanged", existing[0], existing[1])
        clash = db.execute("SELECT content_hash FROM document WHERE id = ?", (document.id,)).fetchone()
        if clash is not None:
            raise StoreError(
                f"cannot store {document.name}: its id {document.id} is taken by content "
                f"{clash[0]} (content hashes must be sha256 hex digests)"
            )
        status: IngestStatus
        lineage = db.execute("SELECT pk FROM lineage WHERE key = ?", (key,)).fetchone()
        if lineage is None:
            lineage_pk = db.execute("INSERT INTO lineage (key) VALUES (?)", (key,)).lastrowid
            version, status = 1, "added"
        else:
            lineage_pk = lineage[0]
            version = db.execute(
                "SELECT max(version) + 1 FROM document WHERE lineage_pk = ?", (lineage_pk,)
            ).fetchone()[0]
            db.execute("UPDATE document SET is_current = 0 WHERE lineage_pk = ?", (lineage_pk,))
            status = "new-version"
        values = {**doc_row, "lineage_pk": lineage_pk, "version": version, "is_current": 1}
        columns = ", ".join(values)
        placeholders = ", ".join(f":{c}" for c in values)
        cur = db.execute(f"INSERT INTO document ({columns}) VALUES ({placeholders})", values)
        doc_pk = cur.lastrowid
        if _after_document_row is not None:
            _after_document_row(document)
        db.executemany(
            "INSERT INTO quote (doc_pk, seq, id, span_start, span_end, text, kind, speaker, "
            "speaker_key, cue, has_source, work, work_key, page, edition, evidence, citation_start, "
            "citation_end, parent, speaker_start, speaker_end, cue_start, cue_end, confidence, closed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_pk, *row) for row in quote_rows],
        )
        db.executemany(
            "INSERT INTO date_ref (doc_pk, seq, span_start, span_end, text, value, typo) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(doc_pk, *row) for row in date_rows],
        )
        db.executemany(
            "INSERT INTO entity (doc_pk, seq, canonical, canonical_key, type, mentions, spans) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(doc_pk, *row) for row in entity_rows],
        )
        db.execute("COMMIT")
        return IngestResult(status, document.id, version)

    @staticmethod
    def _document_values(document: Document, analysis: Analysis) -> dict[str, Any]:
        meta, fallback = analysis.metadata, document.metadata
        return {
            "id": document.id,
            "content_hash": document.content_hash,
            "name": document.name,
            "stem": document.stem,
            "source_path": document.source_path,
            "format": document.format,
            "encoding": document.encoding,
            "text": document.text,
            "repairs": _dump(list(document.repairs)),
            "metadata": _metadata_json(document.metadata),
            "blockquotes": _spans_json(document.blockquotes),
            "analysis_document": analysis.document,
            "analysis_metadata": _metadata_json(analysis.metadata),
            "title": meta.title if meta.title is not None else fallback.title,
            "authors": _dump(list(meta.authors or fallback.authors)),
            "publication": meta.publication if meta.publication is not None else fallback.publication,
            "published": meta.published if meta.published is not None else fallback.published,
            "quote_count": len(analysis.quotes),
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    @staticmethod
    def _quote_values(seq: int, q: Quote) -> tuple[Any, ...]:
        src = q.source
        citation = src.citation if src is not None else None
        return (
            seq,
            q.id,
            q.start,
            q.end,
            q.text,
            q.kind,
            q.speaker,
            fold(q.speaker) if q.speaker is not None else None,
            q.cue,
            int(src is not None),
            src.work if src is not None else None,
            fold(src.work) if src is not None and src.work is not None else None,
            src.page if src is not None else None,
            src.edition if src is not None else None,
            src.evidence if src is not None else None,
            citation.start if citation is not None else None,
            citation.end if citation is not None else None,
            q.parent,
            q.speaker_span.start if q.speaker_span is not None else None,
            q.speaker_span.end if q.speaker_span is not None else None,
            q.cue_span.start if q.cue_span is not None else None,
            q.cue_span.end if q.cue_span is not None else None,
            q.confidence,
            int(q.closed),
        )

    # -- reading ---------------------------------------------------------------------------------

    def reingest(self, document: Document) -> IngestResult:
        key = _lineage_key(document)
        with self._guard(f"re-ingesting {document.name}") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT d.id, d.version, d.is_current, d.lineage_pk, l.key FROM document d "
                    "JOIN lineage l ON l.pk = d.lineage_pk WHERE d.content_hash = ?",
                    (document.content_hash,),
                ).fetchone()
                if row is None:
                    raise DocumentNotFound(f"{document.name} is not stored yet: ingest it first")
                doc_id, version, is_current, lineage_pk, lineage_key = row
                if is_current or lineage_key != key:
                    db.execute("ROLLBACK")
                    return IngestResult("unchanged", doc_id, version)
                db.execute("UPDATE document SET is_current = 0 WHERE lineage_pk = ?", (lineage_pk,))
                db.execute("UPDATE document SET is_current = 1 WHERE id = ?", (doc_id,))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return IngestResult("restored", doc_id, version)

    def has_version(self, content_hash: str) -> bool:
        with self._guard("looking up a content hash") as db:
            row = db.execute("SELECT 1 FROM document WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def documents(self) -> list[DocumentRow]:
        with self._guard("listing documents") as db:
            rows = db.execute(
                f"SELECT {_DOCUMENT_ROW} FROM document WHERE is_current = 1 ORDER BY name, source_path, id"
            ).fetchall()
        return [_document_row(r) for r in rows]

    def get_document(self, ref: str, version: int | None = None) -> StoredDocument:
        """Resolve ``ref`` (see ``resolve``); ``version`` picks another version of the same document."""
        with self._guard(f"reading document {ref!r}") as db:
            return self._load(db, self._resolve_version(db, ref, version))

    def marked_document(self, ref: str, version: int | None = None) -> MarkedDocument:
        """``get_document``'s version, read as flat rows."""
        with self._guard(f"reading document {ref!r}") as db:
            pk = self._resolve_version(db, ref, version)
            document, _, analysis_metadata, version, current, ingested_at, versions = self._document_of(db, pk)
            quotes = tuple(
                map(
                    MarkedQuote._make,
                    db.execute(
                        "SELECT id, span_start, span_end, text, kind, speaker, cue, work, page, edition, parent "
                        "FROM quote WHERE doc_pk = ? ORDER BY seq",
                        (pk,),
                    ),
                )
            )
            entities = db.execute(
                "SELECT canonical, type, spans FROM entity WHERE doc_pk = ? ORDER BY seq", (pk,)
            ).fetchall()
            # all the spans decoded by one json.loads (as in _load; SQLite's json_each cost three times as much)
            spans = json.loads("[" + ",".join([e[2] for e in entities]) + "]")
            entity_spans = tuple(
                MarkedEntity(canonical, type_, start, end)
                for (canonical, type_, _), pairs in zip(entities, spans, strict=True)
                for start, end in pairs
            )
            dates = tuple(
                map(
                    MarkedDate._make,
                    db.execute(
                        "SELECT span_start, span_end, text, value FROM date_ref WHERE doc_pk = ? ORDER BY seq", (pk,)
                    ),
                )
            )
        return MarkedDocument(
            document, analysis_metadata, quotes, entity_spans, dates, version, current, ingested_at, versions
        )

    def _resolve_version(self, db: sqlite3.Connection, ref: str, version: int | None) -> int:
        """The pk of the document ``ref`` resolves to, or of its version ``version``."""
        pk = self._resolve(db, ref)
        if version is None:
            return pk
        row = db.execute(
            "SELECT d.pk FROM document d JOIN document r ON r.lineage_pk = d.lineage_pk "
            "WHERE r.pk = ? AND d.version = ?",
            (pk, version),
        ).fetchone()
        if row is None:
            count = db.execute(
                "SELECT count(*) FROM document d JOIN document r ON r.lineage_pk = d.lineage_pk WHERE r.pk = ?",
                (pk,),
            ).fetchone()[0]
            raise DocumentNotFound(f"{ref!r} has no version {version}: it has versions 1 to {count}")
        return int(row[0])

    def resolve(self, ref: str) -> str:
        """The document id ``ref`` stands for (current version unless ``ref`` is an id or prefix)."""
        with self._guard(f"resolving {ref!r}") as db:
            pk = self._resolve(db, ref)
            return str(db.execute("SELECT id FROM document WHERE pk = ?", (pk,)).fetchone()[0])

    def version_ids(self, ref: str) -> list[str]:
        with self._guard(f"listing the versions of {ref!r}") as db:
            pk = self._resolve(db, ref)
            rows = db.execute(
                "SELECT d.id FROM document d JOIN document r ON r.lineage_pk = d.lineage_pk "
                "WHERE r.pk = ? ORDER BY d.version",
                (pk,),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def _resolve(self, db: sqlite3.Connection, ref: str) -> int:
        """Document pk for an id, source path, name, stem, id prefix or the start of one current
        document's file name — the first kind that matches."""
        ref = _clean(ref).strip()
        if not ref:
            raise DocumentNotFound(f"no document reference given: {_HINT}")
        row = db.execute("SELECT pk FROM document WHERE id = ?", (ref.lower(),)).fetchone()
        if row is not None:
            return int(row[0])
        lineages = self._lineages(
            db,
            "SELECT lineage_pk FROM document WHERE source_path = ? UNION SELECT pk FROM lineage WHERE key = ?",
            (ref, "path:" + _normalise_path(ref)),
        )
        if not lineages:
            lineages = self._lineages(db, "SELECT lineage_pk FROM document WHERE name = ?", (ref,))
        if not lineages:
            lineages = self._lineages(db, "SELECT lineage_pk FROM document WHERE stem = ?", (ref,))
        if len(lineages) == 1:
            return int(
                db.execute(
                    "SELECT pk FROM document WHERE lineage_pk = ? AND is_current = 1", (lineages[0],)
                ).fetchone()[0]
            )
        if len(lineages) > 1:
            paths = [
                r[0] or r[1]
                for r in db.execute(
                    "SELECT source_path, id FROM document WHERE is_current = 1 AND lineage_pk IN "
                    f"({', '.join('?' * len(lineages))}) ORDER BY source_path, id",
                    lineages,
                )
            ]
            raise DocumentNotFound(
                f"{ref!r} matches {len(lineages)} documents ({', '.join(paths)}): give the source "
                f"path or the document id; {_HINT}"
            )
        prefix = ref.lower()
        if len(prefix) >= MIN_PREFIX and all(c in "0123456789abcdef" for c in prefix):
            hits = db.execute(
                "SELECT pk, id FROM document WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
                (len(prefix), prefix),
            ).fetchall()
            if len(hits) == 1:
                return int(hits[0][0])
            if hits:
                raise DocumentNotFound(
                    f"{ref!r} is the start of several document ids ({', '.join(h[1] for h in hits)}): "
                    f"give more of the id; {_HINT}"
                )
        named = (
            db.execute(
                "SELECT pk, name FROM document WHERE is_current = 1 AND substr(name, 1, ?) = ? ORDER BY name LIMIT 6",
                (len(ref), ref),
            ).fetchall()
            if len(ref) >= MIN_NAME_START
            else []
        )
        if len(named) == 1:  # "003" for 003_34df39d8ba34d179.txt
            return int(named[0][0])
        if named:
            raise DocumentNotFound(
                f"{ref!r} is the start of several file names ({', '.join(n[1] for n in named)}): "
                f"give more of the name; {_HINT}"
            )
        raise DocumentNotFound(
            f"no document matches {ref!r} (give an id or its first {MIN_PREFIX}+ characters, a file "
            f"name or its start, a stem or a source path); {_HINT}"
        )

    @staticmethod
    def _lineages(db: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[int]:
        return sorted({int(r[0]) for r in db.execute(sql, params)})

    def quote_context(self, ref: str, quote_id: str) -> QuoteContext:
        """Resolve ``ref`` as ``get_document`` does; read the quotation, its parent and children only."""
        with self._guard(f"reading quotation {quote_id!r} of {ref!r}") as db:
            pk = self._resolve(db, ref)
            r = db.execute(f"SELECT {_DOCUMENT_ROW}, text, is_current FROM document WHERE pk = ?", (pk,)).fetchone()
            related = self._quotes_of(
                db,
                pk,
                "AND (id = :quote OR parent = :quote "
                "OR id = (SELECT parent FROM quote WHERE doc_pk = :doc AND id = :quote))",
                {"quote": quote_id},
            )
        row, (text, current) = _document_row(r[:_DOCUMENT_ROW_LENGTH]), r[_DOCUMENT_ROW_LENGTH:]
        quote = next((q for q in related if q.id == quote_id), None)
        if quote is None:
            return QuoteContext(row, text, bool(current), None, None, ())
        parent = next((q for q in related if q.id == quote.parent), None)
        children = tuple(q for q in related if q.parent == quote_id)
        return QuoteContext(row, text, bool(current), quote, parent, children)

    def _document_of(self, db: sqlite3.Connection, pk: int) -> tuple[Document, str, Metadata, int, bool, str, int]:
        """Document pk as read, with its analysis's document name and metadata, version, whether it is
        current, when it was ingested and how many versions its lineage has."""
        d = db.execute(
            "SELECT name, text, format, content_hash, encoding, source_path, repairs, metadata, "
            "blockquotes, analysis_document, analysis_metadata, version, is_current, ingested_at, "
            "(SELECT count(*) FROM document o WHERE o.lineage_pk = document.lineage_pk) "
            "FROM document WHERE pk = ?",
            (pk,),
        ).fetchone()
        document = Document(
            name=d[0],
            text=d[1],
            format=cast(DocumentFormat, d[2]),
            content_hash=d[3],
            encoding=d[4],
            source_path=d[5],
            repairs=tuple(json.loads(d[6])),
            metadata=_metadata_from_json(d[7]),
            blockquotes=_spans_from_json(d[8]),
        )
        return document, d[9], _metadata_from_json(d[10]), d[11], bool(d[12]), d[13], d[14]

    def _load(self, db: sqlite3.Connection, pk: int) -> StoredDocument:
        document, analysed_name, analysis_metadata, version, current, ingested_at, versions = self._document_of(db, pk)
        dates = tuple(
            DateRef(r[0], r[1], r[2], r[3], bool(r[4]))
            for r in db.execute(
                "SELECT span_start, span_end, text, value, typo FROM date_ref WHERE doc_pk = ? ORDER BY seq",
                (pk,),
            )
        )
        entity_rows = db.execute(
            "SELECT canonical, type, '[' || mentions || ',' || spans || ']' FROM entity WHERE doc_pk = ? ORDER BY seq",
            (pk,),
        ).fetchall()
        # every entity's mentions and spans decoded by one json.loads: a call per entity cost more than the decoding
        decoded = json.loads("[" + ",".join([r[2] for r in entity_rows]) + "]")
        entities = tuple(
            Entity(r[0], cast(EntityType, r[1]), tuple(mentions), tuple(starmap(Span, spans)))
            for r, (mentions, spans) in zip(entity_rows, decoded, strict=True)
        )
        analysis = Analysis(
            document=analysed_name,
            metadata=analysis_metadata,
            quotes=self._quotes_of(db, pk),
            dates=dates,
            entities=entities,
        )
        return StoredDocument(document, analysis, version, current, ingested_at, versions)

    def _quotes_of(
        self, db: sqlite3.Connection, pk: int, narrowed: str = "", params: Mapping[str, Any] | None = None
    ) -> tuple[Quote, ...]:
        """The quotations of document ``pk`` in document order, all or those the ``narrowed`` condition
        (SQL over the quote table, with named ``params``) keeps."""
        return tuple(
            map(
                self._quote_from_row,
                db.execute(
                    "SELECT id, span_start, span_end, text, kind, speaker, cue, has_source, work, page, "
                    "edition, evidence, citation_start, citation_end, parent, speaker_start, speaker_end, "
                    "cue_start, cue_end, confidence, closed FROM quote WHERE doc_pk = :doc "
                    f"{narrowed} ORDER BY seq",
                    {"doc": pk, **(params or {})},
                ),
            )
        )

    @staticmethod
    def _quote_from_row(r: sqlite3.Row | tuple[Any, ...]) -> Quote:
        source = (
            Source(work=r[8], page=r[9], edition=r[10], citation=_span(r[12], r[13]), evidence=r[11]) if r[7] else None
        )
        return Quote(
            id=r[0],
            start=r[1],
            end=r[2],
            text=r[3],
            kind=cast(QuoteKind, r[4]),
            speaker=r[5],
            cue=r[6],
            source=source,
            parent=r[14],
            speaker_span=_span(r[15], r[16]),
            cue_span=_span(r[17], r[18]),
            confidence=r[19],
            closed=bool(r[20]),
        )

    def quotes(
        self,
        speaker: str | None = None,
        work: str | None = None,
        search: str | None = None,
        kind: str | None = None,
        document: str | None = None,
        limit: int | None = None,
    ) -> list[QuoteRow]:
        """Quotations of current versions (or of the one version ``document`` resolves to).

        ``speaker``/``work`` are folded substrings ("trotsky" finds "Léon Trotsky"); ``search`` is
        full-text over quotation text and speaker, ranked by BM25; otherwise rows come in document
        order.
        """
        if kind is not None and kind not in QUOTE_KINDS:
            raise StoreError(f"unknown quotation kind {kind!r}: use one of {', '.join(QUOTE_KINDS)}")
        if limit is not None and limit < 0:
            raise StoreError(f"limit must be 0 or more, not {limit}")
        where: list[str] = []
        params: list[Any] = []
        source = "quote q JOIN document d ON d.pk = q.doc_pk"
        order = "d.name, d.source_path, d.id, q.seq"
        if search is not None:
            match = fts_query(search)
            if match is None:
                return []
            source = "quote_fts JOIN quote q ON q.pk = quote_fts.rowid JOIN document d ON d.pk = q.doc_pk"
            where.append("quote_fts MATCH ?")
            params.append(match)
            order = f"bm25(quote_fts), {order}"
        with self._guard("listing quotations") as db:
            if document is not None:
                where.append("d.pk = ?")
                params.append(self._resolve(db, document))
            else:
                where.append("d.is_current = 1")
            if speaker is not None:
                where.append("instr(q.speaker_key, ?) > 0")
                params.append(fold(speaker))
            if work is not None:
                where.append("instr(q.work_key, ?) > 0")
                params.append(fold(work))
            if kind is not None:
                where.append("q.kind = ?")
                params.append(kind)
            params.append(-1 if limit is None else limit)
            rows = db.execute(
                f"SELECT {_QUOTE_ROW_COLUMNS} FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?",
                params,
            ).fetchall()
        return [QuoteRow(*r) for r in rows]

    def speakers(self) -> list[SpeakerRow]:
        with self._guard("listing speakers") as db:
            totals = db.execute(
                "SELECT q.speaker, count(*), count(DISTINCT q.doc_pk) FROM quote q "
                "JOIN document d ON d.pk = q.doc_pk WHERE d.is_current = 1 AND q.speaker IS NOT NULL "
                "GROUP BY q.speaker"
            ).fetchall()
            kinds: dict[str, dict[str, int]] = {}
            for name, kind, count in db.execute(
                "SELECT q.speaker, q.kind, count(*) FROM quote q JOIN document d ON d.pk = q.doc_pk "
                "WHERE d.is_current = 1 AND q.speaker IS NOT NULL GROUP BY q.speaker, q.kind "
                "ORDER BY q.kind"
            ):
                kinds.setdefault(name, {})[kind] = count
        rows = [SpeakerRow(name, count, docs, kinds.get(name, {})) for name, count, docs in totals]
        rows.sort(key=lambda r: (-r.quote_count, fold(r.speaker), r.speaker))
        return rows

    def entity_rows(self, type: str | None = None) -> list[EntityRow]:
        sql = (
            "SELECT d.id, d.name, e.canonical, e.type, e.mentions, e.spans FROM entity e "
            "JOIN document d ON d.pk = e.doc_pk WHERE d.is_current = 1"
        )
        params: list[Any] = []
        if type is not None:
            sql += " AND e.type = ?"
            params.append(type.upper())
        sql += " ORDER BY d.name, e.seq"
        with self._guard("listing entities") as db:
            rows = db.execute(sql, params).fetchall()
        return [
            EntityRow(
                r[0],
                r[1],
                r[2],
                r[3],
                tuple(json.loads(r[4])),
                tuple((s.start, s.end) for s in _spans_from_json(r[5])),
            )
            for r in rows
        ]

    def date_rows(self) -> list[DateRow]:
        with self._guard("listing dates") as db:
            rows = db.execute(
                "SELECT d.id, d.name, t.span_start, t.span_end, t.text, t.value, t.typo FROM date_ref t "
                "JOIN document d ON d.pk = t.doc_pk WHERE d.is_current = 1 ORDER BY d.name, t.seq"
            ).fetchall()
        return [DateRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]

    # -- verdicts --------------------------------------------------------------------------------

    def save_verdicts(self, rows: Sequence[VerdictRow]) -> None:
        """All rows in one transaction: a crash leaves the previous verdicts, never half of the new ones."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._guard("saving verdicts") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    found = db.execute(
                        "SELECT q.pk FROM quote q JOIN document d ON d.pk = q.doc_pk WHERE d.id = ? AND q.id = ?",
                        (row.document_id, row.quote_id),
                    ).fetchone()
                    if found is None:
                        raise QuoteNotFound(f"no stored quotation {row.permalink}: cannot save its verdict")
                    db.execute(
                        "INSERT OR REPLACE INTO verdict (quote_pk, verdict, confidence, cited_document_id, "
                        "source_document_id, passage_start, passage_end, edits, elsewhere, similarity, "
                        "source_used, source_reason, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            found[0],
                            row.verdict,
                            row.confidence,
                            row.cited_document_id,
                            row.source_document_id,
                            row.passage_start,
                            row.passage_end,
                            _dump(list(row.edits)),
                            _dump(list(row.elsewhere)),
                            row.similarity,
                            row.source_used,
                            row.source_reason,
                            now,
                        ),
                    )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    _VERDICT_COLUMNS = (
        "d.id, q.id, v.verdict, v.confidence, v.cited_document_id, v.source_document_id, v.passage_start, "
        "v.passage_end, v.edits, v.source_used, v.source_reason, v.elsewhere, v.similarity, v.verified_at"
    )
    # A verdict holds offsets into the versions it was checked against: once either is replaced by a
    # newer version, it no longer says anything (``quotegraph verify`` gives a new one).
    _VERDICT_SOURCES_CURRENT = (
        " AND NOT EXISTS (SELECT 1 FROM document s WHERE s.is_current = 0 "
        "AND s.id IN (v.cited_document_id, v.source_document_id))"
    )

    @staticmethod
    def _verdict_row(r: Sequence[Any]) -> VerdictRow:
        return VerdictRow(
            document_id=r[0],
            quote_id=r[1],
            verdict=r[2],
            confidence=r[3],
            cited_document_id=r[4],
            source_document_id=r[5],
            passage_start=r[6],
            passage_end=r[7],
            edits=tuple(json.loads(r[8])),
            source_used=r[9],
            source_reason=r[10],
            elsewhere=tuple(json.loads(r[11])),
            similarity=r[12],
            verified_at=r[13],
        )

    def verdicts(self, document: str | None = None, verdict: str | None = None) -> list[VerdictRow]:
        where: list[str] = []
        params: list[Any] = []
        with self._guard("listing verdicts") as db:
            if document is not None:
                where.append("d.pk = ?")
                params.append(self._resolve(db, document))
            else:
                where.append("d.is_current = 1")
            if verdict is not None:
                where.append("v.verdict = ?")
                params.append(verdict)
            rows = db.execute(
                f"SELECT {self._VERDICT_COLUMNS} FROM verdict v JOIN quote q ON q.pk = v.quote_pk "
                f"JOIN document d ON d.pk = q.doc_pk WHERE {' AND '.join(where)}{self._VERDICT_SOURCES_CURRENT} "
                "ORDER BY d.name, d.id, q.seq",
                params,
            ).fetchall()
        return [self._verdict_row(r) for r in rows]

    def verdict_of(self, document_id: str, quote_id: str) -> VerdictRow | None:
        with self._guard("reading a verdict") as db:
            row = db.execute(
                f"SELECT {self._VERDICT_COLUMNS} FROM verdict v JOIN quote q ON q.pk = v.quote_pk "
                "JOIN document d ON d.pk = q.doc_pk WHERE d.id = ? AND q.id = ?" + self._VERDICT_SOURCES_CURRENT,
                (document_id, quote_id),
            ).fetchone()
        return None if row is None else self._verdict_row(row)

    def search_text(self, query: str, limit: int = 20, *, highlight: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """BM25-ranked hits in current documents' titles and texts and in their quotations.

        ``highlight`` wraps the matched terms in the snippet: pick marks that cannot occur in the
        text (e.g. control characters) if the caller escapes HTML afterwards.
        """
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self._guard("searching") as db:
            doc_hits = [
                (-r[4], r[0], SearchHit("document", r[1], r[2], r[3], None, None, None, None, "", -r[4]))
                for r in db.execute(
                    "SELECT d.pk, d.id, d.name, d.title, bm25(document_fts, 2.0, 1.0) AS rank "
                    "FROM document_fts JOIN document d ON d.pk = document_fts.rowid "
                    "WHERE document_fts MATCH ? AND d.is_current = 1 ORDER BY rank LIMIT ?",
                    (match, limit),
                )
            ]
            quote_hits = [
                (-r[7], r[8], SearchHit("quote", r[0], r[1], r[2], r[3], r[4], r[5], r[6], "", -r[7]))
                for r in db.execute(
                    "SELECT d.id, d.name, d.title, q.id, q.speaker, q.span_start, q.span_end, "
                    "bm25(quote_fts) AS rank, q.text FROM quote_fts "
                    "JOIN quote q ON q.pk = quote_fts.rowid JOIN document d ON d.pk = q.doc_pk "
                    "WHERE quote_fts MATCH ? AND d.is_current = 1 ORDER BY rank LIMIT ?",
                    (match, limit),
                )
            ]
            best = sorted(doc_hits + quote_hits, key=lambda h: -h[0])[:limit]
            hits = []
            # Snippets only for the hits returned; a document's text is read up to the scan limit.
            for _, source, hit in best:
                if hit.kind == "document":
                    source = db.execute(
                        f"SELECT substr(text, 1, {SCAN}) FROM document WHERE pk = ?", (source,)
                    ).fetchone()[0]
                hits.append(replace(hit, snippet=snippet(str(source), query, highlight)))
        return hits

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> SearchPage:
        """Filters and counts in SQL over every current match; BM25 ranks only what the page needs.

        Documents and quotations are ranked separately (their BM25 scores are merged as
        ``search_text`` does), so each table yields at most ``offset + limit`` ranked rows; only the
        page's hits get a snippet, their texts read in one statement.
        """
        filters = {k: v for k, v in (filters or {}).items() if v}
        facets.check(filters)
        if limit < 0 or offset < 0:
            raise StoreError(f"limit and offset must be 0 or more, not {limit} and {offset}")
        match = fts_query(query)
        if match is None:
            return SearchPage((), 0, facets.count({}, {}, {}, {}, {}))
        with self._guard("searching") as db:
            revision = self.revision()  # of everything read below: what is kept between searches is by revision
            current = self._current_documents(db, revision)
            docs = current.by_pk
            narrowed = any(f in filters for f in _DOCUMENT_FILTERS)
            kind = filters.get("kind")
            quote_only = ("speaker", "work", "verdict")
            search_docs = kind in (None, "document") and not any(f in filters for f in quote_only)
            # (field of ``_QuoteFacts``, value) a matching quotation must have
            checks = [(attrgetter(name), filters[name]) for name in ("speaker", "work", "verdict") if name in filters]
            if kind not in (None, "document"):
                checks.append((attrgetter("kind"), kind))
            wanted = offset + limit
            kinds: Counter[str | None] = Counter()  # matches of each kind ("document" or the quotation's)
            per_document: Counter[int] = Counter()  # matches in each document (its text, its quotations)
            matched: list[_QuoteFacts] = []  # the quotations matching
            # (score, name, kind, pk, quotation row or None): sorted, then the page's slice made into hits
            ranked: list[tuple[float, str, str, int, _QuoteFacts | None]] = []
            # the current documents passing the document filters: those whose matches count
            allowed = {pk for pk, d in docs.items() if _document_passes(d, filters)} if narrowed else docs
            if search_docs:
                # Ranked without a rowid filter (FTS5 would run the match once per listed rowid); there
                # are at most as many document matches as documents.
                ranks = db.execute(
                    "SELECT rowid, bm25(document_fts, 2.0, 1.0) AS rank FROM document_fts WHERE document_fts MATCH ? "
                    "ORDER BY rank",
                    (match,),
                ).fetchall()
                ranks = [(pk, rank) for pk, rank in ranks if pk in allowed]
                per_document.update(map(itemgetter(0), ranks))
                if ranks:
                    kinds["document"] = len(ranks)
                ranked += [(-rank, docs[pk].name, "document", pk, None) for pk, rank in ranks[:wanted]]
            if kind != "document":
                # FTS5 ranks every match; each one's columns come from ``_quote_facts`` and its document's
                # from the cached listing: joining ``quote`` row by row cost as much again as BM25.
                known = self._quote_facts(
                    db,
                    revision,
                    db.execute("SELECT rowid, bm25(quote_fts) FROM quote_fts WHERE quote_fts MATCH ?", (match,)),
                )
                quotes = [(r, rank) for r, rank in known if r.doc_pk in allowed]
                for field, value in checks:
                    quotes = [(r, rank) for r, rank in quotes if field(r) == value]
                matched = [r for r, _ in quotes]
                per_document.update(map(attrgetter("doc_pk"), matched))
                kinds.update(map(attrgetter("kind"), matched))
                # The best ``wanted``, equal ranks in the order matched: what SQLite's ORDER BY rank LIMIT keeps
                best_quotes = heapq.nsmallest(wanted, quotes, key=itemgetter(1))
                ranked += [(-rank, docs[r.doc_pk].name, "quote", r.pk, r) for r, rank in best_quotes]
            ranked.sort(key=lambda item: (-item[0], item[1], item[2], item[3]))
            shown = ranked[offset:wanted]
            on_page: dict[str, list[int]] = {"document": [], "quote": []}
            for _, _, kind_, pk, _ in shown:
                on_page[kind_].append(pk)
            texts = self._searchable_texts(db, revision, on_page)
            page = []
            for score, _, _, pk, facts in shown:
                if facts is None:
                    d = docs[pk]
                    hit = SearchHit(
                        kind="document",
                        document_id=d.id,
                        document_name=d.name,
                        title=d.title,
                        quote_id=None,
                        speaker=None,
                        start=None,
                        end=None,
                        snippet=snippet(texts["document", pk], query, highlight),
                        score=score,
                        authors=d.authors,
                        publication=d.publication,
                        published=d.published,
                    )
                else:
                    d = docs[facts.doc_pk]
                    hit = SearchHit(
                        kind="quote",
                        document_id=d.id,
                        document_name=d.name,
                        title=d.title,
                        quote_id=facts.id,
                        speaker=facts.speaker,
                        start=facts.start,
                        end=facts.end,
                        snippet=snippet(texts["quote", pk], query, highlight),
                        score=score,
                        quote_kind=facts.kind,
                        work=facts.work,
                        authors=d.authors,
                        publication=d.publication,
                        published=d.published,
                        verdict=facts.verdict,
                    )
                page.append(hit)
        documents: Counter[facets.DocumentValues] = Counter()
        for pk, n in per_document.items():
            documents[docs[pk].values] += n
        counts = facets.count(
            kinds,
            Counter(map(attrgetter("speaker"), matched)),
            Counter(map(attrgetter("work"), matched)),
            Counter(map(attrgetter("verdict"), matched)),
            documents,
        )
        return SearchPage(tuple(page), kinds.total(), counts)

    def _searchable_texts(
        self, db: sqlite3.Connection, revision: str, wanted: Mapping[str, list[int]]
    ) -> dict[tuple[str, int], Searchable]:
        """The texts of the listed documents and quotations, as snippets read them: those kept from
        earlier searches of this revision, the others read in one statement (and kept)."""
        texts: dict[tuple[str, int], Searchable] = {}
        missing: dict[str, list[int]] = {"document": [], "quote": []}
        for kind, pks in wanted.items():
            for pk in pks:
                found = self._searchables.get(revision, (kind, pk))
                if found is None:
                    missing[kind].append(pk)
                else:
                    texts[kind, pk] = found
        if missing["document"] or missing["quote"]:
            for kind, pk, text in db.execute(
                _PAGE_TEXTS, (json.dumps(missing["document"]), json.dumps(missing["quote"]))
            ):
                texts[kind, pk] = self._searchables.put(revision, (kind, pk), text)
        return texts

    def _quote_facts(
        self, db: sqlite3.Connection, revision: str, ranked: Iterable[tuple[int, float]]
    ) -> list[tuple[_QuoteFacts, float]]:
        """Each ranked quotation's ``_QuoteFacts`` with its rank, in the order given: kept per store
        revision as they are first asked for (all of them again once more than ``_QUOTE_FACTS_KEPT``)."""
        ranks = list(ranked)
        if self._quote_facts_cache[0] != revision or len(self._quote_facts_cache[1]) > _QUOTE_FACTS_KEPT:
            self._quote_facts_cache = (revision, {})
        known = self._quote_facts_cache[1]
        missing = [pk for pk, _ in ranks if pk not in known]
        if missing:
            for r in db.execute(
                "SELECT q.pk, q.doc_pk, q.id, q.speaker, q.span_start, q.span_end, q.kind, q.work, v.verdict "
                "FROM quote q LEFT JOIN verdict v ON v.quote_pk = q.pk WHERE q.pk IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            ):
                known[r[0]] = _QuoteFacts(*r)
        return [(known[pk], rank) for pk, rank in ranks if pk in known]

    def _current_documents(self, db: sqlite3.Connection, revision: str) -> _CurrentDocuments:
        """What search needs of every current document, read once per store revision (per connection)."""
        if self._documents_cache is None or self._documents_cache[0] != revision:
            docs = {
                r[0]: _DocumentFacets(r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6])
                for r in db.execute(
                    "SELECT pk, id, name, title, authors, publication, published FROM document WHERE is_current = 1"
                )
            }
            current = _CurrentDocuments(docs)
            self._documents_cache = (revision, current)
        return self._documents_cache[1]

    def works(self) -> list[WorkRow]:
        with self._guard("listing works") as db:
            rows = db.execute(
                "SELECT q.work, count(*), count(DISTINCT q.doc_pk) FROM quote q JOIN document d ON d.pk = q.doc_pk "
                "WHERE d.is_current = 1 AND q.work IS NOT NULL GROUP BY q.work"
            ).fetchall()
        out = [WorkRow(*r) for r in rows]
        out.sort(key=lambda r: (-r.quote_count, fold(r.work), r.work))
        return out

    def stats(self) -> CorpusStats:
        with self._guard("counting") as db:
            documents, versions = db.execute("SELECT sum(is_current), count(*) FROM document").fetchone()
            kinds = dict(
                db.execute(
                    "SELECT q.kind, count(*) FROM quote q JOIN document d ON d.pk = q.doc_pk "
                    "WHERE d.is_current = 1 GROUP BY q.kind ORDER BY q.kind"
                ).fetchall()
            )
            speakers, works = db.execute(
                "SELECT count(DISTINCT q.speaker), count(DISTINCT q.work) FROM quote q "
                "JOIN document d ON d.pk = q.doc_pk WHERE d.is_current = 1"
            ).fetchone()
            dates = db.execute(
                "SELECT count(*) FROM date_ref t JOIN document d ON d.pk = t.doc_pk WHERE d.is_current = 1"
            ).fetchone()[0]
        return CorpusStats(
            documents or 0, versions, {k: kinds[k] for k in QUOTE_KINDS if k in kinds}, speakers, works, dates
        )

    def texts(self, document_ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(document_ids))
        out: dict[str, str] = {}
        with self._guard("reading texts") as db:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                out.update(
                    db.execute(
                        f"SELECT id, text FROM document WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                    ).fetchall()
                )
        return out

    def revision(self) -> str:
        """Any ingest adds a row or moves ``is_current``, saving verdicts adds or re-dates them, saving
        families gives them new keys: each changes one of these numbers.

        A read-only connection asks SQLite first whether anyone committed since it last looked
        (``PRAGMA data_version``, which ignores the connection's own writes, hence read-only only).
        """
        with self._guard("reading the store's revision") as db:
            if self.read_only:
                version = db.execute("PRAGMA data_version").fetchone()[0]
                if self._revision is not None and self._revision[0] == version:
                    return self._revision[1]
            row = db.execute(
                "SELECT count(*), max(pk), sum(pk * is_current), "
                "(SELECT count(*) FROM verdict), (SELECT max(verified_at) FROM verdict), "
                "(SELECT max(pk) FROM family) FROM document"  # families are replaced: new pks each time
            ).fetchone()
            revision = ":".join(str(v or 0) for v in row)
            if self.read_only:
                self._revision = (version, revision)
        return revision

    # -- quotation families (written by the link step) -------------------------------------------

    def save_families(self, families: Sequence[Family]) -> None:
        """Replace every family in one transaction: a crash leaves the old families or the new ones."""
        with self._guard("saving quotation families") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM family_member")
                db.execute("DELETE FROM family")
                for family in families:
                    pk = db.execute(
                        "INSERT INTO family (id, size, document_count) VALUES (?, ?, ?)",
                        (family.id, len(family.members), len(family.documents)),
                    ).lastrowid
                    db.executemany(
                        "INSERT INTO family_member (family_pk, seq, document_id, quote_id, relation, similarity) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            (pk, seq, m.occurrence.document_id, m.occurrence.quote_id, m.relation, m.similarity)
                            for seq, m in enumerate(family.members)
                        ],
                    )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    _FAMILY_MEMBERS = (
        "SELECT f.id, d.id, d.name, m.quote_id, q.speaker, q.kind, q.text, m.relation, m.similarity "
        "FROM family f JOIN family_member m ON m.family_pk = f.pk "
        "JOIN document d ON d.id = m.document_id AND d.is_current = 1 "
        "JOIN quote q ON q.doc_pk = d.pk AND q.id = m.quote_id "
    )

    @staticmethod
    def _family_rows(rows: Iterable[tuple[Any, ...]]) -> list[FamilyRow]:
        members: dict[str, list[FamilyMemberRow]] = {}
        for r in rows:
            members.setdefault(r[0], []).append(FamilyMemberRow(*r[1:]))
        return [FamilyRow(family_id, tuple(found)) for family_id, found in members.items()]

    def families(self, min_size: int = 2) -> list[FamilyRow]:
        with self._guard("listing quotation families") as db:
            rows = db.execute(
                self._FAMILY_MEMBERS + "ORDER BY f.size DESC, f.document_count DESC, f.pk, m.seq"
            ).fetchall()
        return [f for f in self._family_rows(rows) if f.size >= min_size]

    def family_of(self, document_id: str, quote_id: str) -> FamilyRow | None:
        with self._guard("looking up a quotation family") as db:
            rows = db.execute(
                self._FAMILY_MEMBERS + "WHERE f.pk = (SELECT family_pk FROM family_member "
                "WHERE document_id = ? AND quote_id = ?) ORDER BY m.seq",
                (document_id, quote_id),
            ).fetchall()
        found = self._family_rows(rows)
        return found[0] if found else None

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._guard("reading cached embeddings") as db:
            for begin in range(0, len(keys), 500):  # within SQLite's limit on bound parameters
                chunk = list(keys[begin : begin + 500])
                marks = ", ".join("?" * len(chunk))
                found.update(db.execute(f"SELECT key, vector FROM embedding WHERE key IN ({marks})", chunk))
        return found

    def save_embeddings(self, model: str, vectors: Mapping[str, bytes]) -> None:
        with self._guard("caching embeddings") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT OR IGNORE INTO embedding (key, model, vector) VALUES (?, ?, ?)",
                    [(key, model, vector) for key, vector in vectors.items()],
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
