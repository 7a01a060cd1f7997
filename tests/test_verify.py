"""Quotation verification: the typed diff, locating a passage, and the verdicts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotegraph.verify import SourceText, compare, verify
from quotegraph.verify.tokens import elisions, tokenize

ROOT = Path(__file__).resolve().parent.parent
LENIN_003 = (ROOT / "examples" / "corpus" / "003_34df39d8ba34d179.txt").read_text(encoding="utf-8")
TESTAMENT = (
    "Comrade Stalin, having become general secretary, has concentrated an enormous power in his hands; and I am "
    "not sure that he always knows how to use that power with sufficient caution."
)
TRANSLATION_1956 = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and in contacts "
    "among us Communists, becomes a defect which cannot be tolerated in one holding the position of the "
    "Secretary General"
)


def lenins_letter() -> SourceText:
    """Lenin's letter as 003 quotes it: the testament (line 57) and its postscript (line 61)."""
    lines = LENIN_003.splitlines()
    quoted = [re.search(r"“(.*)”", lines[n]) for n in (56, 60)]
    return SourceText("letter", "\n\n".join(m.group(1) for m in quoted if m))


# -- tokens ---------------------------------------------------------------------------------------


def test_form_only_differences_share_a_key() -> None:
    keys = [t.key for t in tokenize("Didn’t the re-\nvolution — “Comrade” Stalin")]
    assert keys == [t.key for t in tokenize('didn\'t the revolution - "comrade" stalin')]


def test_elision_marks() -> None:
    text = "a … b ... c […] d [...] e"
    assert [text[s:e] for s, e in elisions(text)] == ["…", "...", "[…]", "[...]"]


@given(st.text(alphabet=st.sampled_from("ab’'-\n …,.“”1"), max_size=40))
def test_token_offsets_point_at_their_words(text: str) -> None:
    for token in tokenize(text):
        assert text[token.start : token.end].strip()
        assert token.start < token.end


# -- compare --------------------------------------------------------------------------------------


def test_form_only_is_faithful_not_verbatim() -> None:
    quoted = "comrade Stalin, having become general secretary, has concentrated an enormous power"
    comparison = compare(quoted, TESTAMENT)
    assert compare(TESTAMENT, TESTAMENT).verbatim
    assert not comparison.verbatim
    assert [e.type for e in comparison.edits] == ["omission"]  # the passage goes on: an end left out


def test_dropped_not_is_a_severe_unmarked_omission() -> None:
    quoted = TESTAMENT.replace("am not sure", "am sure")
    (edit,) = compare(quoted, TESTAMENT).edits
    assert (edit.type, edit.passage_text, edit.marked, edit.severe) == ("omission", "not", False, True)
    assert TESTAMENT[edit.passage.start : edit.passage.end] == "not"
    assert quoted[edit.quoted.start : edit.quoted.end] == " "


def test_marked_omission_is_legitimate() -> None:
    quoted = "Comrade Stalin […] has concentrated an enormous power in his hands"
    comparison = compare(quoted, TESTAMENT[: TESTAMENT.index(";")])
    (edit,) = comparison.edits
    assert edit.type == "omission" and edit.marked and edit.legitimate
    assert quoted[edit.quoted.start : edit.quoted.end] == "[…]"
    assert edit.passage_text == "having become general secretary"
    assert comparison.faithful


def test_substitution_insertion_reordering_and_numbers() -> None:
    passage = "In 1923 Lenin wrote that Stalin is too rude and should be removed from the post"
    quoted = "In 1924 Lenin wrote that Stalin is excessively rude and brutal and should be removed from the post"
    edits = compare(quoted, passage).edits
    assert [(e.type, e.quoted_text, e.passage_text, e.severe) for e in edits] == [
        ("substitution", "1924", "1923", True),
        ("substitution", "excessively", "too", False),
        ("insertion", "and brutal", " ", False),  # an insertion's passage side is the gap it goes into
    ]
    moved = compare("Lenin wrote that Stalin is too rude and should be removed from the post in 1923", passage)
    (edit,) = moved.edits
    assert (edit.type, edit.quoted_text, edit.passage_text) == ("reordering", "in 1923", "In 1923")
    assert moved.coverage == 1.0


def test_spans_round_trip_to_the_texts() -> None:
    passage = TESTAMENT
    quoted = "Comrade Stalin has concentrated an immense power in his hands; and I am sure that he knows"
    for edit in compare(quoted, passage).edits:
        assert quoted[edit.quoted.start : edit.quoted.end] == edit.quoted_text
        assert passage[edit.passage.start : edit.passage.end] == edit.passage_text


# -- verify ---------------------------------------------------------------------------------------


def test_khrushchev_abuses_his_power_is_not_in_lenins_letter() -> None:
    letter = lenins_letter()
    result = verify("is capricious and abuses his power", letter)
    assert result.verdict == "not_in_source"  # "capricious" is there, the rest is not
    assert result.passage is not None and "capricious" in result.passage.of(letter.text)
    inserted = [e.quoted_text for e in result.edits if e.type == "insertion"]
    assert any("abuses his power" in words for words in inserted)
    assert all(e.type == "insertion" for e in result.edits)


