"""TEI P5 XML: one ``TEI`` per document (a ``teiCorpus`` for several), built with lxml.

- ``teiHeader``: the original publication (``sourceDesc/bibl``: authors, title, publication with
  volume/issue/pages, date, editor, transcriber, archive), the export's provenance, and the
  quotation kinds as a ``taxonomy`` the quotations point to with ``ana``.
- ``text/body/div/ab``: the stored text, character for character (``xml:space="preserve"``), with
  inline markup from the character offsets: ``said who="#…"`` for quotations with a speaker, ``quote``
  for the others, wrapped in ``cit`` with an empty ``bibl corresp="#…"`` when a source is cited (the
  full reference is in ``standOff`` so the body's text stays the stored text); ``persName``,
  ``orgName``, ``placeName``, ``name type="event"`` and ``title`` (works, publications) with ``ref``;
  ``date`` with ``when`` or ``from``/``to``. Crossing spans are split (see ``inline``) and the
  fragments joined with ``next``/``prev``.
- ``standOff``: ``listPerson``, ``listOrg``, ``listPlace``, ``listEvent``, ``listBibl`` (works,
  publications, each quotation's cited source) and ``listRelation``: who quotes whom in this
  document, from ``link.network``, each relation pointing at its quotations with ``corresp``.

One ``ab`` rather than ``p`` per paragraph: quotations run over paragraph breaks, and an anonymous
block carries no claim about the structure the plain text lost. A character XML 1.0 cannot carry
(C0 controls other than tab and newlines) is written as U+FFFD, one for one, so offsets still hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from quotegraph import __version__
from quotegraph.export.common import MACHINE_NOTE, DocumentView
from quotegraph.export.inline import Node, nest
from quotegraph.link.network import Network, NetworkNode, build_network, name_slug
from quotegraph.model import QUOTE_KINDS, Entity, Quote

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
KIND_MEANINGS = {
    "speech": "words attributed to a speaker or writer, quoted in running text",
    "block": "a quotation set off as its own paragraph",
    "term": "a word or phrase in quotation marks: a so-called term, or words not attributed",
    "title": "the title of a work in quotation marks",
}
_ENTITY_ELEMENT = {
    "PERSON": ("persName", {}),
    "ORG": ("orgName", {}),
    "GPE": ("placeName", {}),
    "EVENT": ("name", {"type": "event"}),
    "WORK": ("title", {"level": "m"}),
    "PUBLICATION": ("title", {"level": "j"}),
}


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _t(tag), {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True, slots=True)
class _QuoteMark:
    quote: Quote
    ident: str


@dataclass(frozen=True, slots=True)
class _EntityMark:
    entity: Entity
    ident: str


@dataclass(frozen=True, slots=True)
class _DateMark:
    when: str | None
    ident: str


_Mark = _QuoteMark | _EntityMark | _DateMark


class _Ids:
    """xml:ids unique in the whole file: every id of a document starts with its own prefix."""

    def __init__(self, view: DocumentView, network: Network) -> None:
        self.prefix = f"d{view.document.id}"
        self.source = f"{self.prefix}-source"
        # a document with neither author nor publication quotes as itself: its source description
        self.node_ids = {
            n.id: self.source if n.label == view.document.name and n.role == "author" else self.of(n.id)
            for n in network.nodes
        }

    def of(self, local: str) -> str:
        return f"{self.prefix}-{local}"

    def entity(self, e: Entity) -> str:
        return self.of(name_slug(e.canonical))

    def speaker(self, network: Network, name: str) -> str | None:
        node = network.node_for(name)
        return self.node_ids[node.id] if node else None


def render_tei(views: Sequence[DocumentView]) -> bytes:
    """One TEI document, or a teiCorpus of several, serialised as UTF-8 XML."""
    if len(views) == 1:
        root = tei_document(views[0])
    else:
        root = etree.Element(_t("teiCorpus"), nsmap={None: TEI_NS})
        header = _el(root, "teiHeader")
        fd = _el(header, "fileDesc")
        _el(_el(fd, "titleStmt"), "title", f"quotegraph export of {len(views)} documents")
        _publication_stmt(fd, None)
        _el(_el(fd, "sourceDesc"), "p", "The documents below, each with its own source description.")
        for view in views:
            root.append(tei_document(view))
    _indent(root, 0)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8")) + b"\n"


def _indent(element: etree._Element, level: int) -> None:
    """Indent everything but the text: whitespace added inside ``ab`` would change the text content."""
    children = list(element)
    element.text = "\n" + "  " * (level + 1)
    for k, child in enumerate(children):
        if child.tag in (_t("TEI"), _t("teiCorpus")):
            _indent(child, level + 1)
        elif child.tag != _t("text"):
            etree.indent(child, level=level + 1)
        child.tail = "\n" + "  " * (level + (k < len(children) - 1))


def tei_document(view: DocumentView) -> etree._Element:
    network = build_network([view.row], view.quote_rows)
    ids = _Ids(view, network)
    tei = etree.Element(_t("TEI"), {XML_ID: ids.prefix}, nsmap={None: TEI_NS})
    _header(tei, view, ids)
    text = _el(tei, "text")
    ab = _el(_el(_el(text, "body"), "div", type="article"), "ab")
    ab.set(XML_SPACE, "preserve")
    entities = list(view.entities)
    _body(ab, view, network, ids, entities)
    _stand_off(tei, view, network, ids, entities)
    return tei


def _publication_stmt(parent: etree._Element, view: DocumentView | None) -> None:
    stmt = _el(parent, "publicationStmt")
    _el(stmt, "authority", f"quotegraph {__version__}")
    if view is not None:
        _el(stmt, "idno", view.document.id, type="quotegraph")
        _el(stmt, "idno", view.document.content_hash, type="sha256")
        _el(stmt, "idno", str(view.stored.version), type="version")


def _header(tei: etree._Element, view: DocumentView, ids: _Ids) -> None:
    meta = view.metadata
    header = _el(tei, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", meta.title or view.document.name)
    for a in meta.authors:
        _el(ts, "author", a)
    resp = _el(ts, "respStmt")
    _el(resp, "resp", f"quotation, entity and date markup. {MACHINE_NOTE}.")
    _el(resp, "name", f"quotegraph {__version__}")
    _publication_stmt(fd, view)
    bibl = _el(_el(fd, "sourceDesc"), "bibl")
    bibl.set(XML_ID, ids.source)
    for a in meta.authors:
        _el(bibl, "author", a)
    _el(bibl, "title", meta.title or view.document.name, level="a")
    if meta.publication:
        _el(bibl, "title", meta.publication, level="j")
    for unit, value in (("volume", meta.volume), ("issue", meta.issue), ("page", meta.pages)):
        if value:
            _el(bibl, "biblScope", value, unit=unit)
    if meta.published:
        _date(bibl, meta.published, meta.published)
    if meta.editor:
        _el(bibl, "editor", meta.editor)
    if meta.transcriber:
        rs = _el(bibl, "respStmt")
        _el(rs, "resp", "transcribed by")
        _el(rs, "name", meta.transcriber)
    if meta.archive:
        _el(bibl, "distributor", meta.archive)
    if meta.posted or meta.poster:
        when = f" on {meta.posted}" if meta.posted else ""
        who = f" by {meta.poster}" if meta.poster else ""
        _el(bibl, "note", f"Posted{when}{who}.", type="posted")
    _el(bibl, "idno", view.document.source_path or view.document.name, type="file")
    encoding = _el(header, "encodingDesc")
    _el(
        encoding,
        "p",
        "Every element in the body stands on character offsets into the stored text, which the body "
        "holds unchanged. An annotation crossing another one is split; its parts are joined with next/prev.",
    )
    taxonomy = _el(_el(encoding, "classDecl"), "taxonomy")
    taxonomy.set(XML_ID, ids.of("kinds"))
    for kind in QUOTE_KINDS:
        cat = _el(taxonomy, "category")
        cat.set(XML_ID, ids.of(f"kind-{kind}"))
        _el(cat, "catDesc", KIND_MEANINGS[kind])


def _date(parent: etree._Element, value: str | None, text: str) -> etree._Element:
    attrs = _when(value)
    el = _el(parent, "date", text)
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _when(value: str | None) -> dict[str, str]:
    """TEI's W3C date attributes for an ISO value: a point (``when``) or a range (``from``/``to``)."""
    if not value:
        return {}
    start, sep, end = value.partition("/")
    if sep and _ISO.fullmatch(start) and _ISO.fullmatch(end):
        return {"from": start, "to": end}
    return {"when": value} if _ISO.fullmatch(value) else {}


