"""Corpus views the CLI and the web UI share: corpus entities, one entity's profile, dated statements.

They were the bodies of the ``entity`` and ``timeline`` commands; here they read through the Store
protocol only, so both front ends show the same data from the same queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quotegraph.link.entities import CorpusEntity, find, merge
from quotegraph.link.timeline import Statement, statements
from quotegraph.link.variants import same_name
from quotegraph.store.base import QuoteRow, Store


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity with the words around it (keyword in context)."""

    document_id: str
    document_name: str
    start: int
    end: int
    before: str
    text: str
    after: str

    @property
    def context(self) -> str:
        """The mention and its surroundings on one line, as the CLI prints it."""
        return " ".join((self.before + self.text + self.after).split())


@dataclass(frozen=True, slots=True)
class EntityProfile:
    entity: CorpusEntity
    mentions: tuple[Mention, ...]
    quotations_by: tuple[QuoteRow, ...]
    quotations_about: tuple[QuoteRow, ...]
    statements: tuple[Statement, ...]


def corpus_entities(store: Store, type_: str | None = None) -> list[CorpusEntity]:
    """Every entity across the current documents, one per referent however spelled."""
    return merge(store.entity_rows(type=type_), same_name)


def find_entity(everything: Sequence[CorpusEntity], name: str) -> CorpusEntity | None:
    return find(everything, name, same_name)


def same_person(speaker: str, name: str) -> bool:
    return speaker == name or same_name(speaker, name)


def quotes_about(quotes: Sequence[QuoteRow], entity: CorpusEntity) -> list[QuoteRow]:
    """Quotations whose words mention the entity (a mention span inside the quotation)."""
    starts: dict[str, list[int]] = {}
    for o in entity.occurrences:
        starts.setdefault(o.document_id, []).append(o.start)
    return [q for q in quotes if any(q.start <= s < q.end for s in starts.get(q.document_id, ()))]


def mention(document_id: str, document_name: str, text: str, start: int, end: int, width: int = 50) -> Mention:
    return Mention(
        document_id,
        document_name,
        start,
        end,
        text[max(0, start - width) : start],
        text[start:end],
        text[end : min(len(text), end + width)],
    )


def entity_profile(store: Store, everything: Sequence[CorpusEntity], entity: CorpusEntity) -> EntityProfile:
    """Mentions in context, quotations by and about the entity, and its dated statements."""
    texts = store.texts(entity.documents)
    names = {entity.canonical, *entity.variants}
    every_quote = store.quotes()
    by = [q for q in every_quote if q.speaker and any(same_person(q.speaker, n) for n in names)]
    about = quotes_about(every_quote, entity)
    dated = statements(store.date_rows(), everything, texts, entity=entity)
    mentions = [
        mention(o.document_id, o.document_name, texts[o.document_id], o.start, o.end)
        for o in entity.occurrences
        if o.document_id in texts
    ]
    return EntityProfile(entity, tuple(mentions), tuple(by), tuple(about), tuple(dated))


def dated_statements(
    store: Store,
    everything: Sequence[CorpusEntity],
    entity: CorpusEntity | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> list[Statement]:
    """Dated sentences across the corpus in date order, optionally naming ``entity``, within the years."""
    dates = store.date_rows()
    texts = store.texts({r.document_id for r in dates})
    return statements(dates, everything, texts, entity, from_year, to_year)