def test_1956_translation_is_a_translation_variant_with_a_similarity() -> None:
    letter = lenins_letter()

    def similarity(a: str, b: str) -> float:
        """Stands for sentence embeddings: the two translations of the postscript's first sentence."""
        return 0.9 if "excessively rude" in a and b.startswith("Postscript: Stalin is too rude") else 0.1

    assert verify(TRANSLATION_1956, letter).verdict != "translation_variant"
    result = verify(TRANSLATION_1956, letter, similarity=similarity)
    assert result.verdict == "translation_variant"
    assert result.similarity == result.confidence == 0.9
    assert result.passage is not None and "becomes insupportable" in result.passage.of(letter.text)


def test_verbatim_faithful_and_not_in_source() -> None:
    source = SourceText("003", LENIN_003)
    exact = verify("Stalin is too rude, and this fault, entirely supportable in relations among us Communists", source)
    assert exact.verdict == "verbatim" and exact.confidence == 1.0
    assert exact.passage is not None and exact.passage.of(LENIN_003).startswith("Stalin is too rude")
    elided = verify("Stalin is too rude … becomes insupportable in the office of general secretary.", source)
    assert elided.verdict == "faithful"
    assert verify("The cat sat on the mat and purred at the dog", source).verdict == "not_in_source"


def test_look_alikes_are_not_found() -> None:
    source = SourceText("003", LENIN_003)
    result = verify("Comrade Brezhnev proposed a new five-year plan for agriculture and heavy industry", source)
    assert result.verdict == "not_in_source"
    # Same subject, some of the same words (from 002): shown as the nearest passage, but not found.
    near = verify("He was not in tune with the bureaucracy.", source)
    assert near.verdict == "not_in_source"


def test_misattribution_is_found_elsewhere() -> None:
    cited = SourceText("other", "Trotsky wrote many things about the bureaucracy and the party.")
    lenin = SourceText("003", LENIN_003)
    result = verify("Stalin is too rude, and this fault, entirely supportable", cited, elsewhere=[lenin])
    assert result.verdict == "found_elsewhere"
    assert result.source_id == "003"
    assert result.passage is not None and result.passage.of(LENIN_003).startswith("Stalin is too rude")


def test_cited_work_not_in_corpus_still_says_where_the_words_are() -> None:
    lenin = SourceText("003", LENIN_003)
    result = verify("Stalin is too rude, and this fault", None, elsewhere=[lenin])
    assert result.verdict == "source_not_in_corpus"
    assert [w.source_id for w in result.elsewhere] == ["003"]


def test_a_quotation_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="no words"):
        verify(" … ", SourceText("003", LENIN_003))


WORDS = "Stalin Lenin party power not never two 1923 the of and rude caution secretary comrade".split()


@given(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=20),
    st.lists(st.tuples(st.sampled_from(["drop", "add", "swap"]), st.integers(0, 30), st.sampled_from(WORDS))),
)
def test_edits_point_at_what_they_say_on_both_sides(words: list[str], changes: list[tuple[str, int, str]]) -> None:
    passage = " ".join(words)
    assert compare(passage, passage).verbatim
    quoted_words = list(words)
    for change, at, word in changes:
        k = at % len(quoted_words) if quoted_words else 0
        if change == "drop" and len(quoted_words) > 1:
            del quoted_words[k]
        elif change == "add":
            quoted_words.insert(k, word)
        elif quoted_words:
            quoted_words[k] = word
    quoted = " ".join(quoted_words)
    comparison = compare(quoted, passage)
    for edit in comparison.edits:
        assert quoted[edit.quoted.start : edit.quoted.end] == edit.quoted_text
        assert passage[edit.passage.start : edit.passage.end] == edit.passage_text
    assert (not comparison.edits) == (quoted.casefold().split() == passage.casefold().split())
    assert 0.0 <= comparison.coverage <= 1.0


def test_words_moved_to_an_end_of_the_quotation_are_a_reordering() -> None:
    source = SourceText(
        "s", "Intro. In 1923 Lenin wrote that Stalin is too rude and should be removed from the post. Outro."
    )
    result = verify("Lenin wrote that Stalin is too rude and should be removed from the post in 1923", source)
    assert result.verdict == "altered"
    assert [(e.type, e.quoted_text, e.passage_text, e.severe) for e in result.edits] == [
        ("reordering", "in 1923", "In 1923", True)
    ]


def test_cited_works_match_titles_loosely_but_not_by_a_shared_word() -> None:
    from quotegraph.verify.cite import match_work

    titles = [
        ("a", "Stalin Goes – His Minions Remain. The 20th Congress and its Effects on World Stalinism"),
        ("b", "Lenin's Testament"),
        ("c", "How Stalin Betrayed October"),
    ]
    assert (m := match_work("stalin goes, his minions remain", titles)) is not None and m.document_id == "a"
    assert (m := match_work("The testament of Lenin", titles)) is not None and m.document_id == "b"
    assert (m := match_work("How Stalin betrayed October", titles)) is not None and m.score == 100
    for work in ("Stalin", "testament", "The Revolution Betrayed", "Khrushchev’s report", ""):
        assert match_work(work, titles) is None, work
