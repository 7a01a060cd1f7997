"""Who quotes whom: authors → speakers, nested quotations, counts and permalinks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quotegraph.link.network import build_network, document_voices, restrict
from quotegraph.store.base import DocumentRow, QuoteRow


def doc(doc_id: str, authors: tuple[str, ...] = (), publication: str | None = None) -> DocumentRow:
    return DocumentRow(doc_id, f"{doc_id}.txt", None, None, authors, publication, None, 1, 0, "2026-01-01T00:00:00Z")


def quote(doc_id: str, qid: str, speaker: str | None, parent: str | None = None, kind: str = "speech") -> QuoteRow:
    return QuoteRow(doc_id, f"{doc_id}.txt", qid, 0, 1, "x", kind, speaker, None, None, None, None, parent)


HEALY = doc("healy", ("Gerry Healy",))
ANON = doc("anon", publication="Daily Worker")
BARE = doc("bare")


def test_authors_quote_speakers_and_nested_quotations_link_speakers() -> None:
    quotes = [
        quote("healy", "q1", "Leon Trotsky"),
        quote("healy", "q2", "Nadezhda Krupskaya", parent="q1"),
        quote("healy", "q3", "Leon Trotsky"),
        quote("healy", "q4", None),
    ]
    net = build_network([HEALY], quotes)
    ids = {n.label: n.id for n in net.nodes}
    assert ids == {
        "Gerry Healy": "gerry-healy",
        "Leon Trotsky": "leon-trotsky",
        "Nadezhda Krupskaya": "nadezhda-krupskaya",
    }
    edges = {(e.source, e.target, e.kind): e for e in net.edges}
    assert set(edges) == {
        ("gerry-healy", "leon-trotsky", "quotes"),
        ("gerry-healy", "nadezhda-krupskaya", "quotes"),
        ("leon-trotsky", "nadezhda-krupskaya", "nested"),
    }
    assert edges["gerry-healy", "leon-trotsky", "quotes"].permalinks == ("healy#q1", "healy#q3")
    assert edges["gerry-healy", "leon-trotsky", "quotes"].weight == 2
    assert edges["leon-trotsky", "nadezhda-krupskaya", "nested"].permalinks == ("healy#q2",)
    trotsky = net.node("leon-trotsky")
    assert (trotsky.role, trotsky.quoted, trotsky.quoting, trotsky.documents) == ("speaker", 2, 1, 1)
    healy = net.node("gerry-healy")
    assert (healy.role, healy.quoted, healy.quoting, healy.documents) == ("author", 0, 3, 1)


def test_nested_edge_skips_enclosing_quotations_without_a_speaker() -> None:
    quotes = [
        quote("healy", "q1", "Leon Trotsky"),
        quote("healy", "q2", None, parent="q1", kind="term"),
        quote("healy", "q3", "Lenin", parent="q2"),
    ]
    net = build_network([HEALY], quotes)
    assert {(e.source, e.target) for e in net.edges if e.kind == "nested"} == {("leon-trotsky", "lenin")}


def test_parent_missing_from_the_list_gives_no_nested_edge() -> None:
    net = build_network([HEALY], [quote("healy", "q2", "Lenin", parent="q1")])
    assert [e.kind for e in net.edges] == ["quotes"]


def test_documents_without_authors_speak_as_publication_or_name() -> None:
    assert document_voices(ANON) == ("Daily Worker",)
    assert document_voices(BARE) == ("bare.txt",)
    net = build_network([ANON, BARE], [quote("anon", "q1", "Stalin"), quote("bare", "q1", "Stalin")])
    assert {(e.source, e.target) for e in net.edges} == {("daily-worker", "stalin"), ("bare-txt", "stalin")}
    stalin = net.node("stalin")
    assert (stalin.quoted, stalin.documents) == (2, 2)


def test_an_author_who_is_quoted_is_one_node_with_both_roles() -> None:
    other = doc("other", ("gerry healy",))
    net = build_network([HEALY, other], [quote("other", "q1", "Gerry Healy"), quote("healy", "q1", "Léon Trotsky")])
    healy = net.node("gerry-healy")
    assert healy.role == "both" and healy.label == "Gerry Healy" and healy.documents == 2
    assert net.node_for("LEON trotsky") == net.node("leon-trotsky")
    assert net.node_for("nobody") is None


def test_quotations_of_other_documents_are_left_out() -> None:
    net = build_network([HEALY], [quote("elsewhere", "q1", "Stalin")])
    assert [n.label for n in net.nodes] == ["Gerry Healy"] and net.edges == ()


def test_ids_are_unique_and_ncname_safe() -> None:
    net = build_network([doc("a", ("C.P.G.B.",)), doc("b", ("C P G B",)), doc("c", ("1956 group",))], [])
    ids = [n.id for n in net.nodes]
    assert len(set(ids)) == 3 and all(i[0].isalpha() for i in ids)
    assert "n-1956-group" in ids


def test_restrict_keeps_the_edges_touching_the_nodes() -> None:
    net = build_network([HEALY, ANON], [quote("healy", "q1", "Leon Trotsky"), quote("anon", "q1", "Stalin")])
    sub = restrict(net, ["leon-trotsky"])
    assert {n.id for n in sub.nodes} == {"gerry-healy", "leon-trotsky"}
    assert [(e.source, e.target) for e in sub.edges] == [("gerry-healy", "leon-trotsky")]


NAMES = st.sampled_from(["Trotsky", "Lenin", "Stalin", "Krupskaya", "Healy", None])


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), NAMES, st.integers(0, 6)), max_size=30))
def test_counts_add_up(specs: list[tuple[str, str | None, int]]) -> None:
    docs = [doc("a", ("Healy",)), doc("b", publication="Tribune")]
    quotes = [
        quote(d, f"q{i}", speaker, parent=f"q{parent}" if parent < i else None)
        for i, (d, speaker, parent) in enumerate(specs)
    ]
    net = build_network(docs, quotes)
    ids = {n.id for n in net.nodes}
    assert all(e.source in ids and e.target in ids for e in net.edges)
    assert all(e.weight == len(e.permalinks) == len(set(e.permalinks)) for e in net.edges)
    assert sum(n.quoting for n in net.nodes) == sum(e.weight for e in net.edges)
    assert sum(n.quoted for n in net.nodes) == sum(1 for q in quotes if q.speaker)
    assert sum(e.weight for e in net.edges if e.kind == "quotes") == sum(1 for q in quotes if q.speaker)
