"""Corpus-wide views the pages share, computed once per store revision and cached until it changes.

Merging entities and finding dated sentences read the whole corpus; without the cache every entity
link on every page would redo that work.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from quotegraph.link.entities import CorpusEntity, fold
from quotegraph.link.network import Network, build_network
from quotegraph.link.profile import EntityProfile, corpus_entities, dated_statements, entity_profile, find_entity
from quotegraph.link.timeline import Statement
from quotegraph.store.base import SearchPage, Store
from quotegraph.web.urls import entity_url, link

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PROFILES = 64  # entity profiles kept per revision
_SEARCHES = 512  # search result pages kept per revision
HIGHLIGHT = ("\x02", "\x03")  # marks the store puts around search hits; split out, never shown


def entity_id(entity: CorpusEntity) -> str:
    """A readable id such as ``person-nikita-khrushchev``; a hash where the name has no Latin letters."""
    slug = _NOT_SLUG.sub("-", fold(entity.canonical)).strip("-")[:60].strip("-")
    if not slug:
        slug = hashlib.sha256(fold(entity.canonical).encode()).hexdigest()[:12]
    return f"{entity.type.lower()}-{slug}"


class CorpusView:
    """The corpus-wide views of one store revision; take one per request (``Corpus.view``)."""

    def __init__(self, store: Store, revision: str) -> None:
        self.revision = revision
        self.entities = corpus_entities(store)
        self.by_id: dict[str, CorpusEntity] = {}
        for e in self.entities:  # most mentioned first: it keeps the plain id if two slugs collide
            key = entity_id(e)
            self.by_id[key if key not in self.by_id else f"{key}-{len(self.by_id)}"] = e
        self._ids = {(e.type, e.canonical): key for key, e in self.by_id.items()}
        self._occurrences = {
            (o.document_id, o.start, o.end): self._ids[(e.type, e.canonical)]
            for e in self.entities
            for o in e.occurrences
        }
        self._lock = threading.Lock()  # held only for a cache lookup or insertion
        self._building = threading.Lock()  # held while a corpus-wide view is built (in a build thread)
        self._statements: list[Statement] | None = None
        self._network: Network | None = None
        self._profiles: OrderedDict[str, EntityProfile] = OrderedDict()
        self._searches: OrderedDict[tuple[Any, ...], SearchPage] = OrderedDict()

    def id_of(self, entity: CorpusEntity) -> str:
        return self._ids[(entity.type, entity.canonical)]

    def entity_at(self, document_id: str, start: int, end: int) -> str | None:
        """The corpus entity id of a mention in a document, if the link step merged it into one."""
        return self._occurrences.get((document_id, start, end))

    def lookup(self, ref: str) -> tuple[str, CorpusEntity] | None:
        """An entity by id, else by name or spelling variant (the caller redirects to its id)."""
        if ref in self.by_id:
            return ref, self.by_id[ref]
        found = find_entity(self.entities, ref)
        return None if found is None else (self.id_of(found), found)

    def speaker_id(self, speaker: str) -> str | None:
        """The entity a speaker name is (a person, or an organisation or publication speaking), if any."""
        for type_ in ("PERSON", "ORG", "PUBLICATION"):
            key = self._ids.get((type_, speaker))
            if key is not None:
                return key
        return None

    def profile(self, store: Store, key: str) -> EntityProfile:
        with self._lock:
            cached = self._profiles.get(key)
            if cached is not None:
                self._profiles.move_to_end(key)
                return cached
        made = entity_profile(store, self.entities, self.by_id[key])
        with self._lock:
            self._profiles[key] = made
            while len(self._profiles) > _PROFILES:
                self._profiles.popitem(last=False)
        return made

    def search(self, store: Store, query: str, filters: Mapping[str, str], limit: int, offset: int) -> SearchPage:
        """``store.search`` remembered for this revision: facets count every match, which costs tens of
        milliseconds for a common word, and people page through, refine and come back to a query."""
        key = (query, tuple(sorted(filters.items())), limit, offset)
        with self._lock:
            cached = self._searches.get(key)
            if cached is not None:
                self._searches.move_to_end(key)
                return cached
        found = store.search(query, filters=filters, limit=limit, offset=offset, highlight=HIGHLIGHT)
        with self._lock:
            self._searches[key] = found
            while len(self._searches) > _SEARCHES:
                self._searches.popitem(last=False)
        return found

    def cited_works(self, store: Store) -> list[tuple[str, int, int, str]]:
        """The works quotations cite, however each document names them ("Khrushchev's report",
        "Khrushchev's speech"), under the corpus entity they are a spelling of: name, quotations,
        documents and the address to follow (the entity, or a search for a work no entity names);
        most cited first."""
        names: dict[str, tuple[str, str]] = {}
        quotations: Counter[str] = Counter()
        documents: dict[str, set[str]] = {}
        for q in store.quotes():
            if q.work is None:
                continue
            if q.work not in names:
                found = find_entity(self.entities, q.work)
                names[q.work] = (
                    (found.canonical, entity_url(self.id_of(found)))
                    if found is not None
                    else (q.work, link("/search", {"q": q.work, "work": q.work}))
                )
            name = names[q.work][0]
            quotations[name] += 1
            documents.setdefault(name, set()).add(q.document_id)
        urls = dict(names.values())
        ranked = sorted(quotations, key=lambda n: (-quotations[n], fold(n), n))
        return [(n, quotations[n], len(documents[n]), urls[n]) for n in ranked]

    def network(self, store: Store) -> Network:
        """Who quotes whom across the current documents, built once however many ask at the same time."""
        with self._building:
            if self._network is None:
                self._network = build_network(store.documents(), store.quotes())
            return self._network

    def statements(self, store: Store, entity: CorpusEntity | None) -> Sequence[Statement]:
        if entity is not None:
            return dated_statements(store, self.entities, entity)
        with self._building:
            if self._statements is None:
                self._statements = dated_statements(store, self.entities)
            return self._statements


class Corpus:
    """Hands out the view of the store's current revision, computing it again only after a change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view: CorpusView | None = None

    def view(self, store: Store) -> CorpusView:
        revision = store.revision()
        with self._lock:
            if self._view is None or self._view.revision != revision:
                self._view = CorpusView(store, revision)
            return self._view
