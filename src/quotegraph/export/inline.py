"""Character-offset spans → a tree of properly nested elements over the exact text, pure.

Annotations arrive in priority order (quotations, then entity mentions, then dates). Each is placed
into the tree built so far: inside the element that contains it, around the elements it contains,
and — when it crosses an element already placed — split at that element's boundary into fragments,
each nested where it belongs. An earlier annotation is never split by a later one, so quotations stay
whole and a name or date that crosses a quotation's edge is the one cut. The fragments of one
annotation are returned in text order so the caller can join them (TEI ``next``/``prev``).

Splitting keeps every word of every annotation inline, next to the words it is about, and the text
content exactly the stored text; moving crossing spans to a stand-off layer would keep them whole
but leave them pointing into text by offsets only TEI's ``string-range()`` pointers could express.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Generic, TypeVar

Mark = TypeVar("Mark")


@dataclass(slots=True)
class Node(Generic[Mark]):
    """An element (``mark`` set) or the root (``mark`` None) covering ``text[start:end]``."""

    start: int
    end: int
    mark: Mark | None = None
    children: list[Node[Mark]] = field(default_factory=list)


def nest(
    length: int,
    annotations: list[tuple[int, int, Mark]],
    may_contain: Callable[[Mark, Mark], bool] = lambda outer, inner: True,
) -> tuple[Node[Mark], list[list[Node[Mark]]]]:
    """The tree over ``[0, length)`` and, per annotation (in the order given), its fragments in text order.

    Spans are clipped to the text; an empty span becomes an empty element at its offset. An annotation
    that would have to wrap an element ``may_contain`` forbids (a name around a quotation, which TEI does
    not allow) is split around it instead, and its part inside goes inside that element.
    """
    root: Node[Mark] = Node(0, length)
    fragments: list[list[Node[Mark]]] = []
    for start, end, mark in annotations:
        start, end = max(0, min(start, length)), max(0, min(end, length))
        pieces: list[Node[Mark]] = []
        if start <= end:
            _insert(root, start, end, mark, pieces, may_contain)
        pieces.sort(key=lambda n: (n.start, n.end))
        fragments.append(pieces)
    return root, fragments


def _insert(
    node: Node[Mark],
    start: int,
    end: int,
    mark: Mark,
    pieces: list[Node[Mark]],
    may_contain: Callable[[Mark, Mark], bool],
) -> None:
    """Children are disjoint and sorted, so their starts and their ends both ascend: the children a
    span touches are one slice, found by bisection (a long document has thousands of siblings)."""
    kids = node.children
    if start == end:
        i = bisect_right(kids, start, key=_end)
        if i < len(kids) and kids[i].start < start:  # strictly inside kids[i]
            _insert(kids[i], start, end, mark, pieces, may_contain)
            return
        new: Node[Mark] = Node(start, end, mark)
        kids.insert(bisect_right(kids, (start, end), key=_span), new)
        pieces.append(new)
        return
    # the children sharing characters with the span, and empty ones strictly inside it
    lo = bisect_right(kids, start, key=_end)
    hi = bisect_left(kids, end, lo=lo, key=_start)
    over = kids[lo:hi]
    container = next((c for c in over if c.start <= start and end <= c.end and c.start < c.end), None)
    if container is not None:
        _insert(container, start, end, mark, pieces, may_contain)
        return
    crossing = [
        c
        for c in over
        if not (start <= c.start and c.end <= end) or (c.mark is not None and not may_contain(mark, c.mark))
    ]
    if crossing:
        cuts = sorted({start, end} | {b for c in crossing for b in (c.start, c.end) if start < b < end})
        for a, b in pairwise(cuts):
            _insert(node, a, b, mark, pieces, may_contain)
        return
    new = Node(start, end, mark, over)
    kids[lo:hi] = [new]
    pieces.append(new)


def _start(n: Node[Mark]) -> int:
    return n.start


def _end(n: Node[Mark]) -> int:
    return n.end


def _span(n: Node[Mark]) -> tuple[int, int]:
    return n.start, n.end
