"""The store methods the web UI reads: faceted search, works, stats, texts, revision, read-only opening."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotegraph.errors import StoreError
from quotegraph.store import SEARCH_FACETS, VerdictRow, open_store
from quotegraph.store.facets import count, decade

pytestmark = pytest.mark.slow


def test_facets_count_every_match_and_filters_narrow(sample_db: Path) -> None:
    with open_store(sample_db, read_only=True) as store:
        everything = store.search("Stalin", limit=5)
        assert everything.total > 5 and len(everything.hits) == 5
        assert set(everything.facets) == set(SEARCH_FACETS)
        kinds = {f.value: f.count for f in everything.facets["kind"]}
        assert sum(kinds.values()) == everything.total
        for value, n in kinds.items():
            narrowed = store.search("Stalin", filters={"kind": value}, limit=100)
            assert narrowed.total == n
            assert all((h.quote_kind or "document") == value for h in narrowed.hits)
        speaker = everything.facets["speaker"][0]
        by = store.search("Stalin", filters={"speaker": speaker.value}, limit=100)
        assert by.total == speaker.count and {h.speaker for h in by.hits} == {speaker.value}
        ten = everything.facets["decade"][0]
        dated = store.search("Stalin", filters={"decade": ten.value}, limit=100)
        assert dated.total == ten.count and all(decade(h.published) == ten.value for h in dated.hits)
        author = everything.facets["author"][0]
        assert store.search("Stalin", filters={"author": author.value}).total == author.count


def test_search_pages_are_disjoint_and_ranked(sample_db: Path) -> None:
    with open_store(sample_db, read_only=True) as store:
        first = store.search("the", limit=10)
        second = store.search("the", limit=10, offset=10)
        keys = [(h.document_id, h.quote_id) for h in first.hits + second.hits]
        assert len(set(keys)) == 20
        scores = [h.score for h in first.hits + second.hits]
        assert scores == sorted(scores, reverse=True)
        assert store.search("zzzqqq").total == 0 and store.search("").total == 0
        with pytest.raises(StoreError):
            store.search("the", filters={"colour": "red"})


def test_snippets_mark_the_match_even_late_in_a_long_text() -> None:
    from quotegraph.store.fulltext import snippet

    text = "filler words here. " * 500 + "The Secret Speech was read."
    marked = snippet(text, "secret speech", ("<", ">"))
    assert "<Secret> <Speech>" in marked and marked.startswith("…")
    assert snippet("Léon spoke first. " * 40 + "Then Leon", "leon", ("<", ">")).count("<Léon>") >= 1


def test_facet_counts_are_pure() -> None:
    facets = count(
        Counter({"speech": 1, "document": 1, "term": 1}),
        Counter({"A": 1, None: 2}),
        Counter({"W": 1, None: 2}),
        Counter({"altered": 1, None: 2}),
        Counter({(("X", "Y"), "P", "1956-03"): 1, (("X", "X"), None, "1988"): 1, ((), "P", None): 1}),
    )
    assert [(f.value, f.count) for f in facets["author"]] == [("X", 2), ("Y", 1)]  # a name twice in a list counts once
    assert [(f.value, f.count) for f in facets["decade"]] == [("1950s", 1), ("1980s", 1)]
    assert [(f.value, f.count) for f in facets["publication"]] == [("P", 2)]
    assert [f.value for f in facets["speaker"]] == ["A"]
    assert [(f.value, f.count) for f in facets["verdict"]] == [("altered", 1)]
    assert [f.value for f in facets["kind"]] == ["document", "speech", "term"]  # equal counts: by value
    assert decade("19") is None and decade("2006-01-02") == "2000s"


def test_works_stats_texts(sample_db: Path) -> None:
    with open_store(sample_db, read_only=True) as store:
        works = store.works()
        assert works and works[0].quote_count >= works[-1].quote_count
        stats = store.stats()
        assert stats.documents == len(store.documents()) == 5
        assert sum(stats.quotations.values()) == len(store.quotes())
        assert stats.works == len(works)
        ids = [d.id for d in store.documents()]
        texts = store.texts([*ids[:2], "nope"])
        assert set(texts) == set(ids[:2])
        assert texts[ids[0]] == store.get_document(ids[0]).document.text


def test_read_only_store_refuses_writes_and_sees_new_revisions(tmp_path: Path, sample_db: Path) -> None:
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()
    copy = _copy(sample_db, tmp_path / "copy.db")
    with open_store(copy, read_only=True) as reader, open_store(copy) as writer:
        before = reader.revision()
        assert reader.revision() == before
        doc = writer.get_document(writer.documents()[0].id)
        renamed = replace(doc.document, name="another.txt", source_path=None, content_hash="f" * 64)
        writer.ingest(renamed, doc.analysis)
        assert reader.revision() != before
        with pytest.raises(StoreError):
            reader.ingest(replace(renamed, name="third.txt", content_hash="e" * 64), doc.analysis)
        after_ingest = reader.revision()
        writer.save_verdicts([_verdict(renamed.id)])
        assert reader.revision() != after_ingest  # a page showing verdicts must not be served stale


def test_search_kept_between_searches_follows_the_store(tmp_path: Path, sample_db: Path) -> None:
    """Texts and quotation facts kept by a read-only connection are those of the store's revision."""
    copy = _copy(sample_db, tmp_path / "copy.db")
    with open_store(copy, read_only=True) as reader, open_store(copy) as writer:
        doc = writer.get_document(writer.documents()[0].id)
        quoted = doc.analysis.quotes[0]
        word = max((w for w in quoted.text.split() if w.isalpha()), key=len)
        before = reader.search(word, limit=100)
        assert not reader.search(word, filters={"verdict": "verbatim"}).total
        writer.save_verdicts([_verdict(doc.document.id)])
        verified = reader.search(word, filters={"verdict": "verbatim"}, limit=100)
        assert [(h.document_id, h.quote_id) for h in verified.hits] == [(doc.document.id, "q1")]
        text = doc.document.text.replace(word, word + " zyxwvut " + word, 1)
        changed = replace(doc.document, text=text, content_hash="f" * 64)
        assert writer.ingest(changed, replace(doc.analysis, quotes=())).status != "unchanged"
        after = reader.search(word, limit=100)
        assert after.total < before.total  # the old version's quotations are no longer current
        [hit] = [h for h in reader.search(f"{word} zyxwvut", limit=100).hits if h.kind == "document"]
        assert "[zyxwvut]" in hit.snippet


