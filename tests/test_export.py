"""Every export format on a store ingested from the sample corpus, parsed back with a real parser."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from quotegraph.cli import cli
from quotegraph.errors import DocumentNotFound, QuoteNotFound, UnknownExportFormat
from quotegraph.export import COLUMNS, FORMATS, LIST_NAMES, render
from quotegraph.export.cite import bibtex_escape, split_name
from quotegraph.export.tables import guard, to_csv
from quotegraph.store import SQLiteStore

pytestmark = pytest.mark.slow

HEALY_1988 = "001_e4f37517f46e57a6"  # Gerry Healy, Marxist Monthly: nests Krupskaya inside Trotsky
GATES = "002_36e75da0bb443b46"  # Albert Gates, The New International, vol. XXII no. 1, pp. 18–28
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "fixtures" / "tei" / "quotegraph-tei.rng")))
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
GEXF = {"g": "http://gexf.net/1.3"}
# The top-level field names of the CSL data schema (citation-style-language/schema, csl-data.json)
# that a record may use; the schema forbids any other.
CSL_FIELDS = {
    "type", "id", "author", "editor", "issued", "accessed", "title", "container-title", "volume", "issue",
    "page", "URL", "archive", "archive_location", "note", "publisher", "publisher-place", "edition", "DOI",
}  # fmt: skip
CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "document", "webpage"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    from quotegraph.analyse import analyse
    from quotegraph.read import read_file

    path = tmp_path_factory.mktemp("export") / "q.db"
    with SQLiteStore(path) as store:
        for p in sorted(corpus_dir.glob("*.txt")):
            doc = read_file(p)
            store.ingest(doc, analyse(doc))
    return path


@pytest.fixture
def store(db: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db) as s:
        yield s


# -- TEI ------------------------------------------------------------------------------------------


def test_tei_of_every_document_is_valid_and_keeps_the_text(store: SQLiteStore) -> None:
    root = etree.fromstring(render(store, "tei").content)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus"
    assert SCHEMA.validate(root), SCHEMA.error_log
    docs = {d.id: d for d in store.documents()}
    teis = root.findall("t:TEI", TEI)
    assert len(teis) == len(docs) == 5
    for tei in teis:
        doc_id = tei.find(".//t:idno[@type='quotegraph']", TEI).text
        stored = store.get_document(doc_id)
        assert "".join(tei.find(".//t:ab", TEI).itertext()) == stored.document.text
        marked = tei.findall(".//t:ab//t:said", TEI) + tei.findall(".//t:ab//t:quote", TEI)
        assert len({el.get(XML_ID).split("-q")[1] for el in marked}) == len(stored.analysis.quotes)


def test_tei_relations_follow_the_network(store: SQLiteStore) -> None:
    result = render(store, "tei", document=HEALY_1988)
    assert result.media_type == "application/tei+xml" and result.filename.endswith(".tei.xml")
    root = etree.fromstring(result.content)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI" and SCHEMA.validate(root)
    prefix = root.get(XML_ID)
    nested = next(
        r for r in root.iterfind(".//t:relation[@name='nested']", TEI) if r.get("active") == f"#{prefix}-leon-trotsky"
    )
    assert nested.get("passive") == f"#{prefix}-nadezhda-krupskaya"
    for ref in nested.get("corresp").split():
        said = next(el for el in root.iterfind(".//t:ab//t:said", TEI) if el.get(XML_ID) == ref[1:])
        assert said.get("who") == f"#{prefix}-nadezhda-krupskaya"


def test_tei_with_filters_marks_only_the_kept_quotations(store: SQLiteStore) -> None:
    root = etree.fromstring(render(store, "tei", document=HEALY_1988, speaker="krupskaya").content)
    assert SCHEMA.validate(root)
    assert {el.get("who") for el in root.iterfind(".//t:ab//t:said", TEI)} == {
        f"#{root.get(XML_ID)}-nadezhda-krupskaya"
    }
    places_only = etree.fromstring(render(store, "tei", document=GATES, entity_type="GPE").content)
    assert not places_only.findall(".//t:ab//t:persName", TEI) and places_only.findall(".//t:ab//t:placeName", TEI)


# -- W3C Web Annotation ---------------------------------------------------------------------------


def test_web_annotations_select_the_exact_words(store: SQLiteStore) -> None:
    data = json.loads(render(store, "webanno", document=HEALY_1988).content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and data["total"] == len(items)
    text = store.get_document(HEALY_1988).document.text
    stored = store.get_document(HEALY_1988).analysis
    assert sum(a["motivation"] == "describing" for a in items) == len(stored.quotes)
    assert sum(a["motivation"] == "identifying" for a in items) == sum(len(e.spans) for e in stored.entities)
    for a in items:
        assert a["creator"]["type"] == "Software"
        quote_sel, position = a["target"]["selector"]
        assert quote_sel["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert quote_sel["exact"] == text[start:end]
        assert text[:start].endswith(quote_sel["prefix"]) and text[end:].startswith(quote_sel["suffix"])
    speech = next(a for a in items if any(b["value"] == "Speaker: Nadezhda Krupskaya" for b in a["body"]))
    assert any(b["purpose"] == "describing" and b["value"].startswith("Nested in") for b in speech["body"])


def test_web_annotations_of_one_quotation_keep_the_mentions_inside_it(store: SQLiteStore) -> None:
    q = store.quotes(document=HEALY_1988, speaker="krupskaya")[0]
    items = json.loads(render(store, "webanno", quote=q.permalink).content)["first"]["items"]
    assert items[0]["id"].endswith(f":{q.quote_id}")
    for a in items[1:]:
        position = a["target"]["selector"][1]
        assert q.start <= position["start"] and position["end"] <= q.end


# -- CSV and NDJSON -------------------------------------------------------------------------------


@pytest.mark.parametrize("list_name", LIST_NAMES)
def test_csv_and_ndjson_carry_the_same_rows_in_a_stable_column_order(store: SQLiteStore, list_name: str) -> None:
    as_csv = render(store, "csv", list_name=list_name)
    as_ndjson = render(store, "ndjson", list_name=list_name)
    table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8"))))
    records = [json.loads(line) for line in as_ndjson.content.decode("utf-8").splitlines()]
    assert tuple(table[0]) == COLUMNS[list_name]
    assert all(tuple(r) == COLUMNS[list_name] for r in records)
    assert len(table) - 1 == len(records) > 0
    first = dict(zip(table[0], table[1], strict=True))
    for column, value in records[0].items():
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            assert first[column] in (str(value), "'" + str(value))


def test_list_filters(store: SQLiteStore) -> None:
    quotes = json_lines(render(store, "ndjson", speaker="trotsky", kind="block"))
    assert quotes and all(q["speaker"] == "Leon Trotsky" and q["kind"] == "block" for q in quotes)
    every_speaker = json_lines(render(store, "ndjson", list_name="speakers"))
    assert [(s["speaker"], s["quote_count"], s["document_count"], s["kinds"]) for s in every_speaker] == [
        (s.speaker, s.quote_count, s.document_count, s.kinds) for s in store.speakers()
    ]
    speakers = json_lines(render(store, "ndjson", list_name="speakers", document=GATES))
    assert sum(s["quote_count"] for s in speakers) == sum(1 for q in store.quotes(document=GATES) if q.speaker)
    people = json_lines(render(store, "ndjson", list_name="entities", entity_type="PERSON"))
    assert people and {e["type"] for e in people} == {"PERSON"}
    dates = json_lines(render(store, "ndjson", list_name="dates", document=GATES))
    assert dates and {d["document_id"] for d in dates} == {store.resolve(GATES)}
    docs = json_lines(render(store, "ndjson", list_name="documents", speaker="krupskaya"))
    assert [d["name"] for d in docs] == [f"{HEALY_1988}.txt"]


def json_lines(result) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [json.loads(line) for line in result.content.decode("utf-8").splitlines()]


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_look_like_formulas_are_guarded(value: str) -> None:
    assert guard(value) == "'" + value
    assert guard("Trotsky = traitor?") == "Trotsky = traitor?"


# -- GEXF and Gephi -------------------------------------------------------------------------------


def test_gexf_and_gephi_tables_describe_the_same_network(store: SQLiteStore) -> None:
    gexf = etree.fromstring(render(store, "gexf").content)
    assert gexf.get("version") == "1.3"
    nodes = {n.get("id"): n for n in gexf.iterfind(".//g:node", GEXF)}
    edges = gexf.findall(".//g:edge", GEXF)
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
    healy = nodes["gerry-healy"].find(".//g:attvalue[@for='role']", GEXF).get("value")
    assert healy == "author"
    nested = [e for e in edges if e.get("kind") == "nested"]
    assert ("leon-trotsky", "nadezhda-krupskaya") in {(e.get("source"), e.get("target")) for e in nested}
    with zipfile.ZipFile(io.BytesIO(render(store, "gephi").content)) as zf:
        assert sorted(zf.namelist()) == ["edges.csv", "nodes.csv"]
        node_rows = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode("utf-8"))))
        edge_rows = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode("utf-8"))))
    assert {r["Id"] for r in node_rows} == set(nodes)
    assert sorted(int(r["Weight"]) for r in edge_rows) == sorted(int(e.get("weight")) for e in edges)
    assert {r["Type"] for r in edge_rows} == {"Directed"}


def test_speaker_filter_keeps_their_neighbourhood(store: SQLiteStore) -> None:
    gexf = etree.fromstring(render(store, "gexf", speaker="krupskaya").content)
    ids = {n.get("id") for n in gexf.iterfind(".//g:node", GEXF)}
    assert ids == {"gerry-healy", "leon-trotsky", "nadezhda-krupskaya"}
    author = etree.fromstring(render(store, "gexf", speaker="albert gates").content)
    assert len(author.findall(".//g:edge", GEXF)) == len(author.findall(".//g:node", GEXF)) - 1 > 0


# -- citations ------------------------------------------------------------------------------------


def test_bibtex_reads_back_with_its_fields(store: SQLiteStore) -> None:
    library = bibtexparser.parse_string(render(store, "bibtex", document=GATES).content.decode("utf-8"))
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "article"
    assert fields["author"] == "Gates, Albert" and fields["journal"] == "The New International"
    assert fields["volume"] == "XXII" and fields["number"] == "1" and fields["pages"] == "18–28"
    assert fields["year"] == "1956" and "Machine-extracted by quotegraph" in fields["note"]


def test_citing_a_quotation_puts_its_location_in_the_note(store: SQLiteStore) -> None:
    q = store.quotes(document=HEALY_1988, work="falsification")[0]
    (record,) = rispy.loads(render(store, "ris", quote=q.permalink).content.decode("utf-8"))
    assert record["type_of_reference"] == "JOUR"
    assert record["authors"] == ["Healy, Gerry"] and record["title"] == "How Stalin Betrayed October"
    assert record["secondary_title"] == "Marxist Monthly" and record["year"] == "1988"
    note = record["notes"][0]
    assert q.permalink in note and f"characters {q.start}–{q.end}" in note and "Stalin School of Falsification" in note
    assert "Machine-extracted" in note


def test_ris_keeps_the_tag_order(store: SQLiteStore) -> None:
    lines = render(store, "ris", document=GATES).content.decode("utf-8").split("\r\n")
    tags = [line[:2] for line in lines if line]
    assert tags[0] == "TY" and tags[-1] == "ER"
    order = ["TY", "AU", "TI", "T2", "PY", "DA", "VL", "IS", "SP", "EP", "DP", "N1", "ID", "ER"]
    assert tags == [t for t in order if t in tags]


def test_csl_json_uses_the_schema_field_names(store: SQLiteStore) -> None:
    items = json.loads(render(store, "csl-json").content)
    assert len(items) == 5
    for item in items:
        assert set(item) <= CSL_FIELDS and item["type"] in CSL_TYPES
        assert "Machine-extracted" in item["note"]
    gates = next(i for i in items if i.get("container-title") == "The New International")
    assert gates["author"] == [{"family": "Gates", "given": "Albert"}]
    assert gates["issued"] == {"date-parts": [[1956]]} and gates["page"] == "18–28"


def test_bibtex_escapes_what_latex_treats_as_markup() -> None:
    escaped = bibtex_escape(r"50% of {A & B} cost $5 #1 a_b ~ ^ \ end")
    library = bibtexparser.parse_string(f"@misc{{k,\n  title = {{{escaped}}}\n}}\n")
    assert not library.failed_blocks
    assert library.entries[0].fields_dict["title"].value == escaped
    for raw in "%&$#_":
        assert f"\\{raw}" in escaped
    assert split_name("Ring Lardner Jr.") == split_name("Ring Lardner Jr.")
    assert split_name("Ring Lardner Jr.").suffix == "Jr." and split_name("Temushkin").family == "Temushkin"


# -- the entry point and the command --------------------------------------------------------------


def test_every_format_renders_the_whole_corpus(store: SQLiteStore) -> None:
    for fmt in FORMATS:
        result = render(store, fmt)
        assert result.content and result.filename.startswith("quotegraph-corpus")


def test_bad_references_and_formats_are_named_errors(store: SQLiteStore) -> None:
    with pytest.raises(QuoteNotFound):
        render(store, "tei", quote=f"{HEALY_1988}#q9999")
    with pytest.raises(QuoteNotFound):
        render(store, "tei", quote="no-hash-sign")
    with pytest.raises(DocumentNotFound):
        render(store, "tei", document="no-such-document")
    with pytest.raises(UnknownExportFormat):
        render(store, "docx")
    with pytest.raises(UnknownExportFormat):
        render(store, "csv", list_name="nothing")


def test_cli_export(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--format", "csv", "--list", "speakers", "--db", str(db)])
    assert out.exit_code == 0 and out.stdout.startswith("speaker,quote_count")
    target = tmp_path / "x.gexf"
    written = runner.invoke(cli, ["export", "--format", "gexf", "--out", str(target), "--db", str(db)])
    assert written.exit_code == 0 and etree.parse(str(target)).getroot().get("version") == "1.3"
    usage = runner.invoke(cli, ["export", "--format", "tei", "--list", "dates", "--db", str(db)])
    assert usage.exit_code == 2
    unknown = runner.invoke(cli, ["export", "--format", "docx", "--db", str(db)])
    assert unknown.exit_code == 2
    missing = runner.invoke(cli, ["export", "--format", "ris", "--quote", f"{HEALY_1988}#q9999", "--db", str(db)])
    assert missing.exit_code == 1 and "QG303" in missing.output


def test_a_source_url_is_cited_verbatim() -> None:
    from quotegraph.export.cite import reference, to_bibtex, to_ris
    from quotegraph.export.common import DocumentView, document_row
    from quotegraph.model import Analysis, Document, Metadata
    from quotegraph.store.base import StoredDocument

    url = "https://example.org/a_b%20c?x={1}"
    doc = Document("a.html", "Some text.", "html", Document.hash_bytes(b"Some text."), source_path=url)
    stored = StoredDocument(doc, Analysis(doc.name, Metadata(title="A")), 1, True, "2026-01-01T00:00:00+00:00", 1)
    ref = reference(DocumentView(document_row(stored), stored, frozenset()))
    (entry,) = bibtexparser.parse_string(to_bibtex([ref]).decode("utf-8")).entries
    assert entry.fields_dict["url"].value == "https://example.org/a_b%20c?x=%7B1%7D"
    assert rispy.loads(to_ris([ref]).decode("utf-8"))[0]["urls"] == [url]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_cells_read_back_as_written_or_guarded(cells: list[str]) -> None:
    columns = tuple(f"c{k}" for k in range(len(cells)))
    content = to_csv(columns, [dict(zip(columns, cells, strict=True))])
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    assert tuple(header) == columns
    assert row == [guard(c) for c in cells]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
