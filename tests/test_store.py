"""The embedded store: lossless round trip, idempotency, versions, crash safety, search, filters."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.errors import DocumentNotFound, StoreError, StoreSchemaMismatch
from quotegraph.model import (
    QUOTE_KINDS,
    Analysis,
    DateRef,
    Document,
    Entity,
    Metadata,
    Quote,
    Source,
    Span,
)
from quotegraph.store import (
    MarkedDate,
    MarkedEntity,
    MarkedQuote,
    SQLiteStore,
    Store,
    StoredDocument,
    open_store,
)
from quotegraph.store.sqlite import fold, fts_query

# -- fixtures -------------------------------------------------------------------------------------


def make_doc(name: str, text: str, source_path: str | None = None, **kw: object) -> Document:
    return Document(
        name=name,
        text=text,
        format="txt",
        content_hash=Document.hash_bytes(text.encode("utf-8")),
        source_path=source_path,
        **kw,  # type: ignore[arg-type]
    )


def quote_of(text: str, words: str, qid: str, kind: str = "speech", speaker: str | None = None, **kw: object) -> Quote:
    start = text.index(words)
    return Quote(qid, start, start + len(words), words, kind, speaker, **kw)  # type: ignore[arg-type]


POLLITT = (
    "Harry Pollitt declared: “The cult of the individual must go.” Léon Trotsky had written "
    "“the revolution betrayed” in The Revolution Betrayed (p. 12), and the ‘Trotskyism’ label stuck."
)
KHRUSHCHEV = (
    "Khrushchev said: “We must abolish the cult of the individual decisively.” Trotsky, he added, was “a traitor”."
)
MAO = "Mao wrote that “a revolution is not a dinner party” in his Report on Hunan."


def pollitt() -> tuple[Document, Analysis]:
    doc = make_doc("000_pollitt.txt", POLLITT, "/corpus/000_pollitt.txt")
    quotes = (
        quote_of(POLLITT, "The cult of the individual must go.", "q1", speaker="Harry Pollitt", cue="declared"),
        quote_of(
            POLLITT,
            "the revolution betrayed",
            "q2",
            speaker="Léon Trotsky",
            cue="had written",
            source=Source("The Revolution Betrayed", page="12", evidence="citation"),
        ),
        quote_of(POLLITT, "Trotskyism", "q3", kind="term"),
    )
    return doc, Analysis(doc.name, doc.metadata, quotes)


def khrushchev() -> tuple[Document, Analysis]:
    doc = make_doc("001_khrushchev.txt", KHRUSHCHEV, "/corpus/001_khrushchev.txt")
    quotes = (
        quote_of(
            KHRUSHCHEV,
            "We must abolish the cult of the individual decisively.",
            "q1",
            speaker="Nikita Khrushchev",
            cue="said",
        ),
        quote_of(KHRUSHCHEV, "a traitor", "q2", speaker="Nikita Khrushchev"),
    )
    return doc, Analysis(doc.name, doc.metadata, quotes)


def mao() -> tuple[Document, Analysis]:
    doc = make_doc("002_mao.txt", MAO)
    quotes = (
        quote_of(
            MAO,
            "a revolution is not a dinner party",
            "q1",
            speaker="Mao Zedong",
            source=Source("Report on an Investigation of the Peasant Movement in Hunan", evidence="lead-in"),
        ),
    )
    return doc, Analysis(doc.name, doc.metadata, quotes)


def batch(n: int = 5, big: int = -1) -> list[tuple[Document, Analysis]]:
    """n small documents for the crash test; document ``big`` gets a text of a few MB so that the
    uncommitted transaction spills pages into the WAL before the process is killed."""
    out = []
    for i in range(n):
        text = f"Document {i}: the speaker {i} said “words number {i}” and “more words {i}”."
        if i == big:
            text += " filler" * 500_000
        doc = make_doc(f"{i:03d}_batch.txt", text, f"/batch/{i:03d}_batch.txt")
        quotes = (
            quote_of(text, f"words number {i}", "q1", speaker=f"Speaker {i}"),
            quote_of(text, f"more words {i}", "q2", speaker=f"Speaker {i}"),
        )
        out.append((doc, Analysis(doc.name, doc.metadata, quotes)))
    return out


def rich() -> tuple[Document, Analysis]:
    """Every field of every record set to something non-default."""
    text = "Title line\n\nSo says Zhukov: “Forward, ‘comrades’!” (Memoirs, p. 7, 2nd ed.) — 9141."
    meta = Metadata(
        title="Title line",
        authors=("A. Author", "B. Autorin"),
        publication="Daily Worker",
        volume="3",
        issue="12",
        pages="1-2",
        published="1956-03",
        posted="2013-08-11",
        poster="poster",
        editor="editor",
        transcriber="transcriber",
        archive="MIA",
        boilerplate=(Span(0, 5), Span(6, 10)),
    )
    doc = make_doc(
        "003_rich.html",
        text,
        "/corpus/003_rich.html",
        encoding="cp1252",
        repairs=("mojibake repaired", "encoding guessed"),
        metadata=meta,
        blockquotes=(Span(12, 40),),
    )
    outer = quote_of(
        text,
        "Forward, ‘comrades’!",
        "q1",
        speaker="Georgy Zhukov",
        cue="So says",
        source=Source("Memoirs", page="7", edition="2nd", citation=Span(60, 84), evidence="citation"),
        speaker_span=Span(20, 26),
        cue_span=Span(12, 19),
        confidence=0.37,
        closed=False,
    )
    inner = quote_of(
        text,
        "comrades",
        "q2",
        kind="term",
        parent="q1",
        source=Source(None, evidence="context"),
        confidence=1e-9,
    )
    analysis = Analysis(
        document=doc.name,
        metadata=Metadata(title="Analysed title", authors=("A. Author",), boilerplate=(Span(0, 5),)),
        quotes=(outer, inner),
        dates=(DateRef(text.index("9141"), text.index("9141") + 4, "9141", "1941", typo=True),),
        entities=(
            Entity("Georgy Zhukov", "PERSON", ("Zhukov", "Zhukhov"), (Span(20, 26),)),
            Entity("Daily Worker", "PUBLICATION", ("Daily Worker",)),
        ),
    )
    return doc, analysis


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "store.db") as s:
        yield s


@pytest.fixture
def filled(store: SQLiteStore) -> SQLiteStore:
    for doc, analysis in (pollitt(), khrushchev(), mao()):
        assert store.ingest(doc, analysis).status == "added"
    return store


def counts(path: Path | str) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = ["lineage", "document", "quote", "date_ref", "entity", "document_fts", "quote_fts"]
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


def check_integrity(path: Path | str) -> None:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts in ("document_fts", "quote_fts"):
            db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")
        # at most one current version per document, and every quote belongs to a stored document
        assert not db.execute(
            "SELECT lineage_pk FROM document GROUP BY lineage_pk HAVING sum(is_current) != 1"
        ).fetchall()
        assert not db.execute(
            "SELECT d.id FROM document d WHERE quote_count != (SELECT count(*) FROM quote q WHERE q.doc_pk = d.pk)"
        ).fetchall()
    finally:
        db.close()


# -- opening --------------------------------------------------------------------------------------


def test_new_store_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    assert isinstance(store, SQLiteStore)
    db = store._conn
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.documents()
    with SQLiteStore(tmp_path / "s.db") as again:  # reopening an existing store
        assert again.documents() == []


def test_protocol_is_satisfied(store: SQLiteStore) -> None:
    as_protocol: Store = store
    assert as_protocol.documents() == []


def test_random_file_is_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="not a quotegraph store") as info:
        SQLiteStore(path)
    assert str(path) in str(info.value)
    assert info.value.code == "QG300"


def test_text_file_is_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n" * 100)
    with pytest.raises(StoreError, match="not a quotegraph store"):
        SQLiteStore(path)


def test_other_sqlite_database_is_a_schema_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreSchemaMismatch, match="not a quotegraph store"):
        SQLiteStore(path)
    assert counts_of_t(path) == 0  # untouched


def counts_of_t(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM t").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize(("version", "words"), [(99, "newer"), (0, "older")])
def test_other_schema_version_is_a_schema_mismatch(tmp_path: Path, version: int, words: str) -> None:
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {version}")
    db.close()
    with pytest.raises(StoreSchemaMismatch, match=words) as info:
        SQLiteStore(path)
    assert info.value.code == "QG302"


def test_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path)  # a directory
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path / "missing" / "dir" / "s.db")


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStore(path) as store:
        assert store.ingest(*mao()).status == "added"


# -- round trip -----------------------------------------------------------------------------------


def test_round_trip_is_lossless(store: SQLiteStore) -> None:
    doc, analysis = rich()
    result = store.ingest(doc, analysis)
    assert (result.status, result.document_id, result.version) == ("added", doc.id, 1)
    stored = store.get_document(doc.id)
    assert stored.document == doc
    assert stored.analysis == analysis
    assert (stored.version, stored.current, stored.versions) == (1, True, 1)
    row = store.documents()[0]
    assert (row.id, row.name, row.source_path, row.version, row.quote_count) == (
        doc.id,
        doc.name,
        doc.source_path,
        1,
        2,
    )
    # queryable columns prefer the analysis metadata and fall back to the document's
    assert (row.title, row.authors, row.publication, row.published) == (
        "Analysed title",
        ("A. Author",),
        "Daily Worker",
        "1956-03",
    )


def spans() -> st.SearchStrategy[Span]:
    ints = st.integers(0, 2**40)
    return st.tuples(ints, ints).map(lambda p: Span(min(p), max(p)))


opt_text = st.none() | st.text(max_size=20)
metadata_st = st.builds(
    Metadata,
    title=opt_text,
    authors=st.lists(st.text(max_size=10), max_size=3).map(tuple),
    publication=opt_text,
    volume=opt_text,
    published=opt_text,
    archive=opt_text,
    boilerplate=st.lists(spans(), max_size=3).map(tuple),
)
source_st = st.builds(
    Source, work=opt_text, page=opt_text, edition=opt_text, citation=st.none() | spans(), evidence=st.text()
)
quote_st = st.builds(
    Quote,
    id=st.just(""),
    start=st.integers(0, 2**40),
    end=st.integers(0, 2**40),
    text=st.text(max_size=30),
    kind=st.sampled_from(QUOTE_KINDS),
    speaker=opt_text,
    cue=opt_text,
    source=st.none() | source_st,
    parent=opt_text,
    speaker_span=st.none() | spans(),
    cue_span=st.none() | spans(),
    confidence=st.floats(allow_nan=False),
    closed=st.booleans(),
)
entity_st = st.builds(
    Entity,
    canonical=st.text(max_size=20),
    type=st.sampled_from(["PERSON", "ORG", "PUBLICATION", "WORK", "GPE", "EVENT"]),
    mentions=st.lists(st.text(max_size=10), max_size=3).map(tuple),
    spans=st.lists(spans(), max_size=3).map(tuple),
)
date_st = st.builds(
    DateRef,
    start=st.integers(0, 2**40),
    end=st.integers(0, 2**40),
    text=st.text(max_size=10),
    value=opt_text,
    typo=st.booleans(),
)


@st.composite
def documents_and_analyses(draw: st.DrawFn) -> tuple[Document, Analysis]:
    doc = Document(
        name=draw(st.text(min_size=1, max_size=20)),
        text=draw(st.text(max_size=200)),
        format=draw(st.sampled_from(["txt", "md", "html"])),
        content_hash=Document.hash_bytes(draw(st.binary(max_size=20))),
        encoding=draw(st.text(max_size=10)),
        source_path=draw(opt_text),
        repairs=tuple(draw(st.lists(st.text(max_size=10), max_size=3))),
        metadata=draw(metadata_st),
        blockquotes=tuple(draw(st.lists(spans(), max_size=3))),
    )
    quotes = tuple(replace(q, id=f"q{i + 1}") for i, q in enumerate(draw(st.lists(quote_st, max_size=4))))
    analysis = Analysis(
        document=draw(st.text(max_size=20)),
        metadata=draw(metadata_st),
        quotes=quotes,
        dates=tuple(draw(st.lists(date_st, max_size=3))),
        entities=tuple(draw(st.lists(entity_st, max_size=3))),
    )
    return doc, analysis


@settings(max_examples=60, deadline=None)
@given(documents_and_analyses())
def test_round_trip_is_lossless_for_arbitrary_records(pair: tuple[Document, Analysis]) -> None:
    doc, analysis = pair
    with SQLiteStore(":memory:") as store:
        store.ingest(doc, analysis)
        stored = store.get_document(doc.id)
    assert stored.document == doc
    assert stored.analysis == analysis


def flat(stored: StoredDocument) -> tuple[tuple[MarkedQuote, ...], tuple[MarkedEntity, ...], tuple[MarkedDate, ...]]:
    """What ``marked_document`` should read: the stored analysis as rows, in its order."""
    analysis = stored.analysis
    return (
        tuple(MarkedQuote.of(q) for q in analysis.quotes),
        tuple(MarkedEntity(e.canonical, e.type, s.start, s.end) for e in analysis.entities for s in e.spans),
        tuple(MarkedDate(d.start, d.end, d.text, d.value) for d in analysis.dates),
    )


@settings(max_examples=60, deadline=None)
@given(documents_and_analyses())
def test_the_light_reads_hold_what_get_document_holds(pair: tuple[Document, Analysis]) -> None:
    doc, analysis = pair
    with SQLiteStore(":memory:") as store:
        store.ingest(doc, analysis)
        stored = store.get_document(doc.id)
        marked = store.marked_document(doc.id)
        assert (marked.document, marked.analysis_metadata) == (stored.document, stored.analysis.metadata)
        assert (marked.quotes, marked.entity_spans, marked.dates) == flat(stored)
        assert (marked.version, marked.current, marked.ingested_at, marked.versions) == (
            stored.version,
            stored.current,
            stored.ingested_at,
            stored.versions,
        )
        by_id = {q.id: q for q in analysis.quotes}
        for quote_id in [*by_id, "q0", "'; DROP TABLE quote; --"]:
            context = store.quote_context(doc.id, quote_id)
            assert (context.row, context.text, context.current) == (store.documents()[0], doc.text, True)
            quote = by_id.get(quote_id)
            assert context.quote == quote
            if quote is None:
                assert (context.parent, context.children) == (None, ())
            else:
                assert context.parent == (by_id.get(quote.parent) if quote.parent is not None else None)
                assert context.children == tuple(q for q in analysis.quotes if q.parent == quote_id)


# -- idempotency and versions ---------------------------------------------------------------------


def test_same_bytes_again_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        for pair in (pollitt(), rich()):
            store.ingest(*pair)
        before, listing = counts(path), store.documents()
        doc, analysis = pollitt()
        assert store.has_version(doc.content_hash)
        assert not store.has_version(Document.hash_bytes(b"other"))
        result = store.ingest(doc, analysis)
        assert (result.status, result.document_id, result.version) == ("unchanged", doc.id, 1)
        # the same bytes under another name are still the same document
        moved = make_doc("copy.txt", POLLITT, "/elsewhere/copy.txt")
        assert store.ingest(moved, Analysis(moved.name, moved.metadata)).status == "unchanged"
        assert counts(path) == before
        assert store.documents() == listing  # ingested_at included
    check_integrity(path)


def test_ids_derive_from_content(tmp_path: Path) -> None:
    doc, analysis = pollitt()
    ids = []
    for name in ("a.db", "b.db"):
        with SQLiteStore(tmp_path / name) as store:
            ids.append(store.ingest(doc, analysis).document_id)
            ids.append(store.quotes()[0].permalink)
    assert ids == [doc.id, f"{doc.id}#q1"] * 2


def test_changed_content_becomes_a_new_version(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        old_doc, old_analysis = pollitt()
        store.ingest(old_doc, old_analysis)
        store.ingest(*mao())
        text = POLLITT.replace("must go", "must be overcome")
        new_doc = make_doc(old_doc.name, text, old_doc.source_path)
        new_analysis = Analysis(
            new_doc.name,
            new_doc.metadata,
            (quote_of(text, "The cult of the individual must be overcome.", "q1", speaker="Harry Pollitt"),),
        )
        result = store.ingest(new_doc, new_analysis)
        assert (result.status, result.document_id, result.version) == ("new-version", new_doc.id, 2)
        assert store.ingest(new_doc, new_analysis).status == "unchanged"

        assert [(r.name, r.version, r.id) for r in store.documents()] == [
            ("000_pollitt.txt", 2, new_doc.id),
            ("002_mao.txt", 1, mao()[0].id),
        ]
        assert {q.document_id for q in store.quotes()} == {new_doc.id, mao()[0].id}
        assert [q.text for q in store.quotes(speaker="pollitt")] == ["The cult of the individual must be overcome."]
        assert store.quotes(search="betrayed") == []
        assert all(h.document_id != old_doc.id for h in store.search_text("betrayed"))
        assert [s.speaker for s in store.speakers()] == ["Harry Pollitt", "Mao Zedong"]

        current = store.get_document("000_pollitt.txt")
        assert (current.document, current.version, current.current, current.versions) == (new_doc, 2, True, 2)
        old = store.get_document("000_pollitt", version=1)
        assert (old.document, old.analysis, old.current) == (old_doc, old_analysis, False)
        # the old id (and so old permalinks) still resolve to the old version
        assert store.get_document(old_doc.id).document == old_doc
        assert store.get_document(old_doc.id, version=2).document == new_doc
        assert [q.text for q in store.quotes(document=old_doc.id)] == [
            "The cult of the individual must go.",
            "the revolution betrayed",
            "Trotskyism",
        ]
        with pytest.raises(DocumentNotFound, match="no version 3"):
            store.get_document("000_pollitt.txt", version=3)
        # the light reads resolve references and versions as get_document does
        marked = store.marked_document("000_pollitt", version=1)
        assert (marked.document, marked.current, marked.versions) == (old_doc, False, 2)
        assert (marked.quotes, marked.entity_spans, marked.dates) == flat(old)
        assert store.marked_document(old_doc.id, version=2).document == new_doc
        with pytest.raises(DocumentNotFound, match="no version 3"):
            store.marked_document("000_pollitt.txt", version=3)
        context = store.quote_context(old_doc.id, "q2")
        assert (context.row.id, context.row.version, context.current) == (old_doc.id, 1, False)
        assert context.quote == old_analysis.quotes[1] and context.text == old_doc.text
        assert store.quote_context("000_pollitt.txt", "q1").quote == new_analysis.quotes[0]
        with pytest.raises(DocumentNotFound):
            store.quote_context("no-such-document", "q1")
    check_integrity(path)


def test_same_name_without_path_is_versioned_by_name(store: SQLiteStore) -> None:
    store.ingest(*mao())
    doc = make_doc("002_mao.txt", MAO + " Edited.")
    result = store.ingest(doc, Analysis(doc.name, doc.metadata))
    assert (result.status, result.version) == ("new-version", 2)
    # ... but the same name at another path is another document
    other = make_doc("002_mao.txt", MAO + " Elsewhere.", "/other/002_mao.txt")
    assert store.ingest(other, Analysis(other.name, other.metadata)).status == "added"


# -- references -----------------------------------------------------------------------------------


def test_document_references(filled: SQLiteStore) -> None:
    doc = pollitt()[0]
    for ref in (
        doc.id,
        doc.id[:6],
        doc.id.upper(),
        "000_pollitt.txt",
        "000_pollitt",
        "/corpus/000_pollitt.txt",
    ):
        assert filled.get_document(ref).document.id == doc.id, ref
    assert filled.get_document("/corpus/../corpus/000_pollitt.txt").document.id == doc.id
    assert filled.resolve("002_mao") == mao()[0].id
    assert filled.resolve("000") == doc.id  # the start of one file name


def test_the_start_of_several_file_names_is_ambiguous(filled: SQLiteStore) -> None:
    other = make_doc("000_other.txt", "Another text.", "/corpus/000_other.txt")
    filled.ingest(other, Analysis(other.name, other.metadata))
    with pytest.raises(DocumentNotFound, match="start of several file names"):
        filled.get_document("000")
    assert filled.resolve("000_o") == other.id


@pytest.mark.parametrize("ref", ["", "nothing.txt", "zzzzzz", "abc", "00", "000_pollitt.md"])
def test_unknown_reference_says_how_to_find_ids(filled: SQLiteStore, ref: str) -> None:
    with pytest.raises(DocumentNotFound, match="quotegraph documents") as info:
        filled.get_document(ref)
    assert info.value.code == "QG301"


def test_short_prefix_is_not_accepted(filled: SQLiteStore) -> None:
    with pytest.raises(DocumentNotFound):
        filled.get_document(pollitt()[0].id[:5])


def test_ambiguous_references(store: SQLiteStore) -> None:
    for folder in ("a", "b"):
        doc = make_doc("same.txt", f"text in {folder}", f"/{folder}/same.txt")
        store.ingest(doc, Analysis(doc.name, doc.metadata))
    with pytest.raises(DocumentNotFound, match=r"matches 2 documents.*quotegraph documents"):
        store.get_document("same.txt")
    assert store.get_document("/b/same.txt").document.text == "text in b"
    for suffix in ("1", "2"):
        doc = Document(f"h{suffix}.txt", suffix, "txt", "abcdef0123" + suffix * 54)
        store.ingest(doc, Analysis(doc.name, doc.metadata))
    with pytest.raises(DocumentNotFound, match="several document ids"):
        store.get_document("abcdef0123")
    assert store.get_document("abcdef01231").document.text == "1"


# -- quotations, speakers, search -----------------------------------------------------------------


def test_quote_rows_carry_the_fields(filled: SQLiteStore) -> None:
    doc = pollitt()[0]
    rows = filled.quotes(document="000_pollitt")
    assert [r.quote_id for r in rows] == ["q1", "q2", "q3"]
    q2 = rows[1]
    assert (q2.document_id, q2.document_name, q2.text, q2.kind, q2.speaker, q2.cue) == (
        doc.id,
        doc.name,
        "the revolution betrayed",
        "speech",
        "Léon Trotsky",
        "had written",
    )
    assert (q2.work, q2.page, q2.edition, q2.parent) == ("The Revolution Betrayed", "12", None, None)
    assert POLLITT[q2.start : q2.end] == q2.text


@pytest.mark.parametrize("needle", ["trotsky", "TROTSKY", "leon", "Léon", "LÉON TROTSKY", "léon  trotsky", "on tro"])
def test_speaker_filter_ignores_case_and_accents(filled: SQLiteStore, needle: str) -> None:
    assert [(r.speaker, r.quote_id) for r in filled.quotes(speaker=needle)] == [("Léon Trotsky", "q2")]


def test_filters(filled: SQLiteStore) -> None:
    assert {r.speaker for r in filled.quotes(speaker="khrushchev")} == {"Nikita Khrushchev"}
    assert [r.work for r in filled.quotes(work="revolution BETRAYED")] == ["The Revolution Betrayed"]
    assert [r.work for r in filled.quotes(work="hunan")] == [
        "Report on an Investigation of the Peasant Movement in Hunan"
    ]
    assert [r.text for r in filled.quotes(kind="term")] == ["Trotskyism"]
    assert len(filled.quotes()) == 6
    assert len(filled.quotes(limit=2)) == 2
    assert filled.quotes(limit=0) == []
    assert filled.quotes(speaker="nobody") == []
    assert [r.quote_id for r in filled.quotes(speaker="khrushchev", search="traitor")] == ["q2"]
    assert len(filled.quotes(document="001_khrushchev.txt", kind="speech")) == 2
    with pytest.raises(StoreError, match="unknown quotation kind"):
        filled.quotes(kind="poem")
    with pytest.raises(DocumentNotFound):
        filled.quotes(document="nothing")


def test_full_text_search_over_quotes(filled: SQLiteStore) -> None:
    assert {r.document_name for r in filled.quotes(search="cult individual")} == {
        "000_pollitt.txt",
        "001_khrushchev.txt",
    }
    assert [r.text for r in filled.quotes(search='"individual must go"')] == ["The cult of the individual must go."]
    assert [r.quote_id for r in filled.quotes(search="decisiv*")] == ["q1"]
    assert [r.speaker for r in filled.quotes(search="leon")] == ["Léon Trotsky"]  # speaker, accents
    assert filled.quotes(search="cult AND nonexistentword") == []


def test_search_text_ranks_documents_and_quotes(filled: SQLiteStore) -> None:
    hits = filled.search_text("revolution")
    assert {(h.kind, h.document_name) for h in hits} >= {
        ("document", "000_pollitt.txt"),
        ("document", "002_mao.txt"),
        ("quote", "000_pollitt.txt"),
        ("quote", "002_mao.txt"),
    }
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all("[" in h.snippet and "]" in h.snippet for h in hits)
    quote_hit = next(h for h in hits if h.kind == "quote" and h.document_name == "002_mao.txt")
    assert (quote_hit.quote_id, quote_hit.speaker) == ("q1", "Mao Zedong")
    assert MAO[quote_hit.start : quote_hit.end] == "a revolution is not a dinner party"
    assert len(filled.search_text("revolution", limit=2)) == 2
    assert filled.search_text("revolution", limit=0) == []
    marked = filled.search_text("dinner", highlight=("\x02", "\x03"))
    assert marked and all("\x02dinner\x03" in h.snippet for h in marked)
    assert filled.search_text("zzzzqqq") == []


def test_speakers(filled: SQLiteStore) -> None:
    extra = make_doc("004_more.txt", "Khrushchev: “one”, “two”.")
    store_quotes = (
        quote_of(extra.text, "one", "q1", speaker="Nikita Khrushchev"),
        quote_of(extra.text, "two", "q2", kind="term", speaker="Nikita Khrushchev"),
    )
    filled.ingest(extra, Analysis(extra.name, extra.metadata, store_quotes))
    rows = filled.speakers()
    assert [(r.speaker, r.quote_count, r.document_count) for r in rows] == [
        ("Nikita Khrushchev", 4, 2),
        ("Harry Pollitt", 1, 1),
        ("Léon Trotsky", 1, 1),
        ("Mao Zedong", 1, 1),
    ]
    assert rows[0].kinds == {"speech": 3, "term": 1}


HOSTILE = [
    "",
    " ",
    '"',
    '""',
    '"unbalanced phrase',
    "AND",
    "OR NOT",
    "cult AND",
    "NEAR(cult individual, 2)",
    "(",
    ")",
    "()",
    "a-b",
    "-cult",
    "+",
    "*",
    "cult*",
    "**",
    "^cult",
    "text:cult",
    "speaker:",
    "{text speaker}: cult",
    "'",
    "it's",
    "\x00",
    "cult\x00individual",
    "\ud800",
    "‘Trotskyism’",
    "—",
    "\u0301",
    "%_\\",
    "'; DROP TABLE quote; --",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_strings_do_not_raise(filled: SQLiteStore, query: str) -> None:
    filled.quotes(search=query)
    filled.search_text(query)
    filled.quotes(speaker=query, work=query)


def test_hostile_strings_are_taken_literally(filled: SQLiteStore) -> None:
    assert [r.text for r in filled.quotes(search="‘Trotskyism’")] == ["Trotskyism"]
    assert [r.quote_id for r in filled.quotes(search="cult AND individual must")] == []  # AND is a word
    assert len(filled.quotes(search="(cult) individual-")) == 2
    assert fts_query("AND (x)") == '"AND" "(x)"'
    assert fts_query('say "a b" c*') == '"say" "a b" "c" *'
    assert fts_query("— * ()") is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(exclude_categories=())))
def test_arbitrary_user_text_never_raises(filled: SQLiteStore, query: str) -> None:
    filled.quotes(search=query)
    filled.search_text(query, limit=3)
    filled.quotes(speaker=query, work=query)
    with contextlib.suppress(DocumentNotFound):
        filled.get_document(query)


def test_fold() -> None:
    assert fold("  Léon\tTROTSKY ") == "leon trotsky"
    assert fold("Straße") == "strasse"


# -- atomicity ------------------------------------------------------------------------------------


def test_failed_ingest_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    doc, analysis = pollitt()
    with SQLiteStore(path) as store:
        store.ingest(*mao())
        before = counts(path)

        def boom(_: Document) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr("quotegraph.store.sqlite._after_document_row", boom)
        with pytest.raises(KeyboardInterrupt):
            store.ingest(doc, analysis)
        monkeypatch.setattr("quotegraph.store.sqlite._after_document_row", None)
        assert counts(path) == before
        assert not store.has_version(doc.content_hash)
        assert store.ingest(doc, analysis).status == "added"
    check_integrity(path)


def test_a_locked_store_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as writer, SQLiteStore(path, timeout=0.05) as other:
        errors: list[StoreError] = []

        def meanwhile(_: Document) -> None:
            with pytest.raises(StoreError, match="locked") as info:
                other.ingest(*mao())
            errors.append(info.value)
            assert other.documents() == []  # readers are not blocked by the writer

        monkeypatch.setattr("quotegraph.store.sqlite._after_document_row", meanwhile)
        assert writer.ingest(*pollitt()).status == "added"
        monkeypatch.setattr("quotegraph.store.sqlite._after_document_row", None)
        assert len(errors) == 1
        assert other.ingest(*mao()).status == "added"
        assert len(other.documents()) == 2


def test_duplicate_quote_ids_are_refused_atomically(store: SQLiteStore) -> None:
    doc, analysis = pollitt()
    bad = Analysis(analysis.document, analysis.metadata, (*analysis.quotes, analysis.quotes[0]))
    with pytest.raises(StoreError, match=r"cannot store 000_pollitt\.txt"):
        store.ingest(doc, bad)
    assert store.documents() == []
    assert store.ingest(doc, analysis).status == "added"


CHILD = """
import sys, time
sys.path.insert(0, sys.argv[2])
import quotegraph.store.sqlite as qs
from test_store import batch