def _body(ab: etree._Element, view: DocumentView, network: Network, ids: _Ids, entities: list[Entity]) -> None:
    text = view.document.text
    annotations: list[tuple[int, int, _Mark]] = []
    for q in sorted(view.quotes, key=lambda q: (q.start, -q.end)):
        annotations.append((q.start, q.end, _QuoteMark(q, ids.of(q.id))))
    mentions = sorted(
        ((s.start, s.end, e) for e in entities for s in e.spans), key=lambda m: (m[0], -m[1], m[2].canonical)
    )
    for n, (start, end, e) in enumerate(mentions, 1):
        annotations.append((start, end, _EntityMark(e, ids.of(f"m{n}"))))
    for n, d in enumerate(view.stored.analysis.dates, 1):
        annotations.append((d.start, d.end, _DateMark(d.value, ids.of(f"t{n}"))))
    root, fragments = nest(len(text), annotations, _may_contain)
    elements: dict[int, etree._Element] = {}
    _render(ab, root, text, network, ids, elements, {id(f[-1]) for f in fragments if f})
    for pieces in fragments:
        if len(pieces) < 2:
            continue
        base = elements[id(pieces[0])].get(XML_ID) or ""
        for k, piece in enumerate(pieces):
            el = elements[id(piece)]
            if k:
                el.set(XML_ID, f"{base}.{k + 1}")  # "." never occurs in an id's own slug
        for prev, nxt in pairwise([elements[id(p)] for p in pieces]):
            prev.set("next", f"#{nxt.get(XML_ID)}")
            nxt.set("prev", f"#{prev.get(XML_ID)}")


