"""The link step over a store: quotation families recomputed, translations traced.

The thin layer between the pure ``families`` module, the store and the embedding model: it reads
the current versions' quotations, embeds only texts whose vectors are not cached yet, and saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from quotegraph.link.families import (
    Family,
    Match,
    Occurrence,
    Passages,
    Relation,
    embedding_key,
    embedding_units,
    find_families,
    reading_order,
    trace,
    trace_units,
)
from quotegraph.store.base import Store

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    del message


def occurrences(store: Store) -> list[Occurrence]:
    """Every quotation of the current document versions."""
    return [
        Occurrence(q.document_id, q.document_name, q.quote_id, q.text, q.speaker, q.kind, q.parent)
        for q in store.quotes()
    ]


def vectors(store: Store, texts: Sequence[str], progress: Progress = _quiet) -> dict[str, NDArray[np.float32]]:
    """Sentence vectors of ``texts``, from the store's cache or embedded now (and cached)."""
    from quotegraph.link.embed import Embedder, model_name

    model = model_name()
    keys = {text: embedding_key(text, model) for text in texts}
    cached = store.embeddings(list(keys.values()))
    out = {t: np.frombuffer(cached[k], dtype="<f4") for t, k in keys.items() if k in cached}
    missing = [t for t in texts if t not in out]
    if missing:
        progress(f"embedding {len(missing)} quotation texts ({len(out)} cached)")
        embedded = Embedder.load().embed(missing)
        store.save_embeddings(
            model, {keys[t]: v.astype("<f4").tobytes() for t, v in zip(missing, embedded, strict=True)}
        )
        out.update(zip(missing, embedded, strict=True))
    return out


def link(store: Store, progress: Progress = _quiet) -> list[Family]:
    """Recompute the corpus's quotation families and store them (replacing the old ones)."""
    found = occurrences(store)
    progress(f"linking {len(found)} quotations into families")
    passages = Passages(found)
    families = find_families(passages, vectors(store, embedding_units(passages), progress))
    store.save_families(families)
    progress(f"{len(families)} quotation families")
    return families


def trace_text(store: Store, text: str, progress: Progress = _quiet) -> list[Match]:
    """Every occurrence of ``text`` in the corpus, in the same words or as a translation.

    The occurrences found directly bring their stored families with them: a cut of another
    translation too short to be recognised by its vector is still an occurrence of the text.
    """
    found = occurrences(store)
    passages = Passages(found)
    units = list(dict.fromkeys([*embedding_units(passages), *trace_units(text)]))
    direct = trace(text, passages, vectors(store, units, progress))
    by_permalink = {o.permalink: o for o in found}
    out = {m.occurrence.permalink: m for m in direct}
    for match in direct:
        family = store.family_of(match.occurrence.document_id, match.occurrence.quote_id)
        if family is None:
            continue
        # Within a family, members are translations of the representative or in its words: a member on
        # the other side from the match is a translation of the match.
        translated = {m.permalink: m.relation == "translation" for m in family.members}
        side = translated[match.occurrence.permalink]
        for member in family.members:
            occurrence = by_permalink.get(member.permalink)
            if occurrence is None or member.permalink in out:
                continue
            other_language = (match.relation == "translation") != (translated[member.permalink] != side)
            relation: Relation = "translation" if other_language else "cut"
            out[member.permalink] = Match(occurrence, relation, member.similarity)
    return sorted(out.values(), key=lambda m: reading_order(m.occurrence))
