"""Stored text → HTML with spans marked, for the reader, snippets and contexts.

Quotations nest, and entities or dates may straddle a quotation's edge, so the spans need not form a
tree. The text is cut at every span boundary; each piece is escaped and wrapped in the spans covering
it, outer layers first, re-opening a span after an edge that had to close it. The pieces' text, in
order, is exactly the stored text: the page's text content equals ``text`` (tested with Hypothesis).
Written by hand because HTML libraries build trees from well-nested input only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from markupsafe import Markup, escape

Attributes = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to mark: ``tag`` and attribute names come from code, attribute values may be data."""

    start: int
    end: int
    tag: str
    attrs: Attributes = ()
    layer: int = 0  # lower layers stay outside higher ones where spans overlap
    first_attrs: Attributes = ()  # only on the first element of a span cut in pieces (e.g. its id)
    lead: Markup | None = None  # an empty element put right inside the first piece (e.g. a permalink)


def _open(mark: Mark, first: bool) -> Markup:
    attrs = (*mark.attrs, *mark.first_attrs) if first else (*mark.attrs, ("data-cont", "1"))
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
    return Markup(f"<{mark.tag}{rendered}>") + (mark.lead if first and mark.lead is not None else "")


def render(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with every mark that lies within it (and is not empty) wrapped around its span."""
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    order = {id(m): (m.layer, m.start, -m.end, i) for i, m in enumerate(usable)}
    starting: dict[int, list[Mark]] = {}
    for m in usable:
        starting.setdefault(m.start, []).append(m)
    bounds = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    out: list[str] = []
    stack: list[Mark] = []
    active: list[Mark] = []
    opened: set[int] = set()
    for here, after in pairwise(bounds):
        active = [m for m in active if m.end > here] + starting.get(here, [])
        wanted = sorted(active, key=lambda m: order[id(m)])
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend(f"</{m.tag}>" for m in reversed(stack[keep:]))
        for m in wanted[keep:]:
            out.append(_open(m, id(m) not in opened))
            opened.add(id(m))
        stack = wanted
        out.append(escape(text[here:after]))
    out.extend(f"</{m.tag}>" for m in reversed(stack))
    return Markup("".join(out))


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
    they do not overlap (a search page has twenty snippets to mark)."""
    out: list[str] = []
    at = 0
    for a, b in sorted(hit for hit in hits if 0 <= hit[0] < hit[1] <= len(text)):
        if a < at:
            return render(text, [Mark(a, b, "mark") for a, b in hits])
        out += (escape(text[at:a]), "<mark>", escape(text[a:b]), "</mark>")
        at = b
    out.append(escape(text[at:]))
    return Markup("".join(out))
