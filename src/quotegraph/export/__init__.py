"""Exports: the stored documents, quotations, entities, dates and the who-quotes-whom network in
formats other tools read (TEI, W3C Web Annotation, CSV/NDJSON, GEXF/Gephi, BibTeX/CSL-JSON/RIS).

``render(store, fmt, …)`` is the one entry point (the CLI's ``export`` command and the web UI call
it); each format is a module of pure functions over the records ``common.select`` reads through the
Store protocol. docs/exports.md describes every format and its mapping.

This module imports no format: the CLI reads ``FORMATS``, ``LIST_NAMES`` and ``COLUMNS`` when it starts,
and the format modules (lxml, the network, the store) are imported when ``render`` first runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotegraph.errors import UnknownExportFormat

if TYPE_CHECKING:
    from quotegraph.export.common import Selection
    from quotegraph.store.base import Store

FORMATS = ("tei", "webanno", "csv", "ndjson", "gexf", "gephi", "bibtex", "csl-json", "ris")
# The columns of each list, in order, the same for CSV and NDJSON (export/tables.py).
COLUMNS: dict[str, tuple[str, ...]] = {
    "quotes": (
        "permalink",
        "document_id",
        "document_name",
        "quote_id",
        "start",
        "end",
        "kind",
        "speaker",
        "cue",
        "work",
        "page",
        "edition",
        "parent",
        "text",
    ),
    "speakers": ("speaker", "quote_count", "document_count", "kinds"),
    "documents": (
        "id",
        "name",
        "title",
        "authors",
        "publication",
        "published",
        "version",
        "quote_count",
        "source_path",
        "format",
        "content_hash",
        "ingested_at",
    ),
    "entities": ("canonical", "type", "mentions", "documents", "variants", "document_ids"),
    "dates": ("document_id", "document_name", "start", "end", "text", "value", "typo"),
}
LIST_NAMES = tuple(COLUMNS)


@dataclass(frozen=True, slots=True)
class Export:
    """A rendered export: the bytes, their media type and a file name to save them under."""

    content: bytes
    media_type: str
    filename: str


def render(
    store: Store,
    fmt: str,
    *,
    document: str | None = None,
    quote: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
    entity_type: str | None = None,
    list_name: str = "quotes",
) -> Export:
    """Render the selection in ``fmt`` (one of ``FORMATS``); ``list_name`` picks the list for csv/ndjson.

    Raises DocumentNotFound / QuoteNotFound for references that match nothing and
    UnknownExportFormat for a format or list this module does not have.
    """
    from quotegraph.export import cite, graph, tables, tei, webanno
    from quotegraph.export.common import Selection, select

    sel = Selection(document=document, quote=quote, speaker=speaker, kind=kind, entity_type=entity_type)
    stem = _stem(sel)
    if fmt == "tei":
        views = select(store, sel)
        return Export(tei.render_tei(views), "application/tei+xml", f"{stem}.tei.xml")
    if fmt == "webanno":
        return Export(webanno.render(store, sel), "application/ld+json", f"{stem}.jsonld")
    if fmt in ("csv", "ndjson"):
        if list_name not in LIST_NAMES:
            raise UnknownExportFormat(f"unknown list {list_name!r}: use one of {', '.join(LIST_NAMES)}")
        columns, rows = tables.rows(store, sel, list_name)
        if fmt == "csv":
            return Export(tables.to_csv(columns, rows), "text/csv; charset=utf-8", f"{stem}-{list_name}.csv")
        return Export(tables.to_ndjson(columns, rows), "application/x-ndjson", f"{stem}-{list_name}.ndjson")
    if fmt in ("gexf", "gephi"):
        network = graph.selected_network(store, sel)
        if fmt == "gexf":
            return Export(graph.to_gexf(network), "application/gexf+xml", f"{stem}-network.gexf")
        return Export(graph.to_gephi_zip(network), "application/zip", f"{stem}-network-gephi.zip")
    if fmt in ("bibtex", "csl-json", "ris"):
        refs = cite.references(store, sel)
        if fmt == "bibtex":
            return Export(cite.to_bibtex(refs), "application/x-bibtex; charset=utf-8", f"{stem}.bib")
        if fmt == "ris":
            return Export(cite.to_ris(refs), "application/x-research-info-systems", f"{stem}.ris")
        return Export(cite.to_csl_json(refs), "application/vnd.citationstyles.csl+json", f"{stem}.csl.json")
    raise UnknownExportFormat(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def _stem(sel: Selection) -> str:
    """A file name that says what was exported: the document or quotation, else the corpus."""
    if sel.quote:
        return "quotegraph-" + _safe(sel.quote.replace("#", "-"))
    if sel.document:
        return "quotegraph-" + _safe(sel.document)
    return "quotegraph-corpus"


def _safe(ref: str) -> str:
    name = ref.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name) or "export"
