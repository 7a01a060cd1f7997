"""A hostile corpus for the web tests: markup, event handlers and javascript: URLs in every field."""

from __future__ import annotations

from pathlib import Path

from quotegraph.model import Analysis, DateRef, Document, Entity, Metadata, Quote, Source, Span
from quotegraph.store import open_store

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
JS_LINK = '<a href="javascript:alert(2)">click</a>'
HUGE = "A" * 100_000 + '" onmouseover="alert(3)'

TEXT = (
    f"{SCRIPT} Headline {IMG}\n\n"
    f"Comrade {SCRIPT} wrote: “{IMG} the people {JS_LINK}” in {JS_LINK}.\n\n"
    f"“<svg onload=alert(4)>” said Mallory. In 1937 nothing {HUGE} happened.\n"
)


def _span(needle: str, start: int = 0) -> Span:
    at = TEXT.index(needle, start)
    return Span(at, at + len(needle))


def hostile_document() -> tuple[Document, Analysis]:
    q1 = _span(f"{IMG} the people {JS_LINK}")
    q2 = _span("<svg onload=alert(4)>")
    inner = _span(JS_LINK, q1.start)
    metadata = Metadata(
        title=f"{SCRIPT}{IMG}",
        authors=(f"{IMG} Eve", JS_LINK),
        publication=f"{SCRIPT} Gazette",
        published="1937-05-01",
        boilerplate=(Span(0, TEXT.index("\n")),),
    )
    doc = Document(
        name=f"{IMG}.txt",
        text=TEXT,
        format="txt",
        content_hash=Document.hash_bytes(TEXT.encode()),
        source_path=f"javascript:alert(5)/{SCRIPT}",
        metadata=metadata,
    )
    analysis = Analysis(
        document=doc.name,
        metadata=metadata,
        quotes=(
            Quote(
                "q1",
                q1.start,
                q1.end,
                q1.of(TEXT),
                "speech",
                speaker=f"{SCRIPT} Comrade",
                cue=f"{IMG}",
                source=Source(work=f"{JS_LINK} Works", page=IMG, edition=SCRIPT, evidence="citation"),
            ),
            Quote("q2", inner.start, inner.end, inner.of(TEXT), "term", parent="q1"),
            Quote("q3", q2.start, q2.end, q2.of(TEXT), "speech", speaker=HUGE),
        ),
        dates=(DateRef(TEXT.index("1937"), TEXT.index("1937") + 4, "1937", "1937"),),
        entities=(
            Entity(f"{SCRIPT} Comrade", "PERSON", (SCRIPT,), (_span(SCRIPT, 20),)),
            Entity(HUGE, "PERSON", ("Mallory",), (_span("Mallory"),)),
        ),
    )
    return doc, analysis


def hostile_store(path: Path) -> Path:
    with open_store(path) as store:
        store.ingest(*hostile_document())
    return path
