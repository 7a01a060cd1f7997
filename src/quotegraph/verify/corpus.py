"""Verification over a store: pick each quotation's source document, verify, turn verdicts into rows.

The thin layer between the pure engine and the ``Store``: a current document becomes a
``SourceText`` when a verification first needs it (the cited source first; the rest of the corpus
only when a quotation must be looked for elsewhere), and at most once per verifier; a quotation's
cited work is matched to a document title, and the quotation's own document, in any version, is
neither its source nor "elsewhere" for it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from quotegraph.store.base import QuoteRow, Store, VerdictRow
from quotegraph.verify.cite import match_work
from quotegraph.verify.diff import Edit
from quotegraph.verify.verdict import Similarity, SourceText, Verification, verify

VERIFIED_KINDS = ("speech", "block")  # terms and titles are not claims about what a source says
SourceUse = Literal["cited", "explicit", "none"]


@dataclass(frozen=True, slots=True)
class SourceChoice:
    """Which document a quotation is checked against, and why."""

    document_id: str | None
    used: SourceUse
    reason: str


class CorpusVerifier:
    """Verifies quotations against the store's current documents."""

    def __init__(self, store: Store, similarity: Similarity | None = None) -> None:
        self.store = store
        self.similarity = similarity
        self.documents = store.documents()
        self._current = {d.id for d in self.documents}
        self._sources: dict[str, SourceText] = {}

    def source(self, document_id: str) -> SourceText:
        """The document made ready for verification (read and indexed on first use)."""
        if document_id not in self._sources:  # the text alone: no analysis to decode
            self._sources[document_id] = SourceText(document_id, self.store.texts([document_id])[document_id])
        return self._sources[document_id]

    def _elsewhere(self, excluded: Collection[str]) -> Iterator[SourceText]:
        """Every current document but the ``excluded``: the unread ones read in one query when the
        search starts, each indexed when the search reaches it."""
        unread = [d.id for d in self.documents if d.id not in excluded and d.id not in self._sources]
        texts = self.store.texts(unread) if unread else {}
        for document in self.documents:
            if document.id in excluded:
                continue
            if document.id not in self._sources:
                self._sources[document.id] = SourceText(document.id, texts[document.id])
            yield self._sources[document.id]

    def _own(self, document_id: str | None) -> set[str]:
        """A quotation's own document in every version: never its cited source, never "elsewhere" for it.

        Only a replaced version is asked about: the other versions of a current one are not current,
        so they are never searched anyway."""
        if document_id is None:
            return set()
        if document_id in self._current:
            return {document_id}
        return set(self.store.version_ids(document_id))

    def choose(self, quote: QuoteRow | None, explicit: str | None) -> SourceChoice:
        """The document given with ``--source``, else the one whose title is the cited work."""
        if explicit is not None:
            document_id = self.store.resolve(explicit)
            return SourceChoice(document_id, "explicit", f"--source {explicit}")
        if quote is None or not quote.work:
            return SourceChoice(None, "none", "the quotation cites no work; give --source DOC")
        own = self._own(quote.document_id)
        titles = [(d.id, d.title) for d in self.documents if d.title and d.id not in own]
        found = match_work(quote.work, titles)
        if found is None:
            return SourceChoice(None, "none", f"cited work {quote.work!r} matches no document title")
        return SourceChoice(
            found.document_id,
            "cited",
            f"cited work {quote.work!r} matches the title {found.title!r} (score {found.score:.0f})",
        )

    def check(self, text: str, choice: SourceChoice, own_document: str | None = None) -> Verification:
        """Verify ``text``; every current document but the source and the quotation's own (in any
        version) is searched as "elsewhere"."""
        source = self.source(choice.document_id) if choice.document_id else None
        excluded = self._own(own_document)
        if choice.document_id is not None:
            excluded.add(choice.document_id)
        others = self._elsewhere(excluded)
        return verify(text, source, elsewhere=others, similarity=self.similarity)

    def verifiable(self, source: str | None = None) -> Iterator[QuoteRow]:
        """Stored quotations worth checking: speech and block quotations that cite a work, or with a
        ``source`` given, all of them but those of the source itself."""
        source_id = self.store.resolve(source) if source is not None else None
        for quote in self.store.quotes():
            if quote.kind not in VERIFIED_KINDS or quote.document_id == source_id:
                continue
            if quote.work or source_id is not None:
                yield quote


def verdict_row(quote: QuoteRow, choice: SourceChoice, verification: Verification) -> VerdictRow:
    passage = verification.passage
    return VerdictRow(
        document_id=quote.document_id,
        quote_id=quote.quote_id,
        verdict=verification.verdict,
        confidence=round(verification.confidence, 4),
        cited_document_id=choice.document_id,
        source_document_id=verification.source_id,
        passage_start=passage.start if passage else None,
        passage_end=passage.end if passage else None,
        edits=tuple(edit_json(e) for e in verification.edits),
        source_used=choice.used,
        source_reason=choice.reason,
        elsewhere=tuple(
            {"document_id": w.source_id, "start": w.span.start, "end": w.span.end, "coverage": round(w.coverage, 4)}
            for w in verification.elsewhere
        ),
        similarity=verification.similarity,
    )


def edit_json(edit: Edit) -> dict[str, Any]:
    return {
        "type": edit.type,
        "quoted": [edit.quoted.start, edit.quoted.end],
        "passage": [edit.passage.start, edit.passage.end],
        "quoted_text": edit.quoted_text,
        "passage_text": edit.passage_text,
        "marked": edit.marked,
        "severe": edit.severe,
    }
