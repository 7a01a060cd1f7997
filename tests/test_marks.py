"""Quotation-mark pairing, one paragraph at a time (no NLP involved)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quotegraph.analyse.marks import scan_paragraph
from quotegraph.analyse.text import paragraphs, sentence_starts


def spans(text: str) -> list[str]:
    out = []
    for par in paragraphs(text):
        found, _ = scan_paragraph(text, par)
        out += [text[q.start : q.end] for q in sorted(found, key=lambda q: q.start)]
    return out


def test_curly_and_straight_marks_pair_across_families() -> None:
    assert spans('He spoke of the "confession” of Rajk.') == ["confession"]
    assert spans('“Now we know it".') == ["Now we know it"]


def test_apostrophes_are_not_closing_marks() -> None:
    text = "‘Trotsky’s works, don’t forget the ’30s,’ he said."
    assert spans(text) == ["Trotsky’s works, don’t forget the ’30s,"]


def test_possessive_plural_inside_a_quotation() -> None:
    text = "He wrote: ‘a workers’ revolution is coming’, and left."
    assert spans(text) == ["a workers’ revolution is coming"]


def test_short_scare_quote_closed_by_a_possessive_looking_mark() -> None:
    assert spans("some of these so-called ‘spies’ and ‘saboteurs’ were examined") == ["spies", "saboteurs"]


def test_nesting_of_either_family() -> None:
    text = "‘Suddenly Stalin says, “Lavrentiy, make arrangements”. Beria gets up.’"
    assert spans(text) == [
        "Suddenly Stalin says, “Lavrentiy, make arrangements”. Beria gets up.",
        "Lavrentiy, make arrangements",
    ]


def test_unclosed_opening_mark_runs_to_the_paragraph_end() -> None:
    text = "As it reported, ‘Intended for a few hours, it lasted two days.\n\nNext paragraph."
    assert spans(text) == ["Intended for a few hours, it lasted two days."]


def test_closing_mark_without_opening_is_reported() -> None:
    text = "Plimak had this to say: I consider that he is no simple figure.’"
    par = paragraphs(text)[0]
    found, orphans = scan_paragraph(text, par)
    assert found == [] and orphans == [len(text) - 1]


def test_sentence_starts_skip_initials_and_abbreviations() -> None:
    text = "Marshal G.K. Zhukov spoke. Op. cit. p. 9 is cited. Then he left."
    starts = sentence_starts(text, 0, len(text))
    assert [text[s : s + 4] for s in starts] == ["Mars", "Op. ", "Then"]


@given(st.text(alphabet="ab ‘’“”\"'.,:\n", max_size=80))
def test_spans_always_lie_inside_their_paragraph(text: str) -> None:
    for par in paragraphs(text):
        found, orphans = scan_paragraph(text, par)
        for q in found:
            assert par.start <= q.start <= q.end <= par.end
            assert q.open_at is None or text[q.open_at] in "‘“\"'«„"
        assert all(par.start <= o < par.end for o in orphans)
