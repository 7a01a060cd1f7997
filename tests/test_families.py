"""Quotation families: cuts, elisions, translations linked; stock phrases and nested quotations not."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quotegraph.cli import cli
from quotegraph.errors import EmbeddingModelNotInstalled
from quotegraph.link import embed
from quotegraph.link.embed import Embedder
from quotegraph.link.families import (
    Family,
    Occurrence,
    embedding_units,
    find_families,
    trace,
    trace_units,
    words,
)
from quotegraph.model import Analysis, Document, Metadata, Quote
from quotegraph.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"

TESTAMENT = (
    "Comrade Stalin, having become general secretary, has concentrated an enormous power in his hands; "
    "and I am not sure that he always knows how to use that power with sufficient caution."
)
POSTSCRIPT_1923 = (
    "Stalin is too rude, and this fault, entirely supportable in relations among us Communists, becomes "
    "insupportable in the office of general secretary."
)
POSTSCRIPT_1956 = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and in contacts "
    "among us Communists, becomes a defect which cannot be tolerated in one holding the position of the "
    "Secretary General."
)


def occ(doc: str, qid: str, text: str, kind: str = "speech", parent: str | None = None) -> Occurrence:
    return Occurrence(doc, f"{doc}.txt", qid, text, None, kind, parent)


def family_of(families: list[Family], doc: str, qid: str) -> Family | None:
    return next((f for f in families if any(m.occurrence.permalink == f"{doc}#{qid}" for m in f.members)), None)


def relations(family: Family) -> dict[str, str]:
    return {m.occurrence.permalink: m.relation for m in family.members}


# -- lexical families --------------------------------------------------------------------------------


def test_words_ignore_case_accents_apostrophes_and_punctuation() -> None:
    assert words("“Léon’s  BOOK,” he said…") == ("leons", "book", "he", "said")
    # the words verification compares: a line-end hyphen joins, a number keeps its separators
    assert words("the re-\nvolution of 1,000") == ("the", "revolution", "of", "1,000")


def test_verbatim_cut_and_elided_occurrences_make_one_family() -> None:
    found = find_families(
        [
            occ("a", "q1", TESTAMENT),
            occ("b", "q4", TESTAMENT.upper().replace(",", "").replace(";", "")),
            occ("c", "q2", "having become general secretary, has concentrated an enormous power in his hands"),
            occ("d", "q7", "Comrade Stalin … has concentrated an enormous power in his hands; and I am not sure"),
            occ("e", "q1", "We must abolish the cult of the individual decisively, once and for all, comrades."),
        ]
    )
    assert len(found) == 1
    family = found[0]
    assert family.documents == ("a", "b", "c", "d")
    assert relations(family) == {
        "a#q1": "representative",
        "b#q4": "verbatim",
        "c#q2": "cut",
        "d#q7": "elided",
    }
    assert family.id == find_families([occ("x", "q1", TESTAMENT), occ("y", "q1", TESTAMENT)])[0].id


def test_stock_phrases_do_not_link_documents() -> None:
    found = find_families(
        [
            occ("a", "q1", "enemy of the people", "term"),
            occ("b", "q1", "enemy of the people", "term"),
            occ("c", "q1", "enemy of the people", "term"),
            occ("a", "q2", "Stalin originated the concept enemy of the people and used it without mercy."),
            occ("b", "q2", "They branded him an enemy of the people in the autumn of 1937, his wife said."),
            occ("a", "q3", "socialism in one country", "term"),
            occ("c", "q3", "the theory of socialism in one country", "speech"),
        ]
    )
    assert found == []


def test_a_stock_phrase_the_corpus_quotes_widely_is_not_a_shared_run_of_words() -> None:
    long_a = occ("a", "q9", "the work of the withering away of the state the Communist party began")
    long_b = occ("b", "q9", "the crushing of the withering away of the state the Bulgarian way")
    assert len(find_families([long_a, long_b])) == 1  # eight running words in common, and nothing says why
    terms = [occ(d, "q1", "the withering away of the state", "term") for d in "cde"]
    assert find_families([long_a, long_b, *terms]) == []  # three documents use it: a stock phrase


def test_a_short_phrase_links_only_when_specific_and_rare_across_documents() -> None:
    slogan = "America’s outstanding working class leader"
    two = find_families([occ("a", "q1", slogan), occ("b", "q3", slogan.lower())])
    assert len(two) == 1 and relations(two[0]) == {"a#q1": "representative", "b#q3": "verbatim"}
    # quoted in three documents: a stock phrase, derived from document frequency
    assert find_families([occ(d, "q1", slogan) for d in "abc"]) == []
    # too few content words to say that one document quotes another
    assert find_families([occ("a", "q1", "the best of them"), occ("b", "q1", "the best of them")]) == []


def test_a_quotation_nested_in_another_is_not_its_repetition() -> None:
    outer = "As Krupskaya put it, if Ilych were alive he would probably already be in prison, and she knew."
    inner = "if Ilych were alive he would probably already be in prison"
    assert find_families([occ("a", "q1", outer), occ("a", "q2", inner, parent="q1")]) == []
    again = find_families([occ("a", "q1", outer), occ("a", "q2", inner, parent="q1"), occ("a", "q9", inner)])
    assert len(again) == 1 and {m.occurrence.quote_id for m in again[0].members} == {"q1", "q2", "q9"}


@settings(max_examples=80, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0.7, max_value=1.0),
    st.floats(min_value=0.0, max_value=1.0),
    st.booleans(),
    st.sampled_from(["", " … ", " ... ", " […] "]),
)
def test_a_cut_of_most_of_a_passage_always_joins_its_family(
    seed: int, keep: float, at: float, upper: bool, elision: str
) -> None:
    rng = np.random.default_rng(seed)
    vocabulary = words(TESTAMENT + " " + POSTSCRIPT_1956)
    source = [str(w) for w in rng.choice(vocabulary, size=int(rng.integers(12, 60)))]
    n = max(8, int(len(source) * keep))
    start = int((len(source) - n) * at)
    kept = source[start : start + n]
    elided = bool(elision) and n >= 16
    if elided:  # two words left out in the middle, the gap marked
        kept = [*kept[: n // 2], elision.strip(), *kept[n // 2 + 2 :]]
    cut = " ".join(kept)
    found = find_families([occ("a", "q1", " ".join(source)), occ("b", "q1", cut.upper() if upper else cut)])
    assert len(found) == 1 and len(found[0].members) == 2
    relation = {m.occurrence.document_id: m.relation for m in found[0].members}
    assert relation["a"] == "representative"
    assert relation["b"] == ("elided" if elided else "verbatim" if n == len(source) else "cut")


def test_trace_finds_cuts_and_elisions_and_says_how_they_differ() -> None:
    corpus = [
        occ("a", "q1", TESTAMENT),
        occ("b", "q2", "Comrade Stalin … has concentrated an enormous power in his hands"),
        occ("c", "q3", "Comrade Stalin was rude to Krupskaya and Lenin wrote a postscript about it."),
    ]
    matches = trace(
        "Comrade Stalin, having become general secretary, has concentrated an enormous power in his hands", corpus
    )
    assert [(m.occurrence.permalink, m.relation) for m in matches] == [("a#q1", "cut"), ("b#q2", "elided")]
    assert trace("enemy of the people", [occ("a", "q1", "enemy of the people", "term")])[0].relation == "verbatim"


# -- embeddings and translations --------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.load()


def corpus_quotations() -> list[str]:
    """Long quotations of the dev gold (examples/corpus 000, 001, 003), without Lenin's testament."""
    texts = []
    for path in sorted(GOLD.glob("*.json")):
        for q in json.loads(path.read_text(encoding="utf-8"))["quotes"]:
            if len(words(q["text"])) >= 12 and "rude" not in q["text"] and "general secretary" not in q["text"]:
                texts.append(q["text"])
    return texts


