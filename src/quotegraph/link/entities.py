"""One entity per real referent across the corpus, however each document spells it.

Documents arrive with their own entities (gazetteer canonical names where the gazetteer knows
them, the fullest written form otherwise); here those are merged across documents by canonical
name and, for people, by spelling variant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from quotegraph.store.base import EntityRow
from quotegraph.store.sqlite import fold as _store_fold


def fold(name: str) -> str:
    """The store's case-, accent- and spacing-insensitive key, with ’ read as '."""
    return _store_fold(name.replace("’", "'"))


@dataclass(frozen=True, slots=True)
class Occurrence:
    document_id: str
    document_name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CorpusEntity:
    canonical: str
    type: str
    variants: tuple[str, ...]  # every spelling written in the corpus
    occurrences: tuple[Occurrence, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.document_id for o in self.occurrences))


@dataclass(slots=True)
class _Group:
    canonical: str
    type: str
    variants: list[str] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    def absorb(self, row: EntityRow) -> None:
        for m in (row.canonical, *row.mentions):
            if m not in self.variants and m != self.canonical:
                self.variants.append(m)
        self.occurrences.extend(Occurrence(row.document_id, row.document_name, a, b) for a, b in row.spans)
        if len(row.canonical.split()) > len(self.canonical.split()):
            # a fuller name found elsewhere (gazetteer names are already full)
            if self.canonical not in self.variants:
                self.variants.append(self.canonical)
            self.canonical = row.canonical
            if row.canonical in self.variants:
                self.variants.remove(row.canonical)


def merge(rows: Iterable[EntityRow], same: Callable[[str, str], bool]) -> list[CorpusEntity]:
    """Merge per-document entities: same type and canonical name, or (people) spelling variants."""
    groups: list[_Group] = []
    by_key: dict[tuple[str, str], _Group] = {}
    for row in rows:
        key = (row.type, fold(row.canonical))
        group = by_key.get(key)
        if group is None and row.type == "PERSON":
            group = next(
                (g for g in groups if g.type == "PERSON" and same(g.canonical, row.canonical)),
                None,
            )
        if group is None:
            group = _Group(row.canonical, row.type)
            groups.append(group)
        by_key[key] = group
        group.absorb(row)
    out = [CorpusEntity(g.canonical, g.type, tuple(g.variants), tuple(g.occurrences)) for g in groups]
    out.sort(key=lambda e: (-len(e.occurrences), fold(e.canonical)))
    return out


def find(entities: Sequence[CorpusEntity], name: str, same: Callable[[str, str], bool]) -> CorpusEntity | None:
    """The entity a user means by ``name``: exact (folded) name or variant first, then a spelling variant."""
    wanted = fold(name)
    for e in entities:
        if wanted == fold(e.canonical) or any(wanted == fold(v) for v in e.variants):
            return e
    for e in entities:
        if e.type == "PERSON" and (same(name, e.canonical) or any(same(name, v) for v in e.variants)):
            return e
    return None
