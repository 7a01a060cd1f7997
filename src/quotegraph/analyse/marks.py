"""Find quoted spans from quotation marks, one paragraph at a time.

Hand-written: no library pairs quotation marks the way scraped archives need — curly and straight
marks mixed in one pair, ’ as apostrophe or closing mark, nesting of either family inside the
other, an opening mark never closed (a quotation continued over several paragraphs), and a closing
mark with no opening one (words introduced by a colon).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quotegraph.analyse.text import Paragraph

Family = Literal["double", "single", "guillemet"]

_OPEN: dict[str, Family] = {"“": "double", "„": "double", "‘": "single", "«": "guillemet"}
_CLOSE: dict[str, Family] = {"”": "double", "’": "single", "»": "guillemet"}
_LEADING_NOISE = " \t\n…. "  # what may stand before the first mark of a paragraph ("… ‘So …")


@dataclass(slots=True)
class MarkedQuote:
    """A quoted span found from marks; ``start``/``end`` exclude the marks themselves."""

    start: int
    end: int
    paragraph: int
    family: Family
    open_at: int | None  # offset of the opening mark, None when there is none
    close_at: int | None  # offset of the closing mark, None when the paragraph ends first
    continues: bool = False  # the previous paragraph's quotation goes on in this one
    parent: int | None = None  # index (in the returned list) of the enclosing quotation

    @property
    def closed(self) -> bool:
        return self.close_at is not None


@dataclass(slots=True)
class _Open:
    pos: int
    family: Family


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _classify_right_single(text: str, i: int, start: int, end: int) -> str:
    """’ is an apostrophe (don’t, Trotsky’s, ’30s), a weak closer (workers’ revolution) or a closer."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if _is_word(before) and _is_word(after):
        return "apostrophe"
    if before.isspace() and after.isdigit():
        return "apostrophe"
    if before in "sS" and after.isspace():
        nxt = i + 1
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt < end and text[nxt].islower():
            return "weak"
    return "close"


def _strong_close_ahead(text: str, start: int, end: int) -> bool:
    for k in range(start, end):
        if text[k] == "‘":
            return False
        if text[k] == "’" and _classify_right_single(text, k, start, end) == "close":
            return True
    return False


def _classify_straight(text: str, i: int, start: int, end: int, open_same: bool) -> str:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if text[i] == "'" and _is_word(before) and _is_word(after):
        return "apostrophe"
    opens = (before.isspace() or before in "([{—–-/" or i == start) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or not _is_word(after))
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    if text[i] == "'":
        return "close" if open_same else "apostrophe"
    return "close" if open_same else "open"


def scan_paragraph(text: str, par: Paragraph) -> tuple[list[MarkedQuote], list[int]]:
    """Quoted spans of one paragraph, and the offsets of closing marks that had no opening mark."""
    start, end = par.start, par.end
    stack: list[_Open] = []
    found: list[MarkedQuote] = []
    orphans: list[int] = []
    for i in range(start, end):
        ch = text[i]
        family: Family | None
        role: str
        if ch in _OPEN:
            family, role = _OPEN[ch], "open"
        elif ch == "’":
            family, role = "single", _classify_right_single(text, i, start, end)
        elif ch in _CLOSE:
            family, role = _CLOSE[ch], "close"
        elif ch in "\"'":
            family = "double" if ch == '"' else "single"
            role = _classify_straight(text, i, start, end, any(o.family == family for o in stack))
        else:
            continue
        if role == "apostrophe":
            continue
        if role == "open":
            stack.append(_Open(i, family))
            continue
        if role == "weak":
            # A possessive plural (workers’) when a real closing mark follows before the next
            # opening one; otherwise it closes the quotation (so-called ‘spies’ and ‘saboteurs’).
            if not any(o.family == family for o in stack) or _strong_close_ahead(text, i + 1, end):
                continue
            role = "close"
        depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d].family == family), None)
        if depth is None:
            orphans.append(i)
            continue
        opened = stack[depth]
        del stack[depth:]  # marks opened inside and never closed were strays
        found.append(MarkedQuote(opened.pos + 1, i, par.index, family, opened.pos, i))
    if stack:
        outer = stack[0]
        found.append(MarkedQuote(outer.pos + 1, end, par.index, outer.family, outer.pos, None))
    return found, orphans


def starts_with_mark(text: str, par: Paragraph) -> tuple[int, Family] | None:
    """The opening mark a paragraph begins with (after ellipses and spaces), if any."""
    i = par.start
    while i < par.end and text[i] in _LEADING_NOISE:
        i += 1
    if i < par.end:
        ch = text[i]
        if ch in _OPEN:
            return i, _OPEN[ch]
        if ch in "\"'":
            return i, "double" if ch == '"' else "single"
    return None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip white space from both ends of a span (never punctuation: it belongs to the words)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
