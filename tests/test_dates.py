"""Dates: the finder on the dev gold, each of its mechanisms, and its invariants on any text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.analyse.dates import find_dates
from quotegraph.evaluate import score
from quotegraph.model import DateRef, Span

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
CORPUS = ROOT / "examples" / "corpus"

# Measured when written: relaxed F1 1.0, strict F1 1.0, value accuracy 1.0 (72 gold dates; the
# rules were written against this gold, so the floors leave room for a miss or two, no more).
FLOORS = {"relaxed_f1": 0.97, "strict_f1": 0.97, "value_accuracy": 0.97}


def dates(text: str, document_date: str | None = None, **kw: Any) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in find_dates(text, document_date, **kw)]


# --- the dev gold -----------------------------------------------------------------------------


def test_dev_gold_floors() -> None:
    gold: dict[str, Any] = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
    texts = {stem: (CORPUS / g["document"]).read_text(encoding="utf-8") for stem, g in gold.items()}
    system: dict[str, Any] = {}
    for stem, g in gold.items():
        meta = g["metadata"]
        found = find_dates(texts[stem], meta.get("published") or meta.get("posted"))
        system[stem] = {
            "document": g["document"],
            "dates": [
                {"start": d.start, "end": d.end, "text": d.text, "value": d.value, "typo": d.typo} for d in found
            ],
        }
    figures = score(gold, system, texts).figures
    measured = {
        "relaxed_f1": figures["dates_relaxed"]["f1"],
        "strict_f1": figures["dates_strict"]["f1"],
        "value_accuracy": figures["date_value_accuracy"],
    }
    below = {k: (measured[k], floor) for k, floor in FLOORS.items() if measured[k] < floor}
    assert not below, f"below the floor (measured, floor): {below}"


def test_typos_are_flagged_on_the_dev_gold() -> None:
    text = (CORPUS / "001_e4f37517f46e57a6.txt").read_text(encoding="utf-8")
    flagged = [d for d in find_dates(text, "1988-06") if d.typo]
    assert [(d.text, d.value) for d in flagged] == [("9141", "1941")]


# --- mechanisms -------------------------------------------------------------------------------


def test_full_dates_in_both_orders() -> None:
    text = "It appeared in the March 9, 1956, issue; submitted on 11 August, 2013 - 8:51; on 25 December 1922."
    assert dates(text) == [
        ("March 9, 1956", "1956-03-09"),
        ("11 August, 2013", "2013-08-11"),
        ("25 December 1922", "1922-12-25"),
    ]
    assert dates("Sept. 15, 1924 and the 5th of June, 1944 and Tuesday, June 6, 1944 and 1944-06-06") == [
        ("Sept. 15, 1924", "1924-09-15"),
        ("5th of June, 1944", "1944-06-05"),
        ("Tuesday, June 6, 1944", "1944-06-06"),
        ("1944-06-06", "1944-06-06"),
    ]


def test_month_with_year_and_impossible_days() -> None:
    assert dates("(Marxist Monthly, Vol. 1 No. 4, June 1988)") == [("June 1988", "1988-06")]
    assert dates("On February 30, 1956 nothing happened.") == [("February 30, 1956", None)]


def test_glued_forms() -> None:
    assert dates("Hitler would not attack us in June1941?") == [("June1941", "1941-06")]
    assert dates("on March 13, 1988 … to reply, on April5.", "1988-06") == [
        ("March 13, 1988", "1988-03-13"),
        ("April5", "1988-04-05"),
    ]


def test_day_and_month_take_the_year_of_the_latest_date_as_precise() -> None:
    # Bare years in between ("1937", "1941") do not decide the year of "April 17"; dated days do.
    text = "On March 13, 1988 it began. He was repressed in 1937. In June1941 war came. On April 17 they spoke."
    assert dates(text, "1988-06")[-1] == ("April 17", "1988-04-17")
    # With no dated day before it, a day takes the document's year.
    assert dates("The Conference, which opens on June 28, was called in 1941.", "1988-06")[0] == (
        "June 28",
        "1988-06-28",
    )
    # A posting date after the document's own does not lend its year.
    assert dates("Submitted on 11 March, 2006\n\nOn March 5 he spoke.", "1956")[-1] == ("March 5", "1956-03-05")


def test_a_month_alone_only_where_a_preposition_governs_it() -> None:
    text = "Lessons of October; the October Revolution. In February 1956 he spoke; by October the revolt was on."
    assert dates(text) == [("February 1956", "1956-02"), ("October", "1956-10")]
    assert dates("May Comrade Stalin live for ever!") == []


def test_year_ranges() -> None:
    text = "branded in 1937-1938; in 1937/38; 1914–18; from 1951 to 1956 when; in 1936 and 1937."
    assert dates(text) == [
        ("1937-1938", "1937/1938"),
        ("1937/38", "1937/1938"),
        ("1914–18", "1914/1918"),
        ("1951 to 1956", "1951/1956"),
        ("1936", "1936"),
        ("1937", "1937"),
    ]


def test_day_ranges() -> None:
    assert dates("In its issue No. 12, (19 to 26 March) Ogonyok", "1988-06") == [
        ("19 to 26 March", "1988-03-19/1988-03-26")
    ]
    assert dates("from March 3-5, 1988") == [("March 3-5, 1988", "1988-03-03/1988-03-05")]


def test_decades() -> None:
    text = "Already in the 1930’s he saw it. The slogan of the twenties and thirties, and of the '60s."
    assert dates(text, "1970") == [
        ("1930’s", "1930/1939"),
        ("the twenties", "1920/1929"),
        ("thirties", "1930/1939"),
        ("'60s", "1960/1969"),
    ]
    assert dates("He was in his thirties.") == []


def test_seasons_are_meteorological_month_ranges() -> None:
    assert dates("(Spring 1956)") == [("Spring 1956", "1956-03/1956-05")]
    assert dates("in the autumn of 1917 and Winter 1941") == [
        ("autumn of 1917", "1917-09/1917-11"),
        ("Winter 1941", "1941-12/1942-02"),
    ]


def test_relative_to_the_document_date() -> None:
    assert dates("what Trotsky said twenty years ago, before", "1956") == [("twenty years ago", "1936")]
    assert dates("for the past thirty-three years Many articles", "1956") == [
        ("the past thirty-three years", "1923/1956")
    ]
    assert dates("Last year we met; next year we win.", "1956-03-09") == [("Last year", "1955"), ("next year", "1957")]
    assert dates("Ten and twenty years ago, on his birthdays", "1956") == [
        ("Ten", "1946"),
        ("twenty years ago", "1936"),
    ]
    assert dates("fifty years ago", None) == [("fifty years ago", None)]


def test_relative_to_the_narrative_date() -> None:
    text = "The uprising in June 1953, that was followed a month later by a strike."
    assert dates(text, "1956") == [("June 1953", "1953-06"), ("a month later", "1953-07")]
    text = "Lenin died in January 1924, without having returned throughout the preceding year."
    assert dates(text, "1956") == [("January 1924", "1924-01"), ("the preceding year", "1923")]


def test_a_relative_phrase_in_apposition_restates_the_date() -> None:
    text = "Then on January 4, 1923, a couple of weeks later, he added a postscript."
    assert dates(text, "1956") == [("January 4, 1923", "1923-01-04"), ("a couple of weeks later", "1923-01-04")]
    text = "complete on September 15, 1924, eight months after Lenin’s death. Later"
    assert dates(text, "1988") == [
        ("September 15, 1924", "1924-09-15"),
        ("eight months after Lenin’s death", "1924-09"),
    ]
    assert dates("from the beginning, in 1923, thirty-three years ago.") == [
        ("1923", "1923"),
        ("thirty-three years ago", "1923"),
    ]


def test_apposition_restates_only_named_dates_not_other_relative_phrases() -> None:
    text = "Stalin died on March 5, 1953. A year later, twenty years later, it was remembered."
    assert dates(text, "1988")[1:] == [("A year later", "1954"), ("twenty years later", "1974")]


def test_a_later_that_returns_to_the_present_takes_the_document_date() -> None:
    text = "demanded in 1927. Half a century later, under perestroika, a law has been entered into the Code."
    assert dates(text, "1988-06") == [("1927", "1927"), ("Half a century later", "1988")]
    assert dates("In 1927 they demanded it. Half a century later they got it.", "1988-06")[-1] == (
        "Half a century later",
        "1977",
    )


def test_dates_of_life_events_given_elsewhere() -> None:
    text = "In the last months of Lenin’s life they made a bloc. Lenin died in January 1924."
    assert dates(text, "1956") == [("the last months of Lenin’s life", "1923/1924"), ("January 1924", "1924-01")]
    text = "Stalin died in March 1953. Three months after Stalin's death, the strike began."
    assert dates(text, "1956")[-1] == ("Three months after Stalin's death", "1953-06")


def test_an_aside_does_not_move_the_narrative() -> None:
    text = "In February 1956 Khrushchev denounced Stalin (who had died in 1953). The events of that year showed it."
    assert dates(text, "2006")[-1] == ("that year", "1956")


def test_impossible_year_is_a_flagged_typo() -> None:
    found = find_dates("shot in 1937, until the Nazis were at the gates of Moscow in 9141. Then", "1988-06")
    assert [(d.text, d.value, d.typo) for d in found] == [("1937", "1937", False), ("9141", "1941", True)]
    # Legitimate numbers stay alone: counts, and numbers with no year near them to be a typo of.
    assert dates("in 3000 men and 2500 BC, in 9141.", None) == []
    assert dates("in 1491 Columbus", "1988") == [("1491", "1491")]


def test_durations_are_not_dates() -> None:
    text = (
        "Since 1941, a lapse of 47 years. His trial lasted 15 minutes. Over 30 years I wrote 20 plays; it was "
        "suppressed for 25 years; it took almost three weeks to reply; they required three decades before they "
        "were ready; for 20 years people have not; a bitter 7-year cold war."
    )
    assert dates(text, "1988") == [("1941", "1941")]


def test_deictic_and_figurative_words_are_not_dates() -> None:
    text = (
        "Everyone now knows it, but at the time Pollitt repeated it; today the bureaucracy remains; then as now; "
        "the mass left wing of that time; that period; recently. Their method today is the same as their method "
        "yesterday. Whether a week ago it was Stalin; yesterday, Malenkov; today, Khrushchev; and tomorrow …?"
    )
    assert dates(text, "1956") == []


def test_page_numbers_issues_and_ordinals_are_not_dates() -> None:
    text = (
        "(page 90, Stalin School of Falsification, Pioneer edition, 1962) (Page 88-89) (Op Cit. pages 98-99) "
        "Vol. 1 No. 4; issue No. 12; No. 1956; pp. 1200-1250; 200-300 of the highest commanders; the 19th. Party "
        "Congress; the 20th Congress; World War II; the 20th century; some 1500 delegates; 2000 copies."
    )
    assert dates(text, "1988") == [("1962", "1962")]


def test_skip_spans_are_left_alone() -> None:
    text = "In 1937 and in 1938."
    assert dates(text, skip=[Span(0, 8)]) == [("1938", "1938")]


def test_candidates_add_what_the_patterns_miss_and_no_durations() -> None:
    text = "They met at Christmas, then for 47 years, in the October Revolution."
    christmas = Span(text.index("Christmas"), text.index("Christmas") + 9)
    years = Span(text.index("47"), text.index("47") + 8)
    october = Span(text.index("October"), text.index("October") + 7)
    found = find_dates(text, "1956", candidates=[christmas, years, october])
    assert [d.text for d in found] == ["Christmas"]
    # The finder's own reading wins where a candidate overlaps it.
    text = "in the March 9, 1956, issue"
    found = find_dates(text, candidates=[Span(3, 20)])
    assert [(d.text, d.value) for d in found] == [("March 9, 1956", "1956-03-09")]


# --- invariants -------------------------------------------------------------------------------

FRAGMENTS = [
    "March 9, 1956",
    "11 August, 2013",
    "April5",
    "June1941",
    "19 to 26 March",
    "1937-1938",
    "1937/38",
    " from 1951 to 1956",
    "the thirties",
    "1930’s",
    "Spring 1956",
    "twenty years ago",
    "a couple of weeks later",
    "Half a century later",
    "the past thirty-three years",
    "the preceding year",
    "that year",
    "last May",
    " in 9141",
    "9999 centuries ago",
    "0 days later",
    "the last months of Lenin’s life",
    "Lenin died in January 1924",
    "eight months after Lenin’s death",
    "(",
    ")",
    "[",
    ", ",
    ". ",
    "\n",
    " in ",
    "page ",
    "29 February",
    "31 April 1900",
    "the day before his new article appeared",
]


def _check(text: str, found: tuple[DateRef, ...]) -> None:
    last_end = -1
    for d in found:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text
        assert d.start >= last_end, "sorted and non-overlapping"
        last_end = d.end
        assert d.value is None or isinstance(d.value, str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=14).map("".join),
    st.sampled_from([None, "1956", "1988-06", "2013-08-11", "0000", "nonsense", "9999-12-31", "1956-13"]),
)
def test_any_text_gives_anchored_sorted_disjoint_dates(text: str, document_date: str | None) -> None:
    _check(text, find_dates(text, document_date))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map(" ".join), st.data())
def test_any_candidates_keep_the_invariants(text: str, data: st.DataObject) -> None:
    n = len(text)
    bounds = st.integers(min_value=0, max_value=n)
    spans = data.draw(st.lists(st.tuples(bounds, bounds).map(lambda p: Span(min(p), max(p))), max_size=4))
    _check(text, find_dates(text, "1956", skip=spans[:1], candidates=spans[1:]))


@pytest.mark.parametrize("text", ["", " ", "\n\n", "1956", "ago", "the"])
def test_degenerate_texts(text: str) -> None:
    _check(text, find_dates(text))


def test_writing_year_inferred_from_the_text() -> None:
    from quotegraph.analyse.dates import infer_writing_year

    assert infer_writing_year("They led the fight from the beginning, in 1923, thirty-three years ago.") == "1956"
    assert infer_writing_year("Twenty years ago, in 1936, he wrote it.") == "1956"
    assert infer_writing_year("Twenty years ago he wrote it.") is None