def _copy(store: Path, copy: Path) -> Path:
    """A copy of a store file (SQLite's backup), for a test that writes to it."""
    source, target = sqlite3.connect(store), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


def _verdict(document_id: str) -> VerdictRow:
    return VerdictRow(
        document_id=document_id,
        quote_id="q1",
        verdict="verbatim",
        confidence=1.0,
        cited_document_id=None,
        source_document_id=None,
        passage_start=None,
        passage_end=None,
        edits=(),
        source_used="none",
        source_reason="no corpus document is the cited work",
    )


@given(
    st.builds(
        str.__add__,
        st.text(alphabet=st.sampled_from("xé _-."), min_size=450, max_size=900),  # no term letters: matches come late
        st.text(alphabet=st.sampled_from("abAB _-.é1"), max_size=300),
    ),
    st.sets(st.text(alphabet="ab1", min_size=1, max_size=3), max_size=2),
    st.lists(st.text(alphabet="ab", min_size=1, max_size=2), max_size=2),
)
def test_snippet_start_with_find_equals_the_regular_expression(text: str, exact: set[str], prefixes: list[str]) -> None:
    """The ``str.find`` shortcut for ASCII terms starts reading where the case-insensitive regex would."""
    import re

    from quotegraph.store.fulltext import _near_first, _Terms

    terms = [re.escape(t) for t in exact] + [re.escape(p) + r"[^\W_]*" for p in prefixes]
    expected = 0
    if terms:
        pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(terms) + r")(?![^\W_])", re.IGNORECASE)
        match = pattern.search(text, 0, 1000)
        if match and match.start() >= 400:
            expected = text.rfind(" ", 0, match.start() - 300) + 1
    assert _near_first(text, _Terms.of(exact, prefixes), 1000) == expected


def test_ranking_keeps_equal_scores_as_sqlite_orders_them(tmp_path: Path, sample_db: Path) -> None:
    """Copies of a document tie on every score; the page is still the one ``ORDER BY rank LIMIT`` gives."""
    from quotegraph.store.fulltext import fts_query

    copy = _copy(sample_db, tmp_path / "copies.db")
    with open_store(copy) as writer:
        for i, row in enumerate(writer.documents()[:2]):
            doc = writer.get_document(row.id)
            for n in range(3):
                twin = replace(doc.document, name=f"copy-{n}-{row.name}", source_path=None, content_hash=f"{i}{n}" * 32)
                writer.ingest(twin, doc.analysis)
    db = sqlite3.connect(copy)
    names = {pk: (id_, name) for pk, id_, name in db.execute("SELECT pk, id, name FROM document WHERE is_current = 1")}

    def expected(query: str, limit: int, offset: int) -> list[tuple[str, str | None, float]]:
        match, wanted = fts_query(query), offset + limit
        docs = db.execute(
            "SELECT rowid, bm25(document_fts, 2.0, 1.0) AS rank FROM document_fts WHERE document_fts MATCH ? "
            "ORDER BY rank",
            (match,),
        ).fetchall()
        ranked = [(rank, names[pk][1], "document", pk, names[pk][0], None) for pk, rank in docs if pk in names]
        ranked = ranked[:wanted]
        for pk, doc_pk, quote_id, rank in db.execute(
            "SELECT q.pk, q.doc_pk, q.id, bm25(quote_fts) AS rank FROM quote_fts CROSS JOIN quote q "
            "ON q.pk = quote_fts.rowid WHERE quote_fts MATCH ? AND q.doc_pk IN "
            "(SELECT pk FROM document WHERE is_current = 1) ORDER BY rank LIMIT ?",
            (match, wanted),
        ):
            ranked.append((rank, names[doc_pk][1], "quote", pk, names[doc_pk][0], quote_id))
        ranked.sort(key=lambda r: r[:4])
        return [(doc_id, quote_id, -rank) for rank, _, _, _, doc_id, quote_id in ranked[offset:wanted]]

    with open_store(copy, read_only=True) as store:
        for query in ("Stalin", "party", "the", '"secret speech"', "Khrush*"):
            for limit, offset in ((5, 0), (5, 5), (20, 0), (3, 7)):
                page = store.search(query, limit=limit, offset=offset)
                assert [(h.document_id, h.quote_id, h.score) for h in page.hits] == expected(query, limit, offset)
    db.close()
