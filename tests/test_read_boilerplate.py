"""Boilerplate: site chrome lines are marked as spans (general patterns), never deleted."""

from __future__ import annotations

import itertools

import pytest

from quotegraph.read import read_bytes
from quotegraph.read.boilerplate import find_boilerplate, is_boilerplate, iter_lines


@pytest.mark.parametrize(
    "line",
    [
        "Submitted by dalcassian on 11 August, 2013 - 8:51",
        "Posted by admin on March 3, 2010",
        "Posted on 3 May 2010 by J. Smith",
        "Posted by webmaster",
        "Add new comment",
        "Log in or register to post comments",
        "Comments",
        "3 comments",
        "Leave a reply",
        "Share this",
        "Share this article:",
        "Share on Facebook",
        "Print",
        "Printer-friendly version",
        "Email this page",
        "Read more »",
        "Back to top",
        "Skip to main content",
        "Tags: Stalin, Khrushchev, 1956",
        "Home | About | Contact",
        "Glotzer Archive\u00a0\u00a0 | \u00a0\u00a0Trotskyist Writers Index\u00a0\u00a0 | \u00a0\u00a0ETOL Main Page",
        "Home • Archive • Index",
        "« Previous | Next »",
        "This website uses cookies, you can find out more and set your preferences here.",
        "We use cookies to improve your experience.",
        "By continuing to use this website, you agree to our Privacy Policy and Terms & Conditions.",
        "Privacy policy",
        "Last updated: 23 October 2019",
        "This page was last modified on 4 May 2011, at 10:02.",
        "Transcribed & marked up by Einde O’Callaghan for the Encyclopaedia of Trotskyism On-Line (ETOL).",
        "Transcription/Markup: Andy Blunden",
        "Proofread by Chris Clayton",
        "© 2013 Workers' Liberty",
        "Copyright 2006 Alliance for Workers' Liberty. All rights reserved.",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Gerry Healy",
        "How Stalin Betrayed October",
        "(Marxist Monthly, Vol. 1 No. 4, June 1988)",
        "From The New International, Vol. XXII No. 1, Spring 1956, pp. 18–28.",
        "Introductory note",
        "Sean Matgamna",
        "Posted to Siberia in 1937, he was never heard of again.",
        "Posted on the wall of the factory was a notice from the Party committee.",
        "The comments of the delegates were printed in Pravda the next day.",
        "He would share this burden with the whole Political Bureau, said Khrushchev.",
        "(c) the bureaucracy grew in power as the revolution ebbed",
        "The last updated edition of the Short Course appeared in 1945, revised by Stalin himself.",
        "Transcription of the speech was made by the stenographers of the Congress, who worked in shifts "
        "through the night; it was printed only in 1989, thirty-three years after it was delivered, and "
        "even then with omissions that the editors of Izvestia TsK KPSS did not mark in any way at all, "
        "as the historians who compared it with the archive copy were later to point out in detail.",
        "Workers | peasants and soldiers were all represented, according to the report.",
        "“Back to Lenin.” That was the slogan of the Left Opposition in the twenties and thirties.",
    ],
)
def test_document_lines(line: str) -> None:
    assert not is_boilerplate(line)


def test_spans_cover_one_line_without_its_break_or_surrounding_space() -> None:
    text = "Title\n\n  Share this  \n\nBody text here.\r\nLast updated: 1 May 2010\n"
    doc = read_bytes(text.encode(), "x.txt")
    assert doc.text == text.replace("\r\n", "\n")  # marked, not deleted
    assert [span.of(doc.text) for span in doc.metadata.boilerplate] == [
        "Share this",
        "Last updated: 1 May 2010",
    ]
    for span in doc.metadata.boilerplate:
        assert "\n" not in span.of(doc.text)


def test_iter_lines() -> None:
    text = "a\n\n  b c \nd"
    assert [text[start:end] for start, end in iter_lines(text)] == ["a", "b c", "d"]
    assert list(iter_lines("")) == []
    assert list(iter_lines("x\n")) == [(0, 1)]


def test_find_boilerplate_is_ordered_and_disjoint() -> None:
    text = "Home | News\nSubmitted by x on 1 May, 2010 - 1:00\nText.\nComments\nPrint"
    spans = find_boilerplate(text)
    assert [span.of(text) for span in spans] == [
        "Home | News",
        "Submitted by x on 1 May, 2010 - 1:00",
        "Comments",
        "Print",
    ]
    assert all(first.end < second.start for first, second in itertools.pairwise(spans))
