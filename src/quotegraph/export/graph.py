"""The who-quotes-whom network as GEXF 1.3 (Gephi, Cytoscape, networkx) and as Gephi's CSV pair.

Gephi's import takes a node table and an edge table; both go into one zip (``nodes.csv``,
``edges.csv``) so one export is one file, with the columns Gephi's spreadsheet import recognises
(``Id``, ``Label``; ``Source``, ``Target``, ``Type``, ``Weight``).
"""

from __future__ import annotations

import csv
import io
import zipfile

from lxml import etree

from quotegraph import __version__
from quotegraph.export.common import Selection, selected_quotes, selected_rows
from quotegraph.export.tables import guard
from quotegraph.link.network import Network, build_network, restrict
from quotegraph.store.base import Store
from quotegraph.store.sqlite import fold

GEXF_NS = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NODE_ATTRIBUTES = (("role", "string"), ("quoting", "integer"), ("quoted", "integer"), ("documents", "integer"))
EDGE_ATTRIBUTES = (("documents", "integer"), ("permalinks", "string"))


def selected_network(store: Store, sel: Selection) -> Network:
    """The network of the selected documents (quotations of ``kind`` only, if given).

    A speaker filter keeps the people (speakers or authors) whose name contains it and everyone they
    quote or are quoted by; the network is built first, so nested edges whose outer quotation is by someone else
    are kept. A quotation reference gives that quotation's edges.
    """
    picked = selected_quotes(store, sel)[0] if sel.quote else None
    scope = Selection(document=picked.document_id) if picked else Selection(document=sel.document, kind=sel.kind)
    quotes = store.quotes(kind=scope.kind, document=scope.document)
    network = build_network(selected_rows(store, scope, quotes), quotes)
    if picked:
        edges = tuple(e for e in network.edges if picked.permalink in e.permalinks)
        keep = {e.source for e in edges} | {e.target for e in edges}
        return Network(tuple(n for n in network.nodes if n.id in keep), edges)
    if sel.speaker:
        wanted = fold(sel.speaker)
        return restrict(network, [n.id for n in network.nodes if wanted in fold(n.label)])
    return network


def to_gexf(network: Network) -> bytes:
    gexf = etree.Element(
        f"{{{GEXF_NS}}}gexf",
        {f"{{{_XSI}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"},
        nsmap={None: GEXF_NS, "xsi": _XSI},
    )
    meta = etree.SubElement(gexf, f"{{{GEXF_NS}}}meta")
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = f"quotegraph {__version__}"
    etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = (
        "Who quotes whom: document authors → quoted speakers, and speakers → the speakers they quote inside "
        "their own quoted words (edge kind 'nested'). Machine-extracted; check against the documents."
    )
    graph = etree.SubElement(gexf, f"{{{GEXF_NS}}}graph", defaultedgetype="directed", mode="static")
    for cls, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        decl = etree.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": cls})
        for name, kind in attributes:
            etree.SubElement(decl, f"{{{GEXF_NS}}}attribute", id=name, title=name, type=kind)
    nodes = etree.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for n in network.nodes:
        node = etree.SubElement(nodes, f"{{{GEXF_NS}}}node", id=n.id, label=n.label)
        _values(node, {"role": n.role, "quoting": n.quoting, "quoted": n.quoted, "documents": n.documents})
    edges = etree.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for k, e in enumerate(network.edges):
        edge = etree.SubElement(
            edges,
            f"{{{GEXF_NS}}}edge",
            id=f"e{k}",
            source=e.source,
            target=e.target,
            kind=e.kind,
            label=e.kind,
            weight=str(e.weight),
        )
        _values(edge, {"documents": e.documents, "permalinks": " ".join(e.permalinks)})
    return bytes(etree.tostring(gexf, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _values(parent: etree._Element, values: dict[str, object]) -> None:
    holder = etree.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for key, value in values.items():
        etree.SubElement(holder, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": str(value)})


def gephi_tables(network: Network) -> tuple[bytes, bytes]:
    """(nodes.csv, edges.csv) in Gephi's spreadsheet-import layout."""
    nodes = [["Id", "Label", "role", "quoting", "quoted", "documents"]]
    nodes += [[n.id, n.label, n.role, str(n.quoting), str(n.quoted), str(n.documents)] for n in network.nodes]
    edges = [["Source", "Target", "Type", "Kind", "Weight", "documents", "permalinks"]]
    edges += [
        [e.source, e.target, "Directed", e.kind, str(e.weight), str(e.documents), " ".join(e.permalinks)]
        for e in network.edges
    ]
    return _csv(nodes), _csv(edges)


def _csv(table: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in table:
        writer.writerow([guard(c) for c in line])
    return buf.getvalue().encode("utf-8")


def to_gephi_zip(network: Network) -> bytes:
    """Both tables in one zip; fixed timestamps so the same network gives the same bytes."""
    nodes, edges = gephi_tables(network)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("nodes.csv", nodes), ("edges.csv", edges)):
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
