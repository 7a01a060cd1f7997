"""Was a quotation quoted faithfully? One verdict, with its confidence, the passage and what changed.

Verdicts: ``verbatim`` (the words as written), ``faithful`` (only marked elisions and differences of
form), ``altered`` (words left out unmarked, added, changed or moved: the edits say which),
``translation_variant`` (the same passage in other words, judged by a semantic similarity the caller
supplies), ``not_in_source``, ``found_elsewhere`` (not in the cited source but in another document:
misattributed) and ``source_not_in_corpus`` (the cited work is not a corpus document; ``elsewhere``
still says where else the words are).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, get_args

from quotegraph.analyse.text import paragraphs, sentence_starts
from quotegraph.model import Span
from quotegraph.verify.diff import Comparison, Edit, compare_tokens
from quotegraph.verify.locate import FOUND_SHARE, Match, SourceIndex
from quotegraph.verify.tokens import Token, elisions, tokenize, weight

Verdict = Literal[
    "verbatim",
    "faithful",
    "altered",
    "translation_variant",
    "not_in_source",
    "found_elsewhere",
    "source_not_in_corpus",
]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
Similarity = Callable[[str, str], float]

TRANSLATION_SIMILARITY = 0.8  # least semantic similarity for "the same passage in other words"
TRANSLATION_BELOW = 0.75  # a word match covering this much of the quotation is an alteration, not a translation
ELSEWHERE_COVERAGE = 0.8  # another document must hold this much of the quotation to call it misattributed …
ELSEWHERE_MARGIN = 0.2  # … and this much more than the cited source does
NEAREST_SHARE = 0.25  # a passage holding less of a quotation not in the source is not even worth showing
ELSEWHERE_LISTED = FOUND_SHARE  # other documents holding this much of the quotation are named in ``elsewhere``
ELSEWHERE_WORDS = 3.0  # a quotation must weigh this much (about three words that are not function words)
# to be looked for in other documents: "a revolution" is in every one of them


class SourceText:
    """A source document made ready for verification: its word index is built once, here."""

    __slots__ = ("_sentences", "id", "index")

    def __init__(self, id: str, text: str) -> None:
        self.id = id
        self.index = SourceIndex(text)
        self._sentences: list[Span] | None = None

    @property
    def text(self) -> str:
        return self.index.text

    def sentences(self, span: Span) -> list[Span]:
        """The sentences of the text that overlap ``span``, in order (split once, when first asked)."""
        if self._sentences is None:
            spans: list[Span] = []
            for par in paragraphs(self.text):
                starts = sentence_starts(self.text, par.start, par.end)
                spans.extend(Span(s, e) for s, e in zip(starts, [*starts[1:], par.end], strict=True))
            self._sentences = spans
        found = self._sentences
        first = max(0, bisect_right([s.start for s in found], span.start) - 1)
        overlapping = []
        for sentence in found[first:]:
            if sentence.start >= span.end:
                break
            if span.start < sentence.end:
                overlapping.append(sentence)
        return overlapping


@dataclass(frozen=True, slots=True)
class Location:
    """Where else a quotation's words are: a document, the passage's span there, how much of it."""

    source_id: str
    span: Span
    coverage: float


@dataclass(frozen=True, slots=True)
class Verification:
    """The verdict on one quotation.

    ``source_id``/``passage`` say where the located passage is (the cited source; for
    ``found_elsewhere`` the other document) and ``comparison`` how the quotation differs from it: its
    edits' ``passage`` spans are offsets into that document's text. For ``not_in_source`` they may
    show the nearest passage, holding a part of the quotation too small for it to be the quoted one:
    the rest of the quotation is then its insertions.
    """

    verdict: Verdict
    confidence: float
    source_id: str | None
    passage: Span | None
    comparison: Comparison | None
    similarity: float | None = None
    elsewhere: tuple[Location, ...] = ()

    @property
    def edits(self) -> tuple[Edit, ...]:
        return self.comparison.edits if self.comparison is not None else ()


def verify(
    quoted: str,
    source: SourceText | None,
    *,
    elsewhere: Iterable[SourceText] = (),
    similarity: Similarity | None = None,
) -> Verification:
    """Check ``quoted`` against its cited ``source`` (None: the cited work is not in the corpus).

    ``elsewhere`` are the other documents to search when the source does not hold the words (leave
    out the document the quotation itself stands in). It is iterated only then, and once: a caller
    may read and index them as they are reached. ``similarity`` scores two texts' meaning in [0, 1]
    and enables ``translation_variant``.
    """
    tokens = tokenize(quoted)
    if not tokens:
        raise ValueError("the quotation has no words to verify")
    marks = elisions(quoted)
    if source is None:
        found = _found_in(elsewhere, None, quoted, tokens, marks)
        return Verification("source_not_in_corpus", 1.0, None, None, None, elsewhere=_locations(found))
    best = source.index.best(quoted, tokens, marks)
    match = best if best is not None and best.comparison.coverage >= FOUND_SHARE else None
    if match is not None and match.comparison.verbatim:
        return Verification("verbatim", 1.0, source.id, match.span, match.comparison)
    if match is not None and match.comparison.faithful:
        return Verification("faithful", 1.0, source.id, match.span, match.comparison)
    own = match.comparison.coverage if match is not None else 0.0
    found = _found_in(elsewhere, source, quoted, tokens, marks)
    if found and found[0][1].comparison.coverage >= max(ELSEWHERE_COVERAGE, own + ELSEWHERE_MARGIN):
        other, where = found[0]
        return Verification(
            "found_elsewhere",
            where.comparison.coverage,
            other.id,
            where.span,
            where.comparison,
            elsewhere=_locations(found),
        )
    if similarity is not None and own < TRANSLATION_BELOW:
        similar = _most_similar(quoted, tokens, marks, source, similarity)
        if similar is not None and similar[0] >= TRANSLATION_SIMILARITY:
            score, span, comparison = similar
            return Verification(
                "translation_variant", score, source.id, span, comparison, score, elsewhere=_locations(found)
            )
    if match is not None:
        return Verification("altered", own, source.id, match.span, match.comparison, elsewhere=_locations(found))
    if best is not None and best.comparison.coverage >= NEAREST_SHARE:
        # Part of the quotation is there: show where, and the rest as inserted, not in the source.
        near = best.comparison.coverage
        return Verification(
            "not_in_source", 1.0 - near, source.id, best.span, best.comparison, elsewhere=_locations(found)
        )
    near = best.comparison.coverage if best is not None else 0.0
    return Verification("not_in_source", 1.0 - near, source.id, None, None, elsewhere=_locations(found))


def _found_in(
    sources: Iterable[SourceText],
    cited: SourceText | None,
    quoted: str,
    tokens: Sequence[Token],
    marks: Sequence[tuple[int, int]],
) -> list[tuple[SourceText, Match]]:
    """The documents other than the ``cited`` one holding the quotation, the one holding most of it first.

    ``sources`` are not even iterated for a quotation too light to be told from common words."""
    if sum(weight(t.key) for t in tokens) < ELSEWHERE_WORDS:
        return []
    others = (s for s in sources if cited is None or s.id != cited.id)
    found = [(s, m) for s in others if (m := s.index.locate(quoted, tokens, marks, ELSEWHERE_LISTED)) is not None]
    found.sort(key=lambda f: -f[1].comparison.coverage)
    return found


def _locations(found: Sequence[tuple[SourceText, Match]]) -> tuple[Location, ...]:
    return tuple(Location(s.id, m.span, m.comparison.coverage) for s, m in found)


_CLAUSE_BREAK = re.compile(r"[:;]\s+|\s+[—–]\s+|—")
_EDGE_MARKS = "“”‘’\"' "


def _clauses(text: str, sentence: Span) -> list[Span]:
    """A sentence cut at colons, semicolons and dashes, quotation marks trimmed off each piece."""
    out = []
    start = sentence.start
    for cut in [*_CLAUSE_BREAK.finditer(text, sentence.start, sentence.end), None]:
        end = cut.start() if cut is not None else sentence.end
        a, b = start, end
        while a < b and text[a] in _EDGE_MARKS:
            a += 1
        while b > a and text[b - 1] in _EDGE_MARKS:
            b -= 1
        if a < b:
            out.append(Span(a, b))
        if cut is not None:
            start = cut.end()
    return out


def _most_similar(
    quoted: str,
    tokens: Sequence[Token],
    marks: Sequence[tuple[int, int]],
    source: SourceText,
    similarity: Similarity,
) -> tuple[float, Span, Comparison] | None:
    """The sentence, or run of sentences, nearest in meaning among those where the quotation's words
    cluster most; with its similarity and the word diff against it."""
    index = source.index
    reach = 2 * len(tokens) + 10
    candidates: list[Span] = []
    for window in index.windows(tokens, reach, 3):
        around = Span(index.tokens[window.first].start, index.tokens[window.last].end)
        sentences = source.sentences(around)
        candidates.extend(sentences)
        candidates.extend(Span(a.start, b.end) for a, b in pairwise(sentences))
        for sentence in sentences:  # "Postscript: Stalin is too rude …": the clause may be the passage
            clauses = _clauses(source.text, sentence)
            if len(clauses) > 1:
                candidates.extend(clauses)
                candidates.extend(Span(a.start, b.end) for a, b in pairwise(clauses))
    best: tuple[float, Span] | None = None
    for span in dict.fromkeys(candidates):
        score = similarity(quoted, span.of(source.text))
        if best is None or score > best[0]:
            best = (score, span)
    if best is None:
        return None
    score, span = best
    passage = tokenize(source.text, span.start, span.end)
    return score, span, compare_tokens(quoted, tokens, source.text, passage, marks)
