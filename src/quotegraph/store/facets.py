"""Search facets: the facet values of a match, and their counts over every match.

Pure helpers shared by every Store implementation, so facets mean the same whatever the backend.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from quotegraph.errors import StoreError
from quotegraph.store.base import SEARCH_FACETS, FacetCount

_DECADE = re.compile(r"^(\d{3})\d")

# What the store hands over per match: (kind, speaker, work, authors as JSON, publication, published,
# verdict); kind is "document" or the quotation's kind, verdict None for documents and unverified ones.
FacetRow = tuple[str, str | None, str | None, str, str | None, str | None, str | None]


def decade(published: str | None) -> str | None:
    """``"1988-06"`` → ``"1980s"``; None when the date does not start with a year."""
    match = _DECADE.match(published or "")
    return f"{match.group(1)}0s" if match else None


def check(filters: Mapping[str, str]) -> None:
    unknown = sorted(set(filters) - set(SEARCH_FACETS))
    if unknown:
        raise StoreError(f"unknown search facet {unknown[0]!r}: use one of {', '.join(SEARCH_FACETS)}")


def count(rows: Iterable[FacetRow]) -> dict[str, tuple[FacetCount, ...]]:
    """Per facet, its values with the number of matches having each, most frequent first."""
    columns = list(zip(*rows, strict=True)) or [()] * 7  # one tuple per facet column, counted in C
    kinds, speakers, works, authors_json, publications, published, verdicts = map(Counter, columns)
    authors: Counter[str | None] = Counter()
    for raw, n in authors_json.items():  # a few distinct author lists: parse each once
        for name in set(json.loads(raw)):
            authors[name] += n
    decades: Counter[str | None] = Counter()
    for date, n in published.items():
        ten = decade(date)
        if ten:
            decades[ten] += n
    counters: dict[str, Mapping[str | None, int]] = {
        "kind": kinds,
        "speaker": speakers,
        "work": works,
        "author": authors,
        "publication": publications,
        "decade": decades,
        "verdict": verdicts,
    }
    return {
        name: tuple(
            FacetCount(v, n)
            for v, n in sorted(((v, n) for v, n in counters[name].items() if v), key=lambda item: (-item[1], item[0]))
        )
        for name in SEARCH_FACETS
    }
