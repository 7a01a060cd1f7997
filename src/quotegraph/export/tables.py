"""CSV and NDJSON of the store's lists: quotes, speakers, documents, entities, dates.

Columns come in a fixed order per list (``quotegraph.export.COLUMNS``), the same for both formats.
NDJSON keeps lists and counts by kind as JSON values; CSV joins them into one cell. Every CSV cell that a spreadsheet
would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, or a tab or carriage return, as
OWASP lists them) gets a leading ``'``, so opening an export never runs what a document's text says.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from quotegraph.export import COLUMNS
from quotegraph.export.common import Selection, selected_document_ids, selected_quotes, selected_rows
from quotegraph.store.base import QuoteRow, Store

Row = dict[str, Any]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(store: Store, sel: Selection, list_name: str) -> tuple[tuple[str, ...], list[Row]]:
    """The columns and rows of one list under the selection's filters."""
    quotes = selected_quotes(store, sel)
    if list_name == "quotes":
        return COLUMNS["quotes"], [_quote(q) for q in quotes]
    if list_name == "speakers":
        return COLUMNS["speakers"], speaker_rows(quotes)
    if list_name == "documents":
        docs = selected_rows(store, sel, quotes)
        return COLUMNS["documents"], [{c: getattr(d, c) for c in COLUMNS["documents"]} for d in docs]
    ids = set(selected_document_ids(store, sel, quotes))
    if list_name == "entities":
        return COLUMNS["entities"], entity_rows(store, ids, sel.entity_type)
    return COLUMNS["dates"], [
        {c: getattr(d, c) for c in COLUMNS["dates"]} for d in store.date_rows() if d.document_id in ids
    ]


def _quote(q: QuoteRow) -> Row:
    row: Row = {c: getattr(q, c) for c in COLUMNS["quotes"] if c != "permalink"}
    row["permalink"] = q.permalink
    return row


def speaker_rows(quotes: Sequence[QuoteRow]) -> list[Row]:
    """Speakers of these quotations with their counts, as ``quotegraph speakers`` orders them."""
    from quotegraph.store.sqlite import fold

    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for q in quotes:
        if q.speaker:
            counts[q.speaker] += 1
            docs.setdefault(q.speaker, set()).add(q.document_id)
            kinds.setdefault(q.speaker, Counter())[q.kind] += 1
    ordered = sorted(counts, key=lambda s: (-counts[s], fold(s), s))
    return [
        {
            "speaker": s,
            "quote_count": counts[s],
            "document_count": len(docs[s]),
            "kinds": dict(sorted(kinds[s].items())),
        }
        for s in ordered
    ]


def entity_rows(store: Store, document_ids: set[str], entity_type: str | None) -> list[Row]:
    """Entities of these documents merged across them, one per referent (as ``quotegraph entities``)."""
    from quotegraph.link.entities import merge
    from quotegraph.link.variants import same_name

    found = [r for r in store.entity_rows(type=entity_type) if r.document_id in document_ids]
    return [
        {
            "canonical": e.canonical,
            "type": e.type,
            "mentions": len(e.occurrences),
            "documents": len(e.documents),
            "variants": list(e.variants),
            "document_ids": list(e.documents),
        }
        for e in merge(found, same_name)
    ]


def to_ndjson(columns: Sequence[str], data: Sequence[Row]) -> bytes:
    lines = (json.dumps({c: _json_value(r.get(c)) for c in columns}, ensure_ascii=False) for r in data)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def to_csv(columns: Sequence[str], data: Sequence[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for r in data:
        writer.writerow([guard(cell(r.get(c))) for c in columns])
    return buf.getvalue().encode("utf-8")


def cell(value: Any) -> str:
    """One CSV cell: lists joined by "; ", counts by kind as "kind:n", nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "; ".join(f"{k}:{n}" for k, n in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(x) for x in value)
    return str(value)


def guard(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