crash_at = sys.argv[3]

def hang(document):
    if document.name == crash_at:
        print("IN-TRANSACTION", flush=True)
        time.sleep(120)

qs._after_document_row = hang
with qs.SQLiteStore(sys.argv[1]) as store:
    for document, analysis in batch(big=2):
        print(store.ingest(document, analysis).status, document.name, flush=True)
"""


def run_child(path: Path, crash_at: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(Path(__file__).parent), crash_at],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_ingest_leaves_a_consistent_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    docs = batch(big=2)
    victim = docs[2][0]
    child = run_child(path, crash_at=victim.name)
    try:
        assert child.stdout is not None
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                raise AssertionError(f"child ended early: {child.stderr.read() if child.stderr else ''}")
            if line.strip() == "IN-TRANSACTION":
                break
            lines.append(line.split())
        assert lines == [["added", "000_batch.txt"], ["added", "001_batch.txt"]]
        # While the writer holds its transaction, a reader sees the store without the document.
        with SQLiteStore(path) as reader:
            assert [d.name for d in reader.documents()] == ["000_batch.txt", "001_batch.txt"]
            assert not reader.has_version(victim.content_hash)
        # The victim's text is larger than SQLite's page cache, so uncommitted pages have already
        # spilled into the WAL: recovery must ignore them.
        assert os.path.getsize(f"{path}-wal") > 1_000_000
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()

    check_integrity(path)
    with SQLiteStore(path) as store:
        assert [d.name for d in store.documents()] == ["000_batch.txt", "001_batch.txt"]
        assert not store.has_version(victim.content_hash)
        assert {q.document_name for q in store.quotes()} == {"000_batch.txt", "001_batch.txt"}
        assert store.search_text("filler") == []  # FTS rolled back with the rest
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM document WHERE name = ?", (victim.name,)).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM quote").fetchone()[0] == 4
    db.close()

    rerun = run_child(path)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    assert [line.split()[0] for line in out.splitlines()] == [
        "unchanged",
        "unchanged",
        "added",
        "added",
        "added",
    ]
    check_integrity(path)
    with SQLiteStore(path) as store:
        assert [d.id for d in store.documents()] == [d.id for d, _ in docs]
        assert len(store.quotes()) == 10
        assert store.get_document(victim.name).document == victim
        # 500,000 matches in one document: snippets must stay fast (FTS5's snippet() would take minutes)
        started = time.monotonic()
        assert [h.document_name for h in store.search_text("filler")] == [victim.name]
        assert time.monotonic() - started < 5


def test_a_file_that_goes_back_to_an_older_content_makes_it_current_again(store: SQLiteStore) -> None:
    first = make_doc("002_mao.txt", MAO)
    store.ingest(first, Analysis(first.name, first.metadata))
    second = make_doc("002_mao.txt", MAO + " Edited.")
    store.ingest(second, Analysis(second.name, second.metadata))
    assert [d.version for d in store.documents()] == [2]
    result = store.reingest(first)
    assert (result.status, result.version) == ("restored", 1)
    assert [(d.id, d.version) for d in store.documents()] == [(first.id, 1)]
    assert store.reingest(first).status == "unchanged"
    # the same bytes under another name are not a revert of that other document
    elsewhere = make_doc("other.txt", MAO)
    assert store.reingest(elsewhere).status == "unchanged"
    with pytest.raises(DocumentNotFound):
        store.reingest(make_doc("new.txt", "never stored"))


def test_entity_and_date_rows_of_current_versions(store: SQLiteStore) -> None:
    from quotegraph.model import DateRef, Entity

    doc = make_doc("k.txt", KHRUSHCHEV)
    analysis = Analysis(
        doc.name,
        doc.metadata,
        dates=(DateRef(0, 10, KHRUSHCHEV[0:10], "1956", False),),
        entities=(Entity("Nikita Khrushchev", "PERSON", ("Khrushchev",), (Span(0, 10),)),),
    )
    store.ingest(doc, analysis)
    [row] = store.entity_rows()
    assert (row.canonical, row.type, row.mentions, row.spans) == (
        "Nikita Khrushchev",
        "PERSON",
        ("Khrushchev",),
        ((0, 10),),
    )
    assert store.entity_rows(type="org") == []
    [date] = store.date_rows()
    assert (date.document_name, date.value, date.typo) == ("k.txt", "1956", False)
    newer = make_doc("k.txt", KHRUSHCHEV + " Later.")
    store.ingest(newer, Analysis(newer.name, newer.metadata))
    assert store.entity_rows() == [] and store.date_rows() == []
