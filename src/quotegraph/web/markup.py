"""Stored text → HTML with spans marked, for the reader, snippets and contexts.

Quotations nest, and entities or dates may straddle a quotation's edge, so the spans need not form a
tree. The text is cut at every span boundary; each piece is escaped and wrapped in the spans covering
it, outer layers first, re-opening a span after an edge that had to close it. The pieces' text, in
order, is exactly the stored text: the page's text content equals ``text`` (tested with Hypothesis).
Written by hand because HTML libraries build trees from well-nested input only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from typing import NamedTuple

from markupsafe import Markup, escape

Attributes = tuple[tuple[str, str], ...]
Element = tuple[str, Attributes]  # an empty element: its tag and attributes

_SEPARATOR = "\x00"


def escape_all(pieces: list[str]) -> list[str]:
    """The pieces escaped as markupsafe (and so Jinja's autoescape) escapes them, in one call for all:
    joined by a separator none of them holds, escaped and split again (piece by piece when one does
    hold it). One call, because ``escape`` wraps each result in a ``Markup`` object, which costs more
    than escaping a short piece."""
    joined = _SEPARATOR.join(pieces)
    if joined.count(_SEPARATOR) != len(pieces) - 1:
        return [str(escape(piece)) for piece in pieces]
    return str(escape(joined)).split(_SEPARATOR)


def _has_markup_characters(text: str) -> bool:
    """Whether ``escape`` would change ``text`` (five searches cost far less than escaping a long text)."""
    return "&" in text or "<" in text or ">" in text or '"' in text or "'" in text


class Mark(NamedTuple):
    """One span to mark: ``tag`` and attribute names come from code, attribute values may be data.

    A named tuple rather than a frozen dataclass: a page makes hundreds, and it builds faster."""

    start: int
    end: int
    tag: str
    attrs: Attributes = ()
    layer: int = 0  # lower layers stay outside higher ones where spans overlap
    first_attrs: Attributes = ()  # only on the first element of a span cut in pieces (e.g. its id)
    lead: Element | None = None  # put right inside the first piece (e.g. a permalink)


# Mark fields by position: itemgetter is the cheapest key (a page sorts and reads hundreds of marks)
_START = itemgetter(Mark._fields.index("start"))
_END = itemgetter(Mark._fields.index("end"))
_TAG = itemgetter(Mark._fields.index("tag"))
_LAYER = itemgetter(Mark._fields.index("layer"))


def render(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with every mark that lies within it (and is not empty) wrapped around its span.

    Marks are ranked once in nesting order (layer, then start, then longest first, then as given): the
    elements open on a piece of text are the ranks of the marks covering it, in ascending order. At
    each boundary only the elements from the first one that ends there, or that a starting mark must
    go inside of, are closed (and those that go on reopened). Each mark's tags are rendered once, and
    the pieces of text and the attribute values are each escaped in one call.
    """
    length = len(text)
    usable = [m for m in marks if 0 <= m.start < m.end <= length]
    usable.sort(key=_END, reverse=True)  # stable sorts, by layer, then start, the longest first
    usable.sort(key=_START)
    usable.sort(key=_LAYER)
    starts = list(map(_START, usable))
    ends = list(map(_END, usable))
    by_start = sorted(range(len(usable)), key=starts.__getitem__)  # ranks, ascending where they start together
    starting_get = Counter(starts).get
    ending_get = Counter(ends).get
    attributes = _attributes([m.attrs for m in usable])
    heads = [f"<{m.tag}{attributes[m.attrs]}" for m in usable]
    first_tags = [head + ">" for head in heads]
    firsts = [rank for rank, m in enumerate(usable) if m.first_attrs or m.lead is not None]  # few: quotations
    if firsts:
        attributes = _attributes(
            [usable[rank].first_attrs for rank in firsts] + [lead[1] for rank in firsts if (lead := usable[rank].lead)]
        )
        for rank in firsts:
            m = usable[rank]
            first_tags[rank] = f"{heads[rank]}{attributes[m.first_attrs]}>" + (
                f"<{m.lead[0]}{attributes[m.lead[1]]}></{m.lead[0]}>" if m.lead else ""
            )
    closing = {tag: f"</{tag}>" for tag in set(map(_TAG, usable))}
    closes = list(map(closing.__getitem__, map(_TAG, usable)))
    bounds = sorted({0, length, *starts, *ends})
    pieces = list(map(text.__getitem__, map(slice, bounds, bounds[1:])))
    if _has_markup_characters(text):
        pieces = escape_all(pieces)
    out: list[str] = []
    append = out.append
    stack: list[int] = []  # ranks of the open elements, outermost first: always ascending
    next_start = 0  # in by_start
    for here, piece in zip(bounds, pieces, strict=False):  # the last bound starts no piece
        gone = ending_get(here, 0)
        starting_here = starting_get(here, 0)
        new = by_start[next_start : next_start + starting_here] if starting_here else []
        next_start += starting_here
        # the common cases first: marks start inside every open element, or the innermost one ends
        if new and not gone and (not stack or stack[-1] < new[0]):
            for rank in new:
                append(first_tags[rank])
            stack += new
        elif gone == 1 and not new and ends[stack[-1]] == here:
            append(closes[stack.pop()])
        elif gone or new:
            keep = len(stack)
            if gone:
                keep = next(at for at, rank in enumerate(stack) if ends[rank] == here)
            if new:
                keep = bisect_left(stack, new[0], 0, keep)
            for rank in reversed(stack[keep:]):
                append(closes[rank])
            going_on = [rank for rank in stack[keep:] if ends[rank] > here]
            del stack[keep:]
            for rank in sorted(going_on + new):
                if rank in new:
                    append(first_tags[rank])
                else:
                    append(heads[rank] + ' data-cont="1">')
                stack.append(rank)
        append(piece)
    for rank in reversed(stack):
        append(closes[rank])
    return Markup("".join(out))


_END_OF_LIST = ("", "")  # told apart by identity


def _attributes(lists: list[Attributes]) -> dict[Attributes, str]:
    """The distinct attribute lists (marks often share one: an entity named often) rendered as
    `` name="value"`` pairs, the values escaped as ``escape_all`` escapes them, all in one call: the
    lists are joined, each value between markers that become its quotes once escaped, and split again
    (list by list when a value holds a marker). Names come from code: nothing to escape."""
    distinct = list(dict.fromkeys(lists))
    joined = "".join(
        [
            _SEPARATOR if pair is _END_OF_LIST else f" {pair[0]}=\x02{pair[1]}\x02"
            for attrs in distinct
            for pair in (*attrs, _END_OF_LIST)
        ]
    )
    if joined.count("\x02") == 2 * sum(map(len, distinct)):
        rendered = str(escape(joined)).replace("\x02", '"').split(_SEPARATOR)
        if len(rendered) == len(distinct) + 1:
            return dict(zip(distinct, rendered, strict=False))
    return {attrs: "".join([f' {name}="{escape(value)}"' for name, value in attrs]) for attrs in distinct}


@cache
def _pair_pattern(left: str, right: str) -> re.Pattern[str]:
    return re.compile(re.escape(left) + "([^" + re.escape(left + right) + "]*)" + re.escape(right))


def split_marked(snippet: str, left: str, right: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet with hits between ``left`` and ``right`` → its plain text and the hits' offsets in it.

    Marker characters that do not form a pair are dropped, so the text never carries them.
    """
    pattern = _pair_pattern(left, right)
    plain: list[str] = []
    hits: list[tuple[int, int]] = []
    length = 0
    pos = 0
    for match in pattern.finditer(snippet):
        before = snippet[pos : match.start()].replace(left, "").replace(right, "")
        plain.append(before)
        length += len(before)
        hits.append((length, length + len(match.group(1))))
        plain.append(match.group(1))
        length += len(match.group(1))
        pos = match.end()
    plain.append(snippet[pos:].replace(left, "").replace(right, ""))
    return "".join(plain), hits


def highlighted(text: str, hits: list[tuple[int, int]]) -> Markup:
    """``text`` escaped with the hits in ``<mark>``: what ``render`` makes of them, made directly when
    they do not overlap (a search page has twenty snippets to mark), the pieces escaped in one call."""
    pieces = marked_pieces(text, hits)
    if pieces is None:
        return render(text, [Mark(a, b, "mark") for a, b in hits])
    return Markup(join_marked(escape_all(pieces)))


def marked_pieces(text: str, hits: list[tuple[int, int]]) -> list[str] | None:
    """``text`` cut at the hits that lie within it: before the first, the first, between it and the
    next, …, after the last; None when two of them overlap (``render`` marks those)."""
    pieces: list[str] = []
    at = 0
    for a, b in sorted(hit for hit in hits if 0 <= hit[0] < hit[1] <= len(text)):
        if a < at:
            return None
        pieces += (text[at:a], text[a:b])
        at = b
    pieces.append(text[at:])
    return pieces


def join_marked(escaped: Sequence[str]) -> str:
    """Escaped ``marked_pieces`` joined, every other one (the hits) in ``<mark>``."""
    tags = ("<mark>", "</mark>") * (len(escaped) // 2)
    return "".join([part for pair in zip(escaped, tags, strict=False) for part in pair]) + escaped[-1]
