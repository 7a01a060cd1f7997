"""Metadata mined from plain-text headers: general rules, tried on headers other archives use."""

from __future__ import annotations

import pytest

from quotegraph.model import Metadata
from quotegraph.read import read_bytes
from quotegraph.read.boilerplate import find_boilerplate
from quotegraph.read.metadata import (
    SourceLine,
    byline,
    find_date,
    merge,
    mine,
    parse_date,
    parse_source_line,
    person_name,
)


def _mine(text: str) -> Metadata:
    return mine(text, find_boilerplate(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11 August, 2013 - 8:51", "2013-08-11"),
        ("on 11 March, 2006 - 1:40", "2006-03-11"),
        ("the March 9, 1956, issue", "1956-03-09"),
        ("March 9th 1956", "1956-03-09"),
        ("9th of March 1956", "1956-03-09"),
        ("Vol. 1 No. 4, June 1988", "1988-06"),
        ("Sept. 1939", "1939-09"),
        ("Spring 1956", "1956"),
        ("Last updated: 23 October 2019", "2019-10-23"),
        ("2013-08-11T08:51:00", "2013-08-11"),
        ("1956-03", "1956-03"),
        ("they may 1956", None),  # the verb
        ("31 February 1956", "1956-02"),  # the impossible day is dropped, the month stands
        ("in 1956", None),  # a bare year is not found in running text
    ],
)
def test_find_date(text: str, value: str | None) -> None:
    assert find_date(text) == value


def test_parse_date_takes_bare_years_but_only_whole_strings() -> None:
    assert parse_date("(1956)") == "1956"
    assert parse_date("[Spring 1956]") == "1956"
    assert parse_date("June 1988.") == "1988-06"
    assert parse_date("June 1988 was hot") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gerry Healy", "Gerry Healy"),
        ("Einde O’Callaghan", "Einde O’Callaghan"),
        ("J. P. Cannon", "J. P. Cannon"),
        ("Charles de Gaulle", "Charles de Gaulle"),
        ("ALBERT GATES", "ALBERT GATES"),
        ("Jean-Paul Sartre", "Jean-Paul Sartre"),
        ("Khrushchev", None),
        ("How Stalin Betrayed October", None),
        ("Introductory note", None),
        ("Soviet Union", None),
        ("Who spoke out against Stalin?", None),
        ("Leon Trotsky 1940", None),
    ],
)
def test_person_name(text: str, name: str | None) -> None:
    assert person_name(text) == name


def test_byline() -> None:
    assert byline("By Leon Trotsky") == ("Leon Trotsky",)
    assert byline("by Max Shachtman and Albert Gates") == ("Max Shachtman", "Albert Gates")
    assert byline("Albert Gates") == ("Albert Gates",)
    assert byline("By the way, nobody") == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "(Marxist Monthly, Vol. 1 No. 4, June 1988)",
            SourceLine("Marxist Monthly", "1", "4", None, "1988-06"),
        ),
        (
            "From The New International, Vol. XXII No. 1, Spring 1956, pp. 18–28.",
            SourceLine("The New International", "XXII", "1", "18–28", "1956"),
        ),
        (
            "Source: Fourth International, Vol.7 No.5, May 1946, pp.142-145.",
            SourceLine("Fourth International", "7", "5", "142-145", "1946-05"),
        ),
        ("First published: 1938", SourceLine(None, None, None, None, "1938")),
        ("(Spring 1956)", SourceLine(None, None, None, None, "1956")),
        ("(Applause)", None),
        ("From the start the bureaucracy feared the workers.", None),
    ],
)
def test_source_lines(line: str, expected: SourceLine | None) -> None:
    assert parse_source_line(line) == expected


def test_author_prefix_needs_support() -> None:
    supported = _mine("Max Shachtman: The Struggle for the New Course [1943]\n\nText of the article.")
    assert (supported.title, supported.authors, supported.published) == (
        "The Struggle for the New Course",
        ("Max Shachtman",),
        "1943",
    )
    recurring = _mine("Max Shachtman: The Struggle\n\nAs Max Shachtman wrote, this is the text.")
    assert recurring.authors == ("Max Shachtman",)
    # "Stalin Goes: …" is shaped like "First Last: title", but nothing says Stalin Goes wrote it.
    unsupported = _mine("Stalin Goes: His Minions Remain\n\nThe text of the article.")
    assert (unsupported.title, unsupported.authors) == ("Stalin Goes: His Minions Remain", ())
    single = _mine("Khrushchev: The Stalinist who denounced Stalin\n\nText.")
    assert (single.title, single.authors) == ("Khrushchev: The Stalinist who denounced Stalin", ())


def test_marxists_internet_archive_style_header() -> None:
    text = (
        "Leon Trotsky\n\nThe Transitional Program\n\n"
        "Source: Bulletin of the Opposition, No. 66-67, May 1938.\n"
        "Transcription/Markup: Sam Richards\n\n"
        "The world political situation as a whole is chiefly characterized by a historical crisis of the "
        "leadership of the proletariat, and much more besides, in a paragraph long enough to be prose.\n"
    )
    meta = _mine(text)
    assert meta.title == "The Transitional Program"
    assert meta.authors == ("Leon Trotsky",)
    assert meta.publication == "Bulletin of the Opposition"
    assert meta.issue == "66-67"
    assert meta.published == "1938-05"
    assert meta.transcriber == "Sam Richards"
    assert meta.archive is None  # the credit names no site


def test_editor_note_and_appeared_in() -> None:
    text = (
        "Why the Trials Were Staged\n\nPosted on 2 May 2010 by admin\n\nEditor's note\n\n"
        "This speech was first published in Labour Review in June 1957. It is reprinted unchanged.\n\n"
        "A. N. Other\n\nComrades, the Moscow Trials were the greatest frame-up in history, and we say so here.\n"
    )
    meta = _mine(text)
    assert meta.title == "Why the Trials Were Staged"
    assert (meta.posted, meta.poster) == ("2010-05-02", "admin")
    assert meta.editor == "A. N. Other"
    assert (meta.publication, meta.published) == ("Labour Review", "1957-06")


def test_appeared_in_must_be_about_the_text_itself() -> None:
    text = (
        "Title\n\nNote\n\nKhrushchev's speech appeared in the June 4, 1956, issue of the New York Times, "
        "leaked by the State Department.\n\nBody.\n"
    )
    assert (_mine(text).publication, _mine(text).published) == (None, None)


def test_nothing_is_guessed_for_bare_prose() -> None:
    meta = _mine("it was a dark and stormy night, and the Party was in crisis once more than ever.\n")
    assert meta == Metadata()


def test_merge_prefers_the_primary_fields() -> None:
    primary = Metadata(title="From HTML", authors=())
    secondary = Metadata(title="From text", authors=("A. Smith",), posted="2010-05-02")
    assert merge(primary, secondary) == Metadata(title="From HTML", authors=("A. Smith",), posted="2010-05-02")


def test_metadata_reaches_the_document() -> None:
    doc = read_bytes(b"By Leon Trotsky\n\nThe Class Nature of the Soviet State\n\n(October 1933)\n\nText.", "t.txt")
    assert doc.metadata.authors == ("Leon Trotsky",)
    assert doc.metadata.title == "The Class Nature of the Soviet State"
    assert doc.metadata.published == "1933-10"
