"""TEI export: valid against the schema of the subset we emit, body text exactly the stored text,
every annotation's words exactly its span — for random, overlapping and crossing span sets too."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from quotegraph.export.common import DocumentView, document_row
from quotegraph.export.inline import nest
from quotegraph.export.tei import render_tei, xml_text
from quotegraph.model import (
    ENTITY_TYPES,
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
from quotegraph.store.base import StoredDocument

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "fixtures" / "tei" / "quotegraph-tei.rng")))
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def view_of(text: str, quotes=(), entities=(), dates=(), metadata: Metadata | None = None) -> DocumentView:
    doc = Document("x.txt", text, "txt", Document.hash_bytes(text.encode("utf-8", "surrogatepass")))
    meta = metadata or Metadata(
        title="A title", authors=("Gerry Healy",), publication="Tribune", published="1956-03-09"
    )
    analysis = Analysis(doc.name, meta, tuple(quotes), tuple(dates), tuple(entities))
    stored = StoredDocument(doc, analysis, 1, True, "2026-01-01T00:00:00+00:00", 1)
    return DocumentView(document_row(stored), stored, frozenset(q.id for q in quotes))


def parse(view: DocumentView) -> etree._Element:
    root = etree.fromstring(render_tei([view]))
    assert SCHEMA.validate(root), SCHEMA.error_log
    return root


def body_text(root: etree._Element) -> str:
    return "".join(root.find(".//t:ab", NS).itertext())


def words_of(root: etree._Element, ident: str) -> str:
    """The text of an annotation: its element and the fragments ``next`` leads to."""
    by_id = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    out, el = [], by_id[ident]
    while True:
        out.append("".join(el.itertext()))
        nxt = el.get("next")
        if not nxt:
            return "".join(out)
        el = by_id[nxt[1:]]


TEXT = (
    "Gerry Healy wrote: “Trotsky said ‘the revolution betrayed’ in 1936.” "
    "Pravda & <Izvestia> reported it on March 9, 1956."
)


def test_quotations_names_dates_and_sources_are_marked_inline() -> None:
    outer_start = TEXT.index("Trotsky said")
    outer = Quote("q1", outer_start, TEXT.index("1936.") + 5, "", "speech", speaker="Leon Trotsky")
    inner_start = TEXT.index("the revolution")
    inner = Quote(
        "q2",
        inner_start,
        inner_start + len("the revolution betrayed"),
        "the revolution betrayed",
        "speech",
        speaker="Nadezhda Krupskaya",
        parent="q1",
        source=Source("The Revolution Betrayed", page="12", edition="New Park"),
    )
    trotsky = Entity("Leon Trotsky", "PERSON", ("Trotsky",), (Span(outer_start, outer_start + 7),))
    healy = Entity("Gerry Healy", "PERSON", ("Gerry Healy",), (Span(0, 11),))
    pravda = Entity("Pravda", "PUBLICATION", ("Pravda",), (Span(TEXT.index("Pravda"), TEXT.index("Pravda") + 6),))
    d = TEXT.index("March 9")
    dates = (DateRef(d, d + len("March 9, 1956"), "March 9, 1956", "1956-03-09"),)
    root = parse(view_of(TEXT, [outer, inner], [trotsky, healy, pravda], dates))
    assert body_text(root) == TEXT
    prefix = root.get(XML_ID)
    said = root.find(".//t:said[@ana]", NS)
    assert said.get("who") == f"#{prefix}-leon-trotsky" and said.get(XML_ID) == f"{prefix}-q1"
    cit = said.find("t:cit", NS)
    assert cit.find("t:said", NS).get("who") == f"#{prefix}-nadezhda-krupskaya"
    assert cit.find("t:bibl", NS).get("corresp") == f"#{prefix}-cite-q2"
    cited = root.find(
        f".//t:standOff/t:listBibl/t:bibl[@{{http://www.w3.org/XML/1998/namespace}}id='{prefix}-cite-q2']", NS
    )
    assert cited.find("t:biblScope[@unit='page']", NS).text == "12" and cited.find("t:edition", NS).text == "New Park"
    assert said.find("t:persName", NS).get("ref") == f"#{prefix}-leon-trotsky"
    assert root.find(".//t:ab/t:date", NS).get("when") == "1956-03-09"
    assert root.find(".//t:ab/t:title[@level='j']", NS).text == "Pravda"
    persons = {p.get(XML_ID) for p in root.iterfind(".//t:listPerson/t:person", NS)}
    assert {f"{prefix}-leon-trotsky", f"{prefix}-gerry-healy", f"{prefix}-nadezhda-krupskaya"} <= persons
    relations = {
        (r.get("name"), r.get("active"), r.get("passive"), r.get("corresp"))
        for r in root.iterfind(".//t:listRelation/t:relation", NS)
    }
    assert ("nested", f"#{prefix}-leon-trotsky", f"#{prefix}-nadezhda-krupskaya", f"#{prefix}-q2") in relations
    assert ("quotes", f"#{prefix}-gerry-healy", f"#{prefix}-leon-trotsky", f"#{prefix}-q1") in relations
    header = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", NS)
    assert header.find("t:title[@level='j']", NS).text == "Tribune"
    assert header.find("t:date", NS).get("when") == "1956-03-09"
    assert "Machine-extracted" in root.find(".//t:titleStmt/t:respStmt/t:resp", NS).text


def test_a_name_crossing_a_quotation_edge_is_split_and_joined() -> None:
    text = "He said “Leon” Trotsky was right."
    q = Quote("q1", text.index("Leon"), text.index("Leon") + 4, "Leon", "term")
    name = Entity("Leon Trotsky", "PERSON", ("Leon” Trotsky",), (Span(text.index("Leon"), text.index(" was")),))
    root = parse(view_of(text, [q], [name]))
    assert body_text(root) == text
    first, second = root.iterfind(".//t:ab//t:persName", NS)
    assert first.getparent().tag.endswith("quote") and first.get("next") == f"#{second.get(XML_ID)}"
    assert second.get("prev") == f"#{first.get(XML_ID)}"
    assert words_of(root, first.get(XML_ID)) == "Leon” Trotsky"


def test_a_name_around_a_quotation_is_split_around_it() -> None:
    text = "Alexander “Sasha” Smith spoke."
    q = Quote("q1", text.index("Sasha"), text.index("Sasha") + 5, "Sasha", "term")
    name = Entity("Alexander Smith", "PERSON", (), (Span(0, text.index(" spoke")),))
    root = parse(view_of(text, [q], [name]))
    assert body_text(root) == text
    first = root.find(".//t:ab/t:persName", NS)
    assert words_of(root, first.get(XML_ID)) == "Alexander “Sasha” Smith"
    assert root.find(".//t:quote/t:persName", NS).text == "Sasha"


def test_characters_xml_cannot_hold_become_replacement_characters_one_for_one() -> None:
    text = "Form\x0cfeed and “quoted\x0b” words"
    q = Quote("q1", text.index("quoted"), text.index("”"), "quoted\x0b", "term")
    root = parse(view_of(text, [q]))
    assert body_text(root) == xml_text(text) and len(body_text(root)) == len(text)


def test_several_documents_make_a_valid_corpus_with_unique_ids() -> None:
    a = view_of("One “quote” here.", [Quote("q1", 5, 10, "quote", "term")])
    b = view_of("Another “quote” there.", [Quote("q1", 9, 14, "quote", "term")])
    root = etree.fromstring(render_tei([a, b]))
    assert root.tag.endswith("teiCorpus") and SCHEMA.validate(root), SCHEMA.error_log
    assert [body_text(t) for t in root.iterfind("t:TEI", NS)] == ["One “quote” here.", "Another “quote” there."]


def test_the_schema_rejects_what_tei_does_not_allow() -> None:
    root = parse(view_of("He said “Leon” Trotsky.", [Quote("q1", 9, 13, "Leon", "term")]))
    quote = root.find(".//t:quote", NS)
    wrapper = etree.SubElement(quote.getparent(), "{http://www.tei-c.org/ns/1.0}persName")
    quote.addprevious(wrapper)
    wrapper.append(quote)  # a name around a quotation: not in macro.phraseSeq
    assert not SCHEMA.validate(root)


# -- random span sets ---------------------------------------------------------------------------

ALPHABET = st.sampled_from([*list("ab c\n“”’<&>é𝔘"), "\x0b"])


@st.composite
def annotated(draw: st.DrawFn) -> DocumentView:
    text = draw(st.text(ALPHABET, min_size=0, max_size=60))
    n = len(text)

    def span() -> tuple[int, int]:
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, n))
        return a, b

    quotes = []
    for i in range(draw(st.integers(0, 5))):
        a, b = span()
        quotes.append(
            Quote(
                f"q{i + 1}",
                a,
                b,
                text[a:b],
                draw(st.sampled_from(QUOTE_KINDS)),
                speaker=draw(st.sampled_from([None, "Leon Trotsky", "Lenin", "Gerry Healy"])),
                parent=f"q{i}" if i and draw(st.booleans()) else None,
                source=draw(st.sampled_from([None, Source("Works", page="3"), Source(None)])),
            )
        )
    entities = []
    for _ in range(draw(st.integers(0, 4))):
        spans = tuple(Span(*span()) for _ in range(draw(st.integers(1, 3))))
        entities.append(
            Entity(
                draw(st.sampled_from(["Stalin", "Pravda", "Moscow", "Lenin"])),
                draw(st.sampled_from(ENTITY_TYPES)),
                (),
                spans,
            )
        )
    dates = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = span()
        dates.append(
            DateRef(
                a, b, text[a:b], draw(st.sampled_from([None, "1956", "1956-02", "1956-02-25", "1923/1956", "garbage"]))
            )
        )
    return view_of(text, quotes, entities, dates)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated())
def test_random_span_sets_keep_text_and_spans_exact(view: DocumentView) -> None:
    root = parse(view)
    text = xml_text(view.document.text)
    assert body_text(root) == text
    prefix = root.get(XML_ID)
    for q in view.quotes:
        if q.start < q.end:
            assert words_of(root, f"{prefix}-{q.id}") == text[q.start : q.end]
    starts = [el for el in root.find(".//t:ab", NS).iter() if el.get(XML_ID) and not el.get("prev")]

    def spelled(*tags: str) -> list[str]:
        return sorted(words_of(root, el.get(XML_ID)) for el in starts if etree.QName(el).localname in tags)

    names = ("persName", "orgName", "placeName", "name", "title")
    assert spelled(*names) == sorted(text[s.start : s.end] for e in view.entities for s in e.spans)
    assert spelled("date") == sorted(text[d.start : d.end] for d in view.stored.analysis.dates)
    assert spelled("said", "quote") == sorted(text[q.start : q.end] for q in view.quotes)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12))
def test_nest_fragments_cover_each_span_exactly(raw: list[tuple[int, int]]) -> None:
    spans = [(min(a, b), max(a, b), k) for k, (a, b) in enumerate(raw)]
    root, fragments = nest(30, spans)
    for (start, end, _), pieces in zip(spans, fragments, strict=True):
        covered = [(p.start, p.end) for p in pieces]
        if start == end:
            assert covered == [(start, end)]
            continue
        assert covered[0][0] == start and covered[-1][1] == end
        assert all(a[1] == b[0] for a, b in itertools.pairwise(covered))

    def check(node) -> None:
        for a, b in zip(node.children, node.children[1:], strict=False):
            assert a.end <= b.start
        for c in node.children:
            assert node.start <= c.start <= c.end <= node.end
            check(c)

    check(root)


@pytest.mark.parametrize(
    "value, attrs", [("1956", {"when": "1956"}), ("1923/1956", {"from": "1923", "to": "1956"}), ("soon", {})]
)
def test_date_values_become_w3c_attributes(value: str, attrs: dict[str, str]) -> None:
    text = "It was then."
    root = parse(view_of(text, dates=[DateRef(7, 11, "then", value)]))
    date = root.find(".//t:ab/t:date", NS)
    assert {k: v for k, v in date.attrib.items() if k in ("when", "from", "to")} == attrs


def test_a_speaker_and_their_entity_are_one_person_however_accented() -> None:
    text = "Léon Trotsky wrote “words”."
    q = Quote("q1", text.index("words"), text.index("words") + 5, "words", "speech", speaker="Leon Trotsky")
    trotsky = Entity("Léon Trotsky", "PERSON", (), (Span(0, 12),))
    root = parse(view_of(text, [q], [trotsky]))
    prefix = root.get(XML_ID)
    persons = [p.get(XML_ID) for p in root.iterfind(".//t:listPerson/t:person", NS)]
    assert persons.count(f"{prefix}-leon-trotsky") == 1
    assert root.find(".//t:ab/t:said", NS).get("who") == f"#{prefix}-leon-trotsky"
    assert root.find(".//t:ab/t:persName", NS).get("ref") == f"#{prefix}-leon-trotsky"
