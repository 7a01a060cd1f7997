"""Who quotes whom: a directed network from the stored documents and quotations, pure.

A document's authors quote the speakers of its quotations (``quotes`` edges). A quotation nested in
another one is also quoted by the speaker of the quotation around it — Healy quotes Trotsky quoting
Krupskaya — which gives a ``nested`` edge from the outer speaker to the inner one as well. A document
without an author stands for itself in the network, by its publication or, failing that, its name.

People are keyed by the store's folded form of their name (case, accents and spacing ignored), so an
author who is also quoted elsewhere is one node with the role ``both``. Speakers are the canonical
entity names the analysis gives; authors are taken as the metadata writes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from quotegraph.store.base import DocumentRow, QuoteRow
from quotegraph.store.sqlite import fold as _store_fold

NodeRole = Literal["author", "speaker", "both"]
EdgeKind = Literal["quotes", "nested"]
EDGE_KINDS: tuple[EdgeKind, ...] = ("quotes", "nested")

_NON_WORD = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    return _store_fold(name.replace("’", "'"))


@dataclass(frozen=True, slots=True)
class NetworkNode:
    """A person, group, publication or document in the network.

    ``id`` is a slug of the name that is a valid XML NCName and URL path segment, unique within the
    network. ``quoting`` counts the quotations it makes (as author or as the outer speaker of a nested
    quotation, i.e. the weights of its outgoing edges), ``quoted`` the quotations of its own words, and
    ``documents`` the documents it takes part in either way.
    """

    id: str
    label: str
    role: NodeRole
    quoting: int
    quoted: int
    documents: int


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    """``source`` quotes ``target`` in ``weight`` quotations over ``documents`` documents.

    ``kind`` is ``quotes`` for a document's author quoting a speaker and ``nested`` for a speaker
    quoting another inside their own quoted words. ``permalinks`` (``doc#q12``) are in document order.
    """

    source: str
    target: str
    kind: EdgeKind
    weight: int
    documents: int
    permalinks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Network:
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]
    # look-up tables built once, so per-quotation look-ups stay O(1) on a large network
    _by_id: dict[str, NetworkNode] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, NetworkNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {n.id: n for n in self.nodes})
        object.__setattr__(self, "_by_key", {_key(n.label): n for n in reversed(self.nodes)})

    def node(self, node_id: str) -> NetworkNode:
        """The node with this id; KeyError when there is none."""
        return self._by_id[node_id]

    def node_for(self, name: str) -> NetworkNode | None:
        """The node a written name (author, speaker, publication) belongs to, if any."""
        return self._by_key.get(_key(name))


@dataclass(slots=True)
class _Node:
    speaker_labels: Counter[str] = field(default_factory=Counter)
    author_labels: Counter[str] = field(default_factory=Counter)
    quoting: int = 0
    quoted: int = 0
    documents: set[str] = field(default_factory=set)

    def label(self) -> str:
        labels = self.speaker_labels or self.author_labels  # canonical entity names first
        return min(labels, key=lambda name: (-labels[name], name))


@dataclass(slots=True)
class _Edge:
    permalinks: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)


def document_voices(document: DocumentRow) -> tuple[str, ...]:
    """Who speaks in a document as its author: its authors, else its publication, else its name."""
    authors = tuple(a for a in document.authors if a.strip())
    if authors:
        return authors
    return (document.publication,) if document.publication and document.publication.strip() else (document.name,)


def build_network(documents: Iterable[DocumentRow], quotes: Iterable[QuoteRow]) -> Network:
    """The who-quotes-whom network of these documents and quotations.

    Quotations of documents not in ``documents`` are left out; quotations without a speaker make no
    edge. A nested quotation's outer speaker is the nearest enclosing quotation with a speaker among
    ``quotes`` (so a filtered list may lose ``nested`` edges whose outer quotation it does not hold).
    """
    docs = {d.id: d for d in documents}
    rows = [q for q in quotes if q.document_id in docs]
    by_permalink = {q.permalink: q for q in rows}
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str, EdgeKind], _Edge] = {}

    def node(name: str) -> tuple[str, _Node]:
        key = _key(name)
        return key, nodes.setdefault(key, _Node())

    voices: dict[str, list[str]] = {}
    for doc in docs.values():
        for name in document_voices(doc):
            key, n = node(name)
            n.author_labels[name] += 1
            n.documents.add(doc.id)
            voices.setdefault(doc.id, []).append(key)

    def connect(source: str, target: str, kind: EdgeKind, q: QuoteRow) -> None:
        edge = edges.setdefault((source, target, kind), _Edge())
        edge.permalinks.append(q.permalink)
        edge.documents.add(q.document_id)
        nodes[source].quoting += 1

    for q in rows:
        if not q.speaker:
            continue
        target, n = node(q.speaker)
        n.speaker_labels[q.speaker] += 1
        n.quoted += 1
        n.documents.add(q.document_id)
        for source in dict.fromkeys(voices[q.document_id]):
            connect(source, target, "quotes", q)
        outer = _enclosing_speaker(q, by_permalink)
        if outer is not None:
            connect(_key(outer), target, "nested", q)

    ids = _ids(nodes)
    return Network(
        nodes=tuple(
            NetworkNode(
                id=ids[key],
                label=n.label(),
                role=_role(n),
                quoting=n.quoting,
                quoted=n.quoted,
                documents=len(n.documents),
            )
            for key, n in sorted(nodes.items())
        ),
        edges=tuple(
            NetworkEdge(
                source=ids[source],
                target=ids[target],
                kind=kind,
                weight=len(e.permalinks),
                documents=len(e.documents),
                permalinks=tuple(e.permalinks),
            )
            for (source, target, kind), e in sorted(edges.items())
        ),
    )


def _enclosing_speaker(q: QuoteRow, by_permalink: dict[str, QuoteRow]) -> str | None:
    seen = {q.quote_id}
    parent = q.parent
    while parent is not None and parent not in seen:
        seen.add(parent)
        outer = by_permalink.get(f"{q.document_id}#{parent}")
        if outer is None:
            return None
        if outer.speaker:
            return outer.speaker
        parent = outer.parent
    return None


def _role(n: _Node) -> NodeRole:
    if n.author_labels and n.speaker_labels:
        return "both"
    return "author" if n.author_labels else "speaker"


def name_slug(name: str) -> str:
    """A readable, NCName-safe id for a name (``Léon Trotsky`` → ``leon-trotsky``), as nodes get them."""
    slug = _NON_WORD.sub("-", _key(name)).strip("-") or "node"
    return slug if slug[0].isalpha() else f"n-{slug}"


def _ids(nodes: dict[str, _Node]) -> dict[str, str]:
    """A slug per node, made unique."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(nodes):
        slug = name_slug(key)
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        ids[key] = candidate
    return ids


def restrict(network: Network, node_ids: Sequence[str]) -> Network:
    """The sub-network of edges touching any of ``node_ids``, with the nodes those edges join."""
    wanted = set(node_ids)
    edges = tuple(e for e in network.edges if e.source in wanted or e.target in wanted)
    keep = wanted | {e.source for e in edges} | {e.target for e in edges}
    return Network(tuple(n for n in network.nodes if n.id in keep), edges)
