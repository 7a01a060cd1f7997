"""W3C Web Annotation (JSON-LD): one annotation per quotation and per entity mention.

Each annotation targets its document (``urn:quotegraph:document:<id>``) with two selectors: a
``TextQuoteSelector`` (the exact words and up to 32 characters either side) and a
``TextPositionSelector``. The Web Annotation model counts positions in Unicode code points, which is
what Python ``str`` indices — quotegraph's offsets — are, so ``start``/``end`` are the stored offsets
unchanged (a JavaScript consumer indexing UTF-16 code units must convert where the text has
characters beyond U+FFFF). The ``creator`` is the quotegraph software agent: every annotation is
machine-extracted.

Quotations: motivation ``describing``; bodies classify the kind and describe the speaker, cue,
cited source and nesting. Entity mentions: motivation ``identifying``; bodies tag the type and
identify the canonical name. When quotations are filtered (by quotation, speaker or kind), only the
entity mentions inside the quotations kept are annotated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from quotegraph import __version__
from quotegraph.export.common import MACHINE_NOTE, DocumentView, Selection, select
from quotegraph.model import Quote
from quotegraph.store.base import Store

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
CREATOR = {"id": f"urn:quotegraph:software:{__version__}", "type": "Software", "name": f"quotegraph {__version__}"}


def render(store: Store, sel: Selection) -> bytes:
    return dumps(collection(select(store, sel), sel.filters_quotes))


def dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def collection(views: Sequence[DocumentView], quotes_filtered: bool = False) -> dict[str, Any]:
    items = [a for v in views for a in document_annotations(v, quotes_filtered)]
    ids = "+".join(v.document.id for v in views) or "empty"
    return {
        "@context": CONTEXT,
        "id": f"urn:quotegraph:collection:{ids}",
        "type": "AnnotationCollection",
        "label": f"quotegraph annotations of {len(views)} document(s). {MACHINE_NOTE}.",
        "creator": CREATOR,
        "total": len(items),
        "first": {
            "id": f"urn:quotegraph:collection:{ids}:page:0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def _target(view: DocumentView, start: int, end: int) -> dict[str, Any]:
    text = view.document.text
    return {
        "source": f"urn:quotegraph:document:{view.document.id}",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": text[end : end + CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _body(value: str, purpose: str) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def _quote_bodies(q: Quote) -> list[dict[str, str]]:
    bodies = [_body(q.kind, "classifying")]
    if q.speaker:
        bodies.append(_body(f"Speaker: {q.speaker}", "describing"))
    if q.cue:
        bodies.append(_body(f"Cue: {q.cue}", "describing"))
    if q.source and q.source.work:
        cited = [q.source.work, f"p. {q.source.page}" if q.source.page else "", q.source.edition or ""]
        bodies.append(_body(f"Source: {', '.join(x for x in cited if x)} ({q.source.evidence})", "describing"))
    if q.parent:
        bodies.append(_body(f"Nested in quotation {q.parent}", "describing"))
    return bodies


def document_annotations(view: DocumentView, quotes_filtered: bool = False) -> list[dict[str, Any]]:
    doc_id = view.document.id
    quotes = view.quotes
    out: list[dict[str, Any]] = [
        {
            "id": f"urn:quotegraph:annotation:{doc_id}:{q.id}",
            "type": "Annotation",
            "motivation": "describing",
            "creator": CREATOR,
            "body": _quote_bodies(q),
            "target": _target(view, q.start, q.end),
        }
        for q in quotes
    ]
    n = 0
    for e in view.entities:
        for span in e.spans:
            n += 1
            if quotes_filtered and not any(q.start <= span.start and span.end <= q.end for q in quotes):
                continue
            out.append(
                {
                    "id": f"urn:quotegraph:annotation:{doc_id}:m{n}",
                    "type": "Annotation",
                    "motivation": "identifying",
                    "creator": CREATOR,
                    "body": [_body(e.type, "tagging"), _body(e.canonical, "identifying")],
                    "target": _target(view, span.start, span.end),
                }
            )
    return out