def test_vectors_are_normalised_and_independent_of_the_batch(embedder: Embedder) -> None:
    texts = [POSTSCRIPT_1923, TESTAMENT, "Learn, learn and learn."]
    together = embedder.embed(texts)
    assert together.shape == (3, embed.DIMENSION)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    alone = np.stack([embedder.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
    assert embedder.embed([]).shape == (0, embed.DIMENSION)


def test_the_two_translations_of_the_postscript_score_clearly_above_unrelated_quotations(embedder: Embedder) -> None:
    pair = embedder.similarity(POSTSCRIPT_1923, POSTSCRIPT_1956)
    others = corpus_quotations()
    assert len(others) > 20
    unrelated = embedder.embed(others) @ embedder.embed([POSTSCRIPT_1923])[0]
    assert pair > 0.8
    assert pair > float(unrelated.max()) + 0.1, (pair, float(unrelated.max()))


def test_translations_join_a_family_and_unrelated_quotations_do_not(embedder: Embedder) -> None:
    others = corpus_quotations()[:25]
    corpus = [
        occ("d003", "q24", "Postscript: " + POSTSCRIPT_1923 + " Therefore, I propose to the comrades to find a way."),
        occ("k1956", "q3", POSTSCRIPT_1956),
        *(occ(f"o{i}", "q1", t) for i, t in enumerate(others)),
    ]
    units = embedding_units(corpus)
    vectors = dict(zip(units, embedder.embed(units), strict=True))
    found = find_families(corpus, vectors)
    family = family_of(found, "k1956", "q3")
    assert family is not None
    assert set(relations(family)) == {"d003#q24", "k1956#q3"}
    assert sorted(relations(family).values()) == ["representative", "translation"]
    assert all(f is family for f in found)  # nothing else linked
    query_vectors = dict(zip(trace_units(POSTSCRIPT_1956), embedder.embed(trace_units(POSTSCRIPT_1956)), strict=True))
    matches = trace(POSTSCRIPT_1956, corpus, {**vectors, **query_vectors})
    assert [(m.occurrence.permalink, m.relation) for m in matches] == [
        ("d003#q24", "translation"),
        ("k1956#q3", "verbatim"),
    ]


def test_a_missing_model_package_is_a_numbered_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "quotegraph_no_such_model_package")
    monkeypatch.setattr(Embedder, "_instance", None)
    with pytest.raises(EmbeddingModelNotInstalled) as caught:
        Embedder.load()
    assert caught.value.code == "QG202"
    assert "requirements-model.txt" in str(caught.value)


# -- store ------------------------------------------------------------------------------------------


def stored(store: SQLiteStore, name: str, text: str, *quoted: str) -> str:
    doc = Document(name, text, "txt", Document.hash_bytes(text.encode()), source_path=f"/corpus/{name}")
    quotes = tuple(Quote(f"q{i}", text.index(q), text.index(q) + len(q), q, "speech") for i, q in enumerate(quoted, 1))
    store.ingest(doc, Analysis(name, Metadata(), quotes))
    return doc.id


def test_families_are_saved_replaced_and_read_for_current_versions(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "f.db") as store:
        a = stored(store, "a.txt", f"Lenin wrote: “{TESTAMENT}”", TESTAMENT)
        b = stored(store, "b.txt", f"He quoted “{TESTAMENT[:80]}” and left.", TESTAMENT[:80])
        occurrences = [occ(a, "q1", TESTAMENT), occ(b, "q1", TESTAMENT[:80])]
        families = find_families(occurrences)
        store.save_families(families)
        store.save_families(families)  # idempotent: replaced, not added
        rows = store.families()
        assert len(rows) == 1 and rows[0].size == 2 and rows[0].documents == ("a.txt", "b.txt")
        assert [(m.document_id, m.relation) for m in rows[0].members] == [(a, "representative"), (b, "cut")]
        assert store.family_of(b, "q1") == rows[0]
        assert store.family_of(b, "q9") is None
        assert store.families(min_size=3) == []
        stored(store, "b.txt", "A new version of b quotes nothing.")  # b's old version stops being current
        assert [m.document_id for m in store.families(min_size=1)[0].members] == [a]
        store.save_families([])
        assert store.families(min_size=1) == []


def test_link_and_trace_make_the_corpus_passages_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quotegraph.link import corpus, families

    made: list[str] = []
    passage = families._passage

    def counted(occurrence: Occurrence) -> object:
        if occurrence.document_id:  # not the traced text
            made.append(occurrence.permalink)
        return passage(occurrence)

    def one_hot(store: object, texts: list[str], progress: object = None) -> dict[str, np.ndarray]:
        return {t: np.eye(len(texts), dtype=np.float32)[i] for i, t in enumerate(texts)}

    monkeypatch.setattr(families, "_passage", counted)
    monkeypatch.setattr(corpus, "vectors", one_hot)
    with SQLiteStore(tmp_path / "p.db") as store:
        a = stored(store, "a.txt", f"Lenin wrote: “{TESTAMENT}”", TESTAMENT)
        b = stored(store, "b.txt", f"He quoted “{TESTAMENT[:80]}” and left.", TESTAMENT[:80])
        assert len(corpus.link(store)) == 1
        assert sorted(made) == sorted([f"{a}#q1", f"{b}#q1"])  # each quotation once, to embed and to link
        made.clear()
        assert {m.occurrence.document_id for m in corpus.trace_text(store, TESTAMENT)} == {a, b}
        assert sorted(made) == sorted([f"{a}#q1", f"{b}#q1"])


def test_embeddings_are_cached_by_key(tmp_path: Path) -> None:
    vector = np.arange(embed.DIMENSION, dtype="<f4")
    with SQLiteStore(tmp_path / "e.db") as store:
        store.save_embeddings("model", {"k1": vector.tobytes()})
        store.save_embeddings("model", {"k1": vector.tobytes()})
        cached = store.embeddings(["k1", "k2"])
    assert set(cached) == {"k1"} and np.array_equal(np.frombuffer(cached["k1"], dtype="<f4"), vector)


# -- command line -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_ingest_links_and_the_commands_show_families_and_traces(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"Lenin wrote in his testament:\n\n“{TESTAMENT}”\n", encoding="utf-8")
    cut = "having become general secretary, has concentrated an enormous power in his hands"
    (corpus / "b.txt").write_text(f"Years later Pravda said: “{cut} …”\n", encoding="utf-8")
    (corpus / "c.txt").write_text(f"Khrushchev read out Lenin’s words: “{POSTSCRIPT_1956}”\n", encoding="utf-8")
    (corpus / "d.txt").write_text(f"Lenin added a postscript:\n\n“{POSTSCRIPT_1923}”\n", encoding="utf-8")
    # too short for its vector to say it is a translation; a cut of d's words all the same
    (corpus / "e.txt").write_text("He had called it “entirely supportable in relations among us Communists”.\n")
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(corpus), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    assert "quotation families" in ingested.output
    listed = runner.invoke(cli, ["families", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    families = {f["representative"]: f for f in json.loads(listed.stdout)}
    assert [(m["document"], m["relation"]) for m in families[TESTAMENT]["members"]] == [
        ("a.txt", "representative"),
        ("b.txt", "cut"),
    ]
    assert [(m["document"], m["relation"]) for m in families[POSTSCRIPT_1956]["members"]] == [
        ("c.txt", "representative"),
        ("d.txt", "translation"),
        ("e.txt", "translation"),
    ]
    assert "representative" in runner.invoke(cli, ["families", "--db", db]).stdout
    again = runner.invoke(cli, ["ingest", str(corpus), "--db", db])
    assert "quotation families" not in again.output  # nothing changed: no re-linking
    traced = runner.invoke(cli, ["trace", POSTSCRIPT_1923, "--db", db, "--format", "json"])
    assert traced.exit_code == 0, traced.output
    assert [(t["document"], t["relation"], t["edits"] == []) for t in json.loads(traced.stdout)] == [
        ("c.txt", "translation", False),  # another translation: no word diff (edits None)
        ("d.txt", "verbatim", True),
        ("e.txt", "cut", False),  # found through d's family
    ]
    assert json.loads(traced.stdout)[0]["edits"] is None
    from_1956 = json.loads(runner.invoke(cli, ["trace", POSTSCRIPT_1956, "--db", db, "--format", "json"]).stdout)
    assert [(t["document"], t["relation"]) for t in from_1956] == [
        ("c.txt", "verbatim"),
        ("d.txt", "translation"),
        ("e.txt", "translation"),
    ]
    changed = TESTAMENT.replace("an enormous power", "enormous power")
    traced = runner.invoke(cli, ["trace", changed, "--db", db])
    assert traced.exit_code == 0, traced.output
    assert "a.txt#q1" in traced.stdout and "b.txt#q1" in traced.stdout
    assert "insertion: “an”" in traced.stdout  # both have a word the traced text has not
    assert "omission: “Comrade Stalin”" in traced.stdout  # b leaves out words of the traced text
    as_json = json.loads(runner.invoke(cli, ["trace", cut, "--db", db, "--format", "json"]).stdout)
    assert {t["document"]: t["edits"] for t in as_json}["b.txt"] == []  # b quotes exactly these words
    # Edits in verification's shape (verify.corpus.edit_json): ``quoted`` spans the occurrence's words,
    # ``passage`` the traced text's.
    traced = runner.invoke(cli, ["trace", changed, "--db", db, "--format", "json"])
    by_document = {t["document"]: t for t in json.loads(traced.stdout)}
    inserted = next(e for e in by_document["a.txt"]["edits"] if e["type"] == "insertion")
    assert list(inserted) == ["type", "quoted", "passage", "quoted_text", "passage_text", "marked", "severe"]
    assert by_document["a.txt"]["text"][slice(*inserted["quoted"])] == inserted["quoted_text"] == "an"
    omitted = next(e for e in by_document["b.txt"]["edits"] if e["type"] == "omission")
    assert changed[slice(*omitted["passage"])] == omitted["passage_text"] == "Comrade Stalin"
    assert "embedding" in ingested.output
    relinked = runner.invoke(cli, ["link", "--db", db])
    assert relinked.exit_code == 0, relinked.output
    assert "2 quotation families" in relinked.stdout
    assert "embedding" not in relinked.output  # every vector came from the store's cache
    assert runner.invoke(cli, ["trace", " ", "--db", db]).exit_code == 2


# -- benchmark generator and scorer -------------------------------------------------------------------


def test_benchmark_generator_and_scorer_on_a_few_items() -> None:
    spec = importlib.util.spec_from_file_location("families_benchmark", ROOT / "benchmarks" / "families.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    items = bench.generate(12, seed=3, translation=False)
    assert items == bench.generate(12, seed=3, translation=False)  # deterministic
    assert any(i.occurrence.kind == "term" for i in items)
    figures = bench.score(items, find_families([i.occurrence for i in items]))
    assert figures["gold_pairs"] > 0
    assert figures["precision"] >= 0.9 and figures["recall"] >= 0.9
    assert bench.score(items, [])["recall"] == 0.0