def _may_contain(outer: _Mark, inner: _Mark) -> bool:
    """Names and dates hold phrases only (TEI ``macro.phraseSeq``), never a quotation."""
    return isinstance(outer, _QuoteMark) or not isinstance(inner, _QuoteMark)


def _render(
    parent: etree._Element,
    node: Node[_Mark],
    text: str,
    network: Network,
    ids: _Ids,
    elements: dict[int, etree._Element],
    last_fragments: set[int],
) -> None:
    """Write ``node``'s text and children into ``parent``: text before the first child goes into
    ``parent.text`` (or the tail of the previous child), the rest into each child's tail."""
    pos = node.start
    previous: etree._Element | None = None

    def put(chunk: str) -> None:
        if not chunk:
            return
        if previous is None:
            parent.text = (parent.text or "") + xml_text(chunk)
        else:
            previous.tail = (previous.tail or "") + xml_text(chunk)

    for child in node.children:
        put(text[pos : child.start])
        outer, inner = _open(parent, child, network, ids, id(child) in last_fragments)
        elements[id(child)] = inner
        _render(inner, child, text, network, ids, elements, last_fragments)
        previous = outer
        pos = child.end
    put(text[pos : node.end])


def _open(
    parent: etree._Element, node: Node[_Mark], network: Network, ids: _Ids, last: bool
) -> tuple[etree._Element, etree._Element]:
    """The element(s) for one fragment: (outermost, the one holding the text)."""
    mark = node.mark
    if isinstance(mark, _QuoteMark):
        q = mark.quote
        source = q.source if q.source and q.source.work else None
        holder = _el(parent, "cit") if source and last else parent
        who = ids.speaker(network, q.speaker) if q.speaker else None
        el = _el(holder, "said", who=f"#{who}") if who else _el(holder, "quote")
        el.set(XML_ID, mark.ident)
        el.set("ana", f"#{ids.of('kind-' + q.kind)}")
        if holder is parent:
            return el, el
        _el(holder, "bibl", corresp=f"#{ids.of('cite-' + q.id)}")
        return holder, el
    if isinstance(mark, _EntityMark):
        tag, attrs = _ENTITY_ELEMENT[mark.entity.type]
        el = _el(parent, tag, ref=f"#{ids.entity(mark.entity)}", **attrs)
        el.set(XML_ID, mark.ident)
        return el, el
    assert isinstance(mark, _DateMark)
    el = _el(parent, "date", **_when(mark.when))
    el.set(XML_ID, mark.ident)
    return el, el


