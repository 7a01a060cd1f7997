"""Entities of one document: gazetteer, rules and NER together, variants merged, derived words kept out."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotegraph.analyse import analyse
from quotegraph.analyse.entities import Mention, add_unclaimed
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


def test_a_month_alone_names_the_revolution_the_document_names_but_a_date_stays_a_date() -> None:
    ents = entities_of(
        "The October Revolution changed Russia. In October 1917 the Bolsheviks took power, and the "
        "leaders of October were later shot."
    )
    october = by_mention(ents, "October Revolution")
    assert october.mentions.count("October") == 1
    text_spans = [sp for sp, m in zip(october.spans, october.mentions, strict=True) if m == "October"]
    assert text_spans[0].start > 60  # "leaders of October", not the date "October 1917"


def test_a_month_alone_names_nothing_when_the_event_is_not_named() -> None:
    ents = entities_of("The leaders of October were later shot by the regime.")
    assert not any("October" in e.mentions for e in ents)


def test_a_given_name_before_the_surname_joins_the_person() -> None:
    ents = entities_of("‘Suddenly Stalin says, “Lavrentiy, make arrangements”. Beria gets up and leaves.’")
    beria = by_mention(ents, "Beria")
    assert "Lavrentiy" in beria.mentions


def test_a_trial_named_after_a_person_names_the_person() -> None:
    ents = entities_of("Pollitt spoke after the confession of Lazlo Rajk. After the Rajk trial nothing changed.")
    rajk = by_mention(ents, "Lazlo Rajk")
    assert set(rajk.mentions) == {"Lazlo Rajk", "Rajk"}
    assert by_mention(ents, "Rajk trial").type == "EVENT"


def test_lowercase_names_listed_or_in_context() -> None:
    ents = entities_of(
        "Lenin wrote his testament to the party in 1922. In this testament of Lenin he warned them. "
        "The losses of the first imperialist war and the 1917 socialist revolution were remembered."
    )
    testament = by_mention(ents, "testament of Lenin")
    assert testament.canonical == "Lenin's Testament" and "testament to the party" in testament.mentions
    assert by_mention(ents, "first imperialist war").canonical == "World War I"
    assert by_mention(ents, "1917 socialist revolution").canonical == "October Revolution"


def test_lowercase_context_names_alone_name_nothing() -> None:
    ents = entities_of("He left a testament to the party, and the purges went on in the far east.")
    mentions = {m for e in ents for m in e.mentions}
    assert not mentions & {"testament to the party", "purges", "far east"}


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=8),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=8),
)
def test_add_unclaimed_adds_exactly_the_mentions_that_overlap_nothing(
    found: list[tuple[int, int]], extra: list[tuple[int, int]]
) -> None:
    have = [Mention(a, a + n, "x" * n) for a, n in found]
    more = [Mention(a, a + n, "y" * n) for a, n in extra]
    out = add_unclaimed(have, more)
    expected = [e for e in more if not any(m.start < e.end and e.start < m.end for m in have)]

    def order(ms: list[Mention]) -> list[tuple[int, int]]:
        return sorted((m.start, m.end) for m in ms)

    assert order([m for m in out if any(m is e for e in more)]) == order(expected)
    assert len(out) == len(have) + len(expected)
    assert [m.start for m in out] == sorted(m.start for m in out)


def test_titles_and_publications() -> None:
    ents = entities_of(
        "Comrade Stalin spoke first. The General Secretary then left the room. Marshal Zhukov agreed. "
        "It appeared in the magazine Ogonyuk, and Trud, the daily organ of the trade unions, reprinted it."
    )
    stalin = by_mention(ents, "Stalin")
    assert stalin.canonical == "Joseph Stalin" and "General Secretary" in stalin.mentions
    assert by_mention(ents, "Zhukov").canonical == "Georgy Zhukov"
    assert by_mention(ents, "Ogonyuk").canonical == "Ogonyok" and by_mention(ents, "Ogonyuk").type == "PUBLICATION"
    assert by_mention(ents, "Trud").type == "PUBLICATION"


def test_a_title_alone_names_nobody_when_no_holder_is_named() -> None:
    ents = entities_of("The General Secretary then left the room, and the meeting ended.")
    assert not any("General Secretary" in e.mentions for e in ents)


def test_the_post_of_a_title_is_the_office_not_its_holder() -> None:
    ents = entities_of("Stalin was patient. Zinoviev had his eyes fixed on the post of the General Secretary.")
    assert "General Secretary" not in by_mention(ents, "Stalin").mentions


def test_people_joined_by_hyphens_are_each_named() -> None:
    text = "He fought the Trotsky-Zinoviev-Bucharin traitors, and the Stalin-Hitler pact followed."
    ents = entities_of(text)
    for name in ("Trotsky", "Zinoviev", "Bucharin"):
        person = by_mention(ents, name)
        assert person.type == "PERSON"
        assert any(text[sp.start : sp.end] == name for sp in person.spans)
    assert by_mention(ents, "Stalin-Hitler pact").type == "EVENT"


def test_a_common_word_is_never_a_misspelt_name() -> None:
    ents = entities_of("Being neither socialist nor capitalist, the state was being watched from Moscow.")
    assert not any("Being" in e.mentions for e in ents)


def test_a_title_run_ends_with_a_capitalised_word() -> None:
    ents = entities_of("Foster even wrote a book entitled From Bryan to Stalin in order to show his devotion.")
    assert by_mention(ents, "From Bryan to Stalin").type == "WORK"
