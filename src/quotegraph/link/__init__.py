"""Linking names across documents: spelling variants and the curated gazetteer.

- `quotegraph.link.variants`: transliteration folding (`fold`), `same_name`, `name_score`,
  `is_derived` — pure functions for deciding whether two written names are one name.
- `quotegraph.link.gazetteer`: the packaged gazetteer (`load`, `lookup`, `Entry`) of people,
  organisations, publications, works, places and events of the communist movement and the
  Soviet Union, 1890–1991.
- `quotegraph.link.families`: quotation families (verbatim, cut, elided, translated occurrences of one
  quotation), pure; `embed` (the sentence-embedding model) and `corpus` (the link step over a store).
"""

from __future__ import annotations

from quotegraph.link.gazetteer import Entry, Gazetteer, candidates, load, lookup
from quotegraph.link.variants import fold, is_derived, name_score, same_name

__all__ = [
    "Entry",
    "Gazetteer",
    "candidates",
    "fold",
    "is_derived",
    "load",
    "lookup",
    "name_score",
    "same_name",
]