def _stand_off(tei: etree._Element, view: DocumentView, network: Network, ids: _Ids, entities: list[Entity]) -> None:
    stand_off = _el(tei, "standOff")
    lists: dict[str, etree._Element] = {}

    def in_list(name: str) -> etree._Element:
        if name not in lists:
            lists[name] = etree.Element(_t(name))
        return lists[name]

    written: set[str] = set()
    for e in entities:
        ident = ids.entity(e)
        if ident in written:
            continue
        written.add(ident)
        _entity_entry(in_list, e, ident)
    for node in network.nodes:
        ident = ids.node_ids[node.id]
        if ident in written or ident == ids.source:
            continue
        written.add(ident)
        _node_entry(in_list, node, ident, view)
    for q in view.quotes:
        if q.source and q.source.work:
            bibl = _el(in_list("listBibl"), "bibl")
            bibl.set(XML_ID, ids.of(f"cite-{q.id}"))
            work = ids.of(name_slug(q.source.work))
            _el(bibl, "title", q.source.work, level="m", **({"ref": f"#{work}"} if work in written else {}))
            if q.source.edition:
                _el(bibl, "edition", q.source.edition)
            if q.source.page:
                _el(bibl, "biblScope", q.source.page, unit="page")
            _el(bibl, "note", f"How the source was found: {q.source.evidence}.", type="evidence")
    for edge in network.edges:
        rel = _el(
            in_list("listRelation"),
            "relation",
            type="quotation",
            name=edge.kind,
            active=f"#{ids.node_ids[edge.source]}",
            passive=f"#{ids.node_ids[edge.target]}",
            n=str(edge.weight),
            corresp=" ".join(f"#{ids.of(p.rpartition('#')[2])}" for p in edge.permalinks),
        )
        src, dst = network.node(edge.source).label, network.node(edge.target).label
        inside = " inside words quoted from them" if edge.kind == "nested" else ""
        _el(rel, "desc", f"{src} quotes {dst}{inside} ({edge.weight} quotation{'s' * (edge.weight != 1)})")
    for name in ("listPerson", "listOrg", "listPlace", "listEvent", "listBibl", "listRelation"):
        if name in lists:
            stand_off.append(lists[name])
    if not len(stand_off):
        tei.remove(stand_off)


_LIST_OF = {"PERSON": "listPerson", "ORG": "listOrg", "GPE": "listPlace", "EVENT": "listEvent"}
_ENTRY_OF = {"PERSON": ("person", "persName"), "ORG": ("org", "orgName"), "GPE": ("place", "placeName")}


def _entity_entry(in_list: Callable[[str], etree._Element], e: Entity, ident: str) -> None:
    names = [e.canonical, *(m for m in dict.fromkeys(e.mentions) if m != e.canonical)]
    if e.type in ("WORK", "PUBLICATION"):
        entry = _el(in_list("listBibl"), "bibl")
        for k, name in enumerate(names):
            title = _el(entry, "title", name, level="m" if e.type == "WORK" else "j")
            if k:
                title.set("type", "variant")
    elif e.type == "EVENT":
        entry = _el(in_list("listEvent"), "event")
        for name in names:
            _el(entry, "label", name)
    else:
        tag, name_tag = _ENTRY_OF[e.type]
        entry = _el(in_list(_LIST_OF[e.type]), tag)
        for k, name in enumerate(names):
            el = _el(entry, name_tag, name)
            if k:
                el.set("type", "variant")
    entry.set(XML_ID, ident)


def _node_entry(in_list: Callable[[str], etree._Element], node: NetworkNode, ident: str, view: DocumentView) -> None:
    """A quoting or quoted voice the entity tagger did not list: a publication or a person."""
    if node.label == view.metadata.publication:
        entry = _el(in_list("listBibl"), "bibl")
        _el(entry, "title", node.label, level="j")
    else:
        entry = _el(in_list("listPerson"), "person")
        _el(entry, "persName", node.label)
    entry.set(XML_ID, ident)
