"""A typed word-level diff between a quotation and the passage it quotes.

``compare`` says what changed and where, on both sides: words left out (marked by an elision or not),
words added, words changed, and runs of words moved. Differences of form (marks, dashes, white space,
line-end hyphenation, case) are not changes. difflib's matcher is used because it aligns the longest
common runs first, which is how a reader sees a misquotation; the typing of its opcodes is ours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from quotegraph.model import Span
from quotegraph.verify.tokens import Token, elisions, tokenize, weight

EditType = Literal["omission", "insertion", "substitution", "reordering"]
EDIT_TYPES: tuple[EditType, ...] = ("omission", "insertion", "substitution", "reordering")


@dataclass(frozen=True, slots=True)
class Edit:
    """One change from the passage to the quotation.

    ``quoted`` and ``passage`` are character spans of the changed words on each side. Where a side has
    no words (the quoted side of an omission, the passage side of an insertion) the span is the gap
    between the neighbouring words there; a marked omission's quoted span is its elision mark.
    """

    type: EditType
    quoted: Span
    passage: Span
    quoted_text: str
    passage_text: str
    marked: bool = False  # an omission the quotation marks with "…", "[…]" …: legitimate
    severe: bool = False  # negation or a number changed: the meaning may be reversed
    quoted_words: int = 0  # words changed on each side
    passage_words: int = 0

    @property
    def legitimate(self) -> bool:
        """A marked omission that drops no negation or number is what quoting allows."""
        return self.type == "omission" and self.marked and not self.severe


@dataclass(frozen=True, slots=True)
class Comparison:
    """The edits that turn the passage into the quotation, and how much of the quotation matched."""

    edits: tuple[Edit, ...]
    quoted_words: int
    passage_words: int
    matched_words: int  # quoted words aligned with the same word of the passage
    coverage: float  # matched share of the quotation's word weight (function words weigh little)
    verbatim: bool  # no edits, and every word and the space between them written identically

    @property
    def faithful(self) -> bool:
        """Only legitimate omissions (and form) between quotation and passage."""
        return all(e.legitimate for e in self.edits)


def compare(quoted: str, passage: str) -> Comparison:
    """Diff ``quoted`` against ``passage``; spans index into those two strings."""
    return compare_tokens(quoted, tokenize(quoted), passage, tokenize(passage), elisions(quoted))


def compare_tokens(
    quoted: str,
    quoted_tokens: Sequence[Token],
    text: str,
    passage_tokens: Sequence[Token],
    marks: Sequence[tuple[int, int]],
) -> Comparison:
    """``compare`` on tokens made already; ``passage_tokens`` may index into a longer ``text``."""
    q, p = quoted_tokens, passage_tokens
    q_keys = [t.key for t in q]
    p_keys = [t.key for t in p]
    edits: list[Edit] = []
    missing = 0.0  # weight of the quoted words the passage does not have where the quotation puts them
    same = True
    for op, i1, i2, j1, j2 in SequenceMatcher(None, q_keys, p_keys, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and "".join(q_keys[i1:i2]) == "".join(p_keys[j1:j2]):
            # "to-day" / "today", "so-\ncalled" / "so called": form only
            same = False
            continue
        same = False
        q_run, p_run = q[i1:i2], p[j1:j2]
        severe = _severe(q_run, p_run)
        q_span = _run(q_run) if q_run else _gap(q, i1)
        p_span = _run(p_run) if p_run else _gap(p, j1)
        marked = False
        if op == "insert":
            between = Span(q[i1 - 1].end if i1 else 0, q[i1].start if i1 < len(q) else len(quoted))
            mark = _mark_in(marks, between)
            if mark is not None:
                q_span, marked = mark, True
        kind: EditType = {"delete": "insertion", "insert": "omission", "replace": "substitution"}[op]  # type: ignore[assignment]
        edits.append(Edit(kind, q_span, p_span, q_span.of(quoted), p_span.of(text), marked, severe, i2 - i1, j2 - j1))
        missing += sum(weight(k) for k in q_keys[i1:i2])
    edits, moved = _reorderings(edits, q, p)
    missing -= moved  # moved words are still the passage's
    quoted_weight = sum(weight(k) for k in q_keys)
    coverage = 1.0 - missing / quoted_weight if quoted_weight else 0.0
    unmatched = sum(e.quoted_words for e in edits if e.type in ("insertion", "substitution"))
    verbatim = same and not edits and len(q) == len(p) and _written_alike(quoted, q, text, p)
    return Comparison(tuple(edits), len(q), len(p), len(q) - unmatched, coverage, verbatim)


def _severe(q_run: Sequence[Token], p_run: Sequence[Token]) -> bool:
    """A negation or a number changed ("isn't" for "is not" is no change of either). "one", "once" and
    "second" count as numbers only where the other side has a number too."""
    if sum(t.negation for t in q_run) != sum(t.negation for t in p_run):
        return True
    return _numbers(q_run, p_run) != _numbers(p_run, q_run)


def _numbers(run: Sequence[Token], other: Sequence[Token]) -> list[str]:
    counted = any(t.number or t.maybe_number for t in other)
    return sorted(t.key for t in run if t.number or (counted and t.maybe_number))


def _run(tokens: Sequence[Token]) -> Span:
    return Span(tokens[0].start, tokens[-1].end)


def _gap(tokens: Sequence[Token], index: int) -> Span:
    """The space between ``tokens[index - 1]`` and ``tokens[index]``; at an end, the point next to the end word."""
    if not tokens:
        return Span(0, 0)
    if index == 0:
        return Span(tokens[0].start, tokens[0].start)
    if index >= len(tokens):
        return Span(tokens[-1].end, tokens[-1].end)
    return Span(tokens[index - 1].end, tokens[index].start)


def _mark_in(marks: Sequence[tuple[int, int]], between: Span) -> Span | None:
    """The elision mark between the two quoted words where the passage's words were left out."""
    return next((Span(s, e) for s, e in marks if between.start <= s and e <= between.end), None)


def _written_alike(quoted: str, q: Sequence[Token], text: str, p: Sequence[Token]) -> bool:
    """Same words written the same way, with the same characters between them."""
    for k, (a, b) in enumerate(zip(q, p, strict=True)):
        if quoted[a.start : a.end] != text[b.start : b.end]:
            return False
        if k and quoted[q[k - 1].end : a.start] != text[p[k - 1].end : b.start]:
            return False
    return True


def _reorderings(edits: list[Edit], q: Sequence[Token], p: Sequence[Token]) -> tuple[list[Edit], float]:
    """An insertion and an omission of the same words are one run of words moved; with the weight of
    the words moved."""
    insertions = [e for e in edits if e.type == "insertion"]
    omissions = [e for e in edits if e.type == "omission" and not e.marked]
    if not insertions or not omissions:
        return edits, 0.0
    out = list(edits)
    moved = 0.0
    for ins in insertions:
        ins_keys = _keys_in(q, ins.quoted)
        for om in omissions:
            if om in out and _keys_in(p, om.passage) == ins_keys:
                out.remove(ins)
                out.remove(om)
                out.append(
                    Edit(
                        "reordering",
                        ins.quoted,
                        om.passage,
                        ins.quoted_text,
                        om.passage_text,
                        False,
                        ins.severe,
                        ins.quoted_words,
                        om.passage_words,
                    )
                )
                moved += sum(weight(k) for k in ins_keys)
                break
    out.sort(key=lambda e: (e.quoted.start, e.passage.start))
    return out, moved


def _keys_in(tokens: Sequence[Token], span: Span) -> list[str]:
    return [t.key for t in tokens if span.start <= t.start and t.end <= span.end]
