"""Analysis ⇄ the JSON of docs/gold-format.md, the format `extract` writes and the scorer reads.

Required fields keep the meaning the format gives them; quotegraph adds its own (``spans``,
``confidence``, ``evidence`` …), which scorers ignore. The round trip is lossless.
"""

from __future__ import annotations

from typing import Any

from quotegraph.errors import GoldFormatError
from quotegraph.model import Analysis, DateRef, Entity, Metadata, Quote, Source, Span


def _span(s: Span | None) -> list[int] | None:
    return [s.start, s.end] if s is not None else None


def _unspan(v: Any) -> Span | None:
    return Span(int(v[0]), int(v[1])) if v else None


def metadata_to_json(m: Metadata) -> dict[str, Any]:
    return {
        "title": m.title,
        "authors": list(m.authors),
        "publication": m.publication,
        "volume": m.volume,
        "issue": m.issue,
        "pages": m.pages,
        "published": m.published,
        "posted": m.posted,
        "poster": m.poster,
        "editor": m.editor,
        "transcriber": m.transcriber,
        "archive": m.archive,
        "boilerplate": [{"start": b.start, "end": b.end} for b in m.boilerplate],
    }


def metadata_from_json(d: dict[str, Any]) -> Metadata:
    return Metadata(
        title=d.get("title"),
        authors=tuple(d.get("authors") or ()),
        publication=d.get("publication"),
        volume=d.get("volume"),
        issue=d.get("issue"),
        pages=d.get("pages"),
        published=d.get("published"),
        posted=d.get("posted"),
        poster=d.get("poster"),
        editor=d.get("editor"),
        transcriber=d.get("transcriber"),
        archive=d.get("archive"),
        boilerplate=tuple(Span(b["start"], b["end"]) for b in d.get("boilerplate") or ()),
    )


def source_to_json(s: Source | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "work": s.work,
        "page": s.page,
        "edition": s.edition,
        "citation": _span(s.citation),
        "evidence": s.evidence,
    }


def source_from_json(d: dict[str, Any] | None) -> Source | None:
    if not d:
        return None
    return Source(
        work=d.get("work"),
        page=d.get("page"),
        edition=d.get("edition"),
        citation=_unspan(d.get("citation")),
        evidence=d.get("evidence", "citation"),
    )


def quote_to_json(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "speaker": q.speaker,
        "cue": q.cue,
        "source": source_to_json(q.source),
        "parent": q.parent,
        "speaker_span": _span(q.speaker_span),
        "cue_span": _span(q.cue_span),
        "confidence": q.confidence,
        "closed": q.closed,
    }


def quote_from_json(d: dict[str, Any]) -> Quote:
    return Quote(
        id=d["id"],
        start=int(d["start"]),
        end=int(d["end"]),
        text=d["text"],
        kind=d.get("kind") or "speech",
        speaker=d.get("speaker"),
        cue=d.get("cue"),
        source=source_from_json(d.get("source")),
        parent=d.get("parent"),
        speaker_span=_unspan(d.get("speaker_span")),
        cue_span=_unspan(d.get("cue_span")),
        confidence=float(d.get("confidence", 1.0)),
        closed=bool(d.get("closed", True)),
    )


def to_json(a: Analysis) -> dict[str, Any]:
    return {
        "document": a.document,
        "metadata": metadata_to_json(a.metadata),
        "quotes": [quote_to_json(q) for q in a.quotes],
        "dates": [{"start": d.start, "end": d.end, "text": d.text, "value": d.value, "typo": d.typo} for d in a.dates],
        "entities": [
            {
                "canonical": e.canonical,
                "type": e.type,
                "mentions": list(e.mentions),
                "spans": [[s.start, s.end] for s in e.spans],
            }
            for e in a.entities
        ],
    }


def from_json(d: dict[str, Any]) -> Analysis:
    try:
        return Analysis(
            document=d["document"],
            metadata=metadata_from_json(d.get("metadata") or {}),
            quotes=tuple(quote_from_json(q) for q in d.get("quotes") or ()),
            dates=tuple(
                DateRef(x["start"], x["end"], x["text"], x.get("value"), bool(x.get("typo", False)))
                for x in d.get("dates") or ()
            ),
            entities=tuple(
                Entity(
                    e["canonical"],
                    e["type"],
                    tuple(e.get("mentions") or ()),
                    tuple(Span(s[0], s[1]) for s in e.get("spans") or ()),
                )
                for e in d.get("entities") or ()
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldFormatError(f"not in the gold format: {exc!r}") from exc
