"""Search facets: the facet values of a match, and their counts over every match.

Pure helpers shared by every Store implementation, so facets mean the same whatever the backend.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from quotegraph.errors import StoreError
from quotegraph.store.base import SEARCH_FACETS, FacetCount

_DECADE = re.compile(r"^(\d{3})\d")

# What a match's document gives the facets: (authors, publication, published)
DocumentValues = tuple[tuple[str, ...], str | None, str | None]


def decade(published: str | None) -> str | None:
    """``"1988-06"`` → ``"1980s"``; None when the date does not start with a year."""
    match = _DECADE.match(published or "")
    return f"{match.group(1)}0s" if match else None


def check(filters: Mapping[str, str]) -> None:
    unknown = sorted(set(filters) - set(SEARCH_FACETS))
    if unknown:
        raise StoreError(f"unknown search facet {unknown[0]!r}: use one of {', '.join(SEARCH_FACETS)}")


def count(
    kinds: Mapping[str | None, int],
    speakers: Mapping[str | None, int],
    works: Mapping[str | None, int],
    verdicts: Mapping[str | None, int],
    documents: Mapping[DocumentValues, int],
) -> dict[str, tuple[FacetCount, ...]]:
    """Per facet, its values with the number of matches having each, most frequent first.

    The store counts the matches' own values (kind "document" or the quotation's kind, speaker, work,
    verdict) and, per document's values, the matches in it (its text and its quotations): counting
    column by column in C, rather than a tuple of values per match, kept a common word's search fast.
    """
    authors: Counter[str | None] = Counter()
    publications: Counter[str | None] = Counter()
    decades: Counter[str | None] = Counter()
    for (names, publication, published), n in documents.items():
        for name in set(names):
            authors[name] += n
        publications[publication] += n
        ten = decade(published)
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
