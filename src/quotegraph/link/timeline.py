"""Dated statements across the corpus, in order: the sentence each date stands in, with its entities."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quotegraph.analyse.text import paragraphs, sentence_at, sentence_starts
from quotegraph.link.entities import CorpusEntity
from quotegraph.store.base import DateRow

_YEAR = re.compile(r"^(\d{4})")


@dataclass(frozen=True, slots=True)
class Statement:
    value: str
    precision: str  # day, month, year, range, decade
    date_text: str
    sentence: str
    document_id: str
    document_name: str
    start: int  # the sentence's offsets in the document
    end: int
    date_start: int  # where the date itself is written
    entities: tuple[str, ...]  # canonical names of the entities mentioned in the sentence

    @property
    def first_year(self) -> int:
        m = _YEAR.match(self.value)
        return int(m.group(1)) if m else 0

    @property
    def last_year(self) -> int:
        m = _YEAR.match(self.value.split("/")[-1])
        return int(m.group(1)) if m else self.first_year


def precision(value: str) -> str:
    if "/" in value:
        a, b = value.split("/", 1)
        if re.fullmatch(r"\d{3}0", a) and re.fullmatch(r"\d{3}9", b) and a[:3] == b[:3]:
            return "decade"
        return "range"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "other")


def _sentence_finder(text: str) -> Callable[[int], tuple[int, int]]:
    """Sentence bounds by position, the document split into paragraphs once."""
    pars = [(p.start, p.end, sentence_starts(text, p.start, p.end)) for p in paragraphs(text)]
    par_starts = [p[0] for p in pars]

    def find(pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(par_starts, pos) - 1
        if k < 0 or pos >= pars[k][1]:
            return pos, pos
        return sentence_at(pars[k][2], pars[k][1], pos)

    return find


def statements(
    dates: Iterable[DateRow],
    entities: Iterable[CorpusEntity],
    texts: Mapping[str, str],
    entity: CorpusEntity | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> list[Statement]:
    """Every dated sentence (optionally only those naming ``entity``, within the years), in date order."""
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for e in entities:
        for o in e.occurrences:
            by_doc.setdefault(o.document_id, []).append((o.start, o.end, e.canonical))
    out: list[Statement] = []
    finders: dict[str, Callable[[int], tuple[int, int]]] = {}
    for d in dates:
        if d.value is None or d.document_id not in texts:
            continue
        text = texts[d.document_id]
        if d.document_id not in finders:
            finders[d.document_id] = _sentence_finder(text)
        a, b = finders[d.document_id](d.start)
        named = tuple(dict.fromkeys(name for s, e, name in by_doc.get(d.document_id, ()) if a <= s and e <= b))
        sentence = " ".join(text[a:b].split())
        st = Statement(
            d.value,
            precision(d.value),
            d.text,
            sentence,
            d.document_id,
            d.document_name,
            a,
            b,
            d.start,
            named,
        )
        if entity is not None and entity.canonical not in named:
            continue
        out.append(st)
    out.sort(key=lambda s: (s.value, s.document_name, s.start))
    return within(out, from_year, to_year)


def within(items: Iterable[Statement], from_year: int | None, to_year: int | None) -> list[Statement]:
    """The statements whose dates reach into the years ``from_year``–``to_year`` (either may be open)."""
    return [
        s
        for s in items
        if (from_year is None or s.last_year >= from_year) and (to_year is None or s.first_year <= to_year)
    ]


def _date_parts(value: str) -> dict[str, str]:
    parts = value.split("-")
    keys = ["year", "month", "day"]
    return {k: str(int(v)) for k, v in zip(keys, parts, strict=False)}


def timelinejs(items: Iterable[Statement], title: str = "quotegraph timeline") -> dict[str, Any]:
    """TimelineJS3 JSON: one event per statement (ranges and decades get an end date)."""
    events = []
    for s in items:
        first, _, last = s.value.partition("/")
        event: dict[str, Any] = {
            "start_date": _date_parts(first),
            "text": {"headline": s.date_text, "text": s.sentence},
            "group": s.document_name,
            "unique_id": f"{s.document_id}-{s.date_start}",
        }
        if last:
            event["end_date"] = _date_parts(last)
        events.append(event)
    return {"title": {"text": {"headline": title}}, "events": events}
