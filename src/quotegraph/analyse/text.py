"""Paragraphs, headings and sentence boundaries of a stored text, as character spans.

Hand-written rather than taken from spaCy: sentence boundaries are needed around every quotation,
and running spaCy's parser over the whole text to get them would cost more than the rest of the
pipeline together (see benchmarks/). Quotation marks matter here, so the rules are ours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quotegraph.model import Span

_BLANK_LINE = re.compile(r"\n[ \t\f\v\r]*\n")
_TERMINAL = ".!?…"
_CLOSERS = "”’\"'»)]"
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "vol",
        "no",
        "nos",
        "p",
        "pp",
        "op",
        "cit",
        "ibid",
        "cf",
        "ed",
        "eds",
        "gen",
        "col",
        "lt",
        "capt",
        "prof",
        "rev",
        "sen",
        "gov",
        "jr",
        "sr",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "ch",
        "sec",
        "art",
    ]
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of non-blank lines; a quotation never spans two of them."""

    index: int
    start: int
    end: int  # white space trimmed at both ends
    heading: bool

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def paragraphs(text: str) -> list[Paragraph]:
    """Split on blank lines, trim each paragraph, and flag headings."""
    out: list[Paragraph] = []
    pos = 0
    for blank in [*_BLANK_LINE.finditer(text), None]:
        end = blank.start() if blank else len(text)
        start = pos
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            out.append(Paragraph(len(out), start, stop, _looks_like_heading(text[start:stop])))
        pos = blank.end() if blank else len(text)
    return out


def _looks_like_heading(par: str) -> bool:
    """A short line with no sentence punctuation at its end: a section heading or a title."""
    if "\n" in par.strip():
        return False
    words = par.split()
    if not words or len(words) > 12:
        return False
    last = par.rstrip()[-1]
    if last in ".:;,!-–—" or (last in "”’\"'" and len(par) > 1 and par.rstrip()[-2] in ".!?,"):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1] in "‘“\"'(")
    return capitalised >= max(1, len(words) // 2)


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where sentences begin inside ``text[start:end]`` (the first is ``start``)."""
    starts = [start]
    i = start
    while i < end:
        ch = text[i]
        if ch in _TERMINAL:
            j = i + 1
            while j < end and text[j] in _TERMINAL + _CLOSERS:
                j += 1
            if j < end and text[j].isspace():
                k = j
                while k < end and text[k].isspace():
                    k += 1
                if k < end and _starts_sentence(text, k) and not _is_abbreviation(text, i):
                    starts.append(k)
                    i = k
                    continue
            i = j
            continue
        i += 1
    return starts


def _starts_sentence(text: str, k: int) -> bool:
    ch = text[k]
    if ch.isupper() or ch.isdigit():
        return True
    return ch in "‘“\"'(…[" and k + 1 < len(text) and (text[k + 1].isupper() or text[k + 1] in "‘“\"' …")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True for the full stop of an initial (``G.K.``) or of a common abbreviation."""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:dot]
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in _ABBREVIATIONS


def sentence_at(starts: Sequence[int], end: int, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence containing ``pos``, given sorted sentence starts."""
    lo = 0
    for idx, s in enumerate(starts):
        if s <= pos:
            lo = idx
        else:
            break
    s_end = starts[lo + 1] if lo + 1 < len(starts) else end
    return starts[lo], s_end
