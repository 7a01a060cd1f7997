"""Verdicts in the store, the corpus layer that chooses a quotation's source, and `quotegraph verify`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.cli import cli
from quotegraph.errors import QuoteNotFound
from quotegraph.model import Analysis, Document, Metadata, Quote, Source
from quotegraph.store import SQLiteStore, VerdictRow
from quotegraph.verify.corpus import CorpusVerifier, verdict_row

TESTAMENT = (
    "Comrade Stalin, having become general secretary, has concentrated an enormous power in his hands; and I am "
    "not sure that he always knows how to use that power with sufficient caution. Stalin is too rude, and this "
    "fault, entirely supportable in relations among us Communists, becomes insupportable in the office of "
    "general secretary."
)
ARTICLE = (
    "Khrushchev said Lenin had warned: “I am sure that he always knows how to use that power with sufficient "
    "caution.” Elsewhere he wrote: “Stalin is too rude, and this fault, entirely supportable in relations "
    "among us Communists, becomes insupportable.” A reporter called it “a historic speech”."
)


def document(name: str, text: str, title: str) -> Document:
    return Document(name, text, "txt", Document.hash_bytes(text.encode()), metadata=Metadata(title=title))


def quote(text: str, words: str, qid: str, work: str | None, kind: str = "speech") -> Quote:
    start = text.index(words)
    source = Source(work) if work else None
    return Quote(qid, start, start + len(words), words, kind, "Lenin", source=source)  # type: ignore[arg-type]


def article(text: str = ARTICLE, name: str = "article.txt") -> tuple[Document, Analysis]:
    doc = document(name, text, "Khrushchev's secret speech")
    quotes = (
        quote(
            text,
            "I am sure that he always knows how to use that power with sufficient caution.",
            "q1",
            "testament of Lenin",
        ),
        quote(
            text,
            "Stalin is too rude, and this fault, entirely supportable in relations among us Communists, "
            "becomes insupportable.",
            "q2",
            "Problems of Leninism",
        ),
        quote(text, "a historic speech", "q3", None, kind="term"),
    )
    return doc, Analysis(doc.name, doc.metadata, quotes)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "v.db") as s:
        testament = document("testament.txt", TESTAMENT, "Lenin's Testament")
        s.ingest(testament, Analysis(testament.name, testament.metadata, ()))
        s.ingest(*article())
        yield s


def test_cited_work_is_matched_to_a_document_title(store: SQLiteStore) -> None:
    verifier = CorpusVerifier(store)
    q1, q2, _ = store.quotes()
    choice = verifier.choose(q1, None)
    assert choice.used == "cited" and choice.document_id == store.resolve("testament.txt")
    assert "Lenin's Testament" in choice.reason
    result = verifier.check(q1.text, choice, q1.document_id)
    assert result.verdict == "altered"
    (edit,) = result.edits
    assert (edit.type, edit.passage_text, edit.severe) == ("omission", "not", True)
    unknown = verifier.choose(q2, None)
    assert unknown.used == "none" and unknown.document_id is None
    elsewhere = verifier.check(q2.text, unknown, q2.document_id)
    assert elsewhere.verdict == "source_not_in_corpus"
    assert [w.source_id for w in elsewhere.edits] == []
    assert [w.source_id for w in elsewhere.elsewhere] == [store.resolve("testament.txt")]


def test_a_quotation_is_not_found_elsewhere_in_its_own_document(store: SQLiteStore) -> None:
    verifier = CorpusVerifier(store)
    _, q2, _ = store.quotes()
    result = verifier.check(q2.text, verifier.choose(q2, None), q2.document_id)
    assert q2.document_id not in [w.source_id for w in result.elsewhere]


def test_verdicts_are_saved_idempotently_for_current_versions(store: SQLiteStore) -> None:
    verifier = CorpusVerifier(store)
    rows = []
    for q in verifier.verifiable():
        choice = verifier.choose(q, None)
        rows.append(verdict_row(q, choice, verifier.check(q.text, choice, q.document_id)))
    assert [r.quote_id for r in rows] == ["q1", "q2"]  # the term is not a claim to verify
    store.save_verdicts(rows)
    store.save_verdicts(rows)
    assert [(r.quote_id, r.verdict) for r in store.verdicts()] == [("q1", "altered"), ("q2", "source_not_in_corpus")]
    saved = store.verdict_of(rows[0].document_id, "q1")
    assert saved is not None and saved.edits == rows[0].edits and saved.verified_at
    assert saved.edits[0]["passage_text"] == "not" and saved.edits[0]["severe"] is True
    assert [r.quote_id for r in store.verdicts(verdict="altered")] == ["q1"]
    changed = ARTICLE.replace("A reporter", "One reporter")
    store.ingest(*article(changed))  # a new version of the article: its verdicts are not current
    assert [r.quote_id for r in store.verdicts()] == []
    assert len(store.verdicts(document=rows[0].document_id)) == 2


def test_saving_a_verdict_for_an_unknown_quotation_saves_nothing(store: SQLiteStore) -> None:
    document_id = store.resolve("article.txt")
    good = VerdictRow(document_id, "q1", "verbatim", 1.0, None, None, None, None, (), "explicit", "test")
    bad = VerdictRow(document_id, "q99", "verbatim", 1.0, None, None, None, None, (), "explicit", "test")
    with pytest.raises(QuoteNotFound):
        store.save_verdicts([good, bad])
    assert store.verdicts() == []


def test_cli_verify(store: SQLiteStore) -> None:
    db = store.path
    runner = CliRunner()
    one = runner.invoke(cli, ["verify", "article.txt#q1", "--db", db])
    assert one.exit_code == 0, one.output
    assert "altered" in one.output and "− omitted (unmarked): “not”" in one.output and "severe" in one.output
    text = runner.invoke(
        cli,
        ["verify", "--text", "Stalin is excessively rude", "--source", "testament.txt", "--db", db, "--format", "json"],
    )
    data = json.loads(text.output)
    assert data["verdict"] == "altered"
    assert [(e["type"], e["quoted_text"], e["passage_text"]) for e in data["edits"]] == [
        ("substitution", "excessively", "too")
    ]
    every = runner.invoke(cli, ["verify", "--all", "--db", db])
    assert every.exit_code == 0 and "2 quotations verified" in every.output
    assert runner.invoke(cli, ["verify", "--db", db]).exit_code == 2
    assert runner.invoke(cli, ["verify", "--text", "words", "--db", db]).exit_code == 2
    assert runner.invoke(cli, ["verify", "article.txt", "--db", db]).exit_code == 2
    missing = runner.invoke(cli, ["verify", "article.txt#q99", "--db", db])
    assert missing.exit_code == 1 and "QG303" in missing.output
    unknown = runner.invoke(cli, ["verify", "nothing.txt#q1", "--db", db])
    assert unknown.exit_code == 1 and "QG301" in unknown.output


def test_misattributed_quotation_is_found_in_another_document(store: SQLiteStore) -> None:
    letters = document(
        "letters.txt", "Trotsky wrote many letters on the bureaucracy and on the party.", "Trotsky's Letters"
    )
    store.ingest(letters, Analysis(letters.name, letters.metadata, ()))
    text = "Trotsky is said to have written: “Stalin is too rude, and this fault, entirely supportable.”"
    doc = document("claim.txt", text, "A claim")
    claim = quote(text, "Stalin is too rude, and this fault, entirely supportable.", "q1", "Trotsky's letters")
    store.ingest(doc, Analysis(doc.name, doc.metadata, (claim,)))
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", "claim.txt#q1", "--db", store.path, "--format", "json"])
    data = json.loads(result.output)
    assert (data["verdict"], data["source_used"]) == ("found_elsewhere", "cited")
    assert data["cited_document_id"] == store.resolve("letters.txt")
    # The testament holds the words, and so does the article quoting it: either is where they are.
    holders = {store.resolve("testament.txt"), store.resolve("article.txt")}
    assert data["source_document_id"] in holders
    assert {w["source_id"] for w in data["elsewhere"]} == holders
    assert data["passage_text"].startswith("Stalin is too rude")
    saved = store.verdict_of(store.resolve("claim.txt"), "q1")
    assert saved is not None and saved.verdict == "found_elsewhere"


def test_the_1956_translation_of_the_postscript_is_a_translation_variant_of_document_003() -> None:
    """With the real sentence embeddings: the other English rendering of Lenin's postscript is the same
    passage in other words, while words Lenin never wrote stay 'not in the source'."""
    from quotegraph.link.embed import similarity
    from quotegraph.verify import SourceText, verify

    text = (Path(__file__).resolve().parent.parent / "examples" / "corpus" / "003_34df39d8ba34d179.txt").read_text(
        encoding="utf-8"
    )
    source = SourceText("003", text)
    translated = verify(
        "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and in contacts "
        "among us Communists, becomes a defect which cannot be tolerated in one holding the position of the "
        "Secretary General",
        source,
        similarity=similarity,
    )
    assert translated.verdict == "translation_variant"
    assert translated.passage is not None and "Stalin is too rude" in translated.passage.of(text)
    abused = verify("is capricious and abuses his power", source, similarity=similarity)
    assert abused.verdict == "not_in_source"
    assert abused.comparison is not None
    assert any(e.type == "insertion" and "abuses" in e.quoted_text for e in abused.comparison.edits)


def test_a_verdict_against_a_source_that_changed_since_is_no_longer_shown(store: SQLiteStore) -> None:
    verifier = CorpusVerifier(store)
    q = next(q for q in verifier.verifiable() if q.quote_id == "q1")
    choice = verifier.choose(q, None)
    store.save_verdicts([verdict_row(q, choice, verifier.check(q.text, choice, q.document_id))])
    assert store.verdict_of(q.document_id, "q1") is not None
    revised = document("testament.txt", TESTAMENT + " A later addition.", "Letter to the Congress")
    store.ingest(revised, Analysis(revised.name, revised.metadata, ()))  # the cited source's new version
    assert store.verdict_of(q.document_id, "q1") is None
    assert store.verdicts() == []


def test_verify_goes_on_without_the_embedding_model(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from quotegraph.errors import EmbeddingModelNotInstalled
    from quotegraph.link import embed

    def missing() -> str:
        raise EmbeddingModelNotInstalled("the embedding model package is not installed")

    monkeypatch.setattr(embed, "model_name", missing)
    result = CliRunner().invoke(cli, ["verify", "--all", "--db", store.path])
    assert result.exit_code == 0, result.output
    assert "translations are not recognised" in result.output
    assert store.verdicts()


def test_documents_are_read_and_indexed_only_when_needed_and_once(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotegraph.verify import locate

    indexed: list[str] = []
    read: list[list[str]] = []

    class CountingIndex(locate.SourceIndex):
        def __init__(self, text: str) -> None:
            indexed.append(text[:20])
            super().__init__(text)

    texts = store.texts
    monkeypatch.setattr("quotegraph.verify.verdict.SourceIndex", CountingIndex)
    monkeypatch.setattr(store, "texts", lambda ids: read.append(sorted(ids)) or texts(ids))
    verifier = CorpusVerifier(store)
    testament = store.resolve("testament.txt")
    words = verifier.check("Stalin is too rude", verifier.choose(None, "testament.txt"))
    assert words.verdict == "verbatim"
    assert (read, indexed) == ([[testament]], [TESTAMENT[:20]])  # the cited source alone
    q1, q2, _ = store.quotes()
    assert verifier.check(q1.text, verifier.choose(q1, None), q1.document_id).verdict == "altered"
    assert len(indexed) == 1  # its own document is not "elsewhere": nothing else to read
    elsewhere = verifier.check(q2.text, verifier.choose(q2, None)).elsewhere
    assert {w.source_id for w in elsewhere} == {testament, q2.document_id}
    assert read == [[testament], [q2.document_id]] and len(indexed) == 2  # the rest, read in one query
    verifier.check(q2.text, verifier.choose(q2, None))
    assert len(read) == 2 and len(indexed) == 2  # each document indexed once per verifier


def test_a_replaced_version_is_not_found_elsewhere_in_its_own_newer_version(store: SQLiteStore) -> None:
    letters = document(
        "letters.txt", "Trotsky wrote many letters on the bureaucracy and the party.", "Trotsky's Letters"
    )
    store.ingest(letters, Analysis(letters.name, letters.metadata, ()))
    words = "the bureaucracy devours the revolution that made it, and calls the meal a victory"
    claims = []
    for text in (f"Trotsky is said to have written: “{words}”.", f"Trotsky, it is said, wrote: “{words}”."):
        doc = document("claim.txt", text, "A claim")
        own = quote(text, words, "q1", "Trotsky's letters")
        cites_itself = quote(text, words, "q2", "A claim")
        claims.append(store.ingest(doc, Analysis(doc.name, doc.metadata, (own, cites_itself))).document_id)
    old, new = claims
    assert store.version_ids("claim.txt") == [old, new] == store.version_ids(old)
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", f"{old}#q1", "--db", store.path, "--format", "json"])
    data = json.loads(result.output)
    assert (data["verdict"], data["cited_document_id"]) == ("not_in_source", store.resolve("letters.txt"))
    assert new not in [w["source_id"] for w in data["elsewhere"]]
    verifier = CorpusVerifier(store)
    current = next(q for q in store.quotes(document=new) if q.quote_id == "q1")
    assert verifier.check(current.text, verifier.choose(current, None), new).verdict == "not_in_source"
    replaced = next(q for q in store.quotes(document=old) if q.quote_id == "q2")
    assert verifier.choose(replaced, None).document_id is None  # its own title names no other document
