"""Entities of one document: gazetteer, rules and NER together, variants merged, derived words kept out."""

from __future__ import annotations

from typing import Any

import pytest

from quotegraph.analyse import analyse
from quotegraph.model import Entity
from quotegraph.read import read_bytes

pytestmark = pytest.mark.slow


def entities_of(text: str) -> list[Entity]:
    return list(analyse(read_bytes(text.encode("utf-8"), "e.txt")).entities)


def by_mention(ents: list[Entity], mention: str) -> Entity:
    return next(e for e in ents if mention in e.mentions)


def test_spelling_variants_are_one_entity_with_the_gazetteer_name() -> None:
    ents = entities_of(
        "Zinoviev, Kemenev and Nogin were members of Stalin’s bureaucracy. Later Zinoviev and Kamenev broke "
        "with Stalin. Marshal G.K.Zhukhov told her so; Zhukov knew."
    )
    kamenev = by_mention(ents, "Kemenev")
    assert kamenev.canonical == "Lev Kamenev" and kamenev.type == "PERSON"
    assert set(kamenev.mentions) == {"Kemenev", "Kamenev"}
    zhukov = by_mention(ents, "G.K.Zhukhov")
    assert zhukov.canonical == "Georgy Zhukov" and "Zhukov" in zhukov.mentions


def test_derived_words_are_not_people() -> None:
    ents = entities_of("The Trotskyists fought Stalinism, and Trotsky himself wrote against the Stalinist bureaucracy.")
    mentions = {m for e in ents for m in e.mentions}
    assert "Trotsky" in mentions
    assert not mentions & {"Trotskyists", "Stalinism", "Stalinist"}


def test_congress_ordinals_and_lowercase_heads() -> None:
    ents = entities_of(
        "The 19th Party Congress opens in June. Before the 19th Congress, delegates read about the Moscow "
        "trials and the Twentieth Congress of the Communist Party of the Soviet Union."
    )
    nineteenth = by_mention(ents, "19th Party Congress")
    assert "19th Congress" in nineteenth.mentions
    assert by_mention(ents, "Moscow trials").type == "EVENT"
    assert by_mention(ents, "Communist Party of the Soviet Union").type == "ORG"
    assert by_mention(ents, "Twentieth Congress").type == "EVENT"


def test_mentions_are_anchored(dev_outputs: dict[str, Any], corpus_dir: Any) -> None:
    for out in dev_outputs.values():
        text = (corpus_dir / out["document"]).read_text(encoding="utf-8")
        for e in out["entities"]:
            assert {text[a:b] for a, b in e["spans"]} == set(e["mentions"])
