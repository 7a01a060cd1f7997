"""Properties: offsets are sacred — clean UTF-8 text comes back unchanged, spans stay valid."""

from __future__ import annotations

import contextlib
import re

import ftfy
from hypothesis import given, settings
from hypothesis import strategies as st

from quotegraph.errors import ReadError
from quotegraph.read import read_bytes
from quotegraph.read.encoding import FTFY_CONFIG

# Text as people write it: any character but the C0/C1 controls (tab and line breaks allowed) and
# lone surrogates, which UTF-8 cannot encode.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
    max_size=300,
)
# Magic numbers: text that starts like a PDF, a GIF or an RTF file is not read as plain text.
MAGIC = ("%PDF-", "GIF8", "{\\rtf")


def _expected(text: str) -> str:
    return re.sub(r"\r\n?", "\n", text.removeprefix("\ufeff"))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_clean_utf8_text_is_kept_exactly(text: str) -> None:
    expected = _expected(text)
    if not expected.strip() or text.startswith(MAGIC):
        return
    if ftfy.fix_text(expected, FTFY_CONFIG) != expected:
        return  # looks like mojibake (e.g. "Ã©"): the next property covers it
    doc = read_bytes(text.encode("utf-8"), "x.txt")
    assert doc.text == expected
    assert doc.encoding == "utf-8"
    assert set(doc.repairs) <= {"UTF-8 byte-order mark removed", "line breaks normalised to \\n"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_kept_or_the_change_is_noted(text: str) -> None:
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates are not text
    try:
        doc = read_bytes(raw, "x.txt")
    except ReadError:
        return  # empty, binary (control characters) … : refused with a reason, not altered
    if doc.text != _expected(text):
        assert "mojibake repaired by ftfy" in doc.repairs
    for span in doc.metadata.boilerplate:
        assert 0 <= span.start < span.end <= len(doc.text)
        assert "\n" not in span.of(doc.text)


WORDS = st.lists(st.sampled_from(["Stalin", "said", "“no”", "—", "the", "Party", "1956", "…"]), min_size=1)
PARAGRAPHS = st.lists(st.tuples(st.booleans(), WORDS), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(PARAGRAPHS)
def test_markdown_blockquote_spans_are_exact(paragraphs: list[tuple[bool, list[str]]]) -> None:
    lines = [("> " if quoted else "") + " ".join(words) for quoted, words in paragraphs]
    doc = read_bytes("\n\n".join(lines).encode(), "x.md")
    # Consecutive quoted paragraphs form one blockquote, but each paragraph is its own span.
    assert [span.of(doc.text) for span in doc.blockquotes] == [
        " ".join(words) for quoted, words in paragraphs if quoted
    ]
    assert doc.text.split("\n\n") == [" ".join(words) for _, words in paragraphs]


MARKUP = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<blockquote>",
                "</blockquote>",
                "<script>",
                "</script>",
                "<ul><li>",
                "<br>",
                "<html>",
                "<body>",
                "<!--",
                "-->",
                "<pre>",
                "<![CDATA[",
                "<?xml version='1.0'?>",
                "&amp;",
                "&#0;",
                "<meta charset='koi8-r'>",
                "<table><tr><td>",
                "<",
                ">",
                '"',
                "\n",
                "> ",
                "# ",
                "---\n",
                "- ",
                "1. ",
                "```\n",
                "*",
                "[a](b)",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(MARKUP, st.sampled_from(["x.html", "x.md", "x.txt", "x"]))
def test_hostile_markup_raises_only_read_errors(markup: str, name: str) -> None:
    try:
        raw = markup.encode("utf-8")
    except UnicodeEncodeError:
        return
    try:
        doc = read_bytes(raw, name)
    except ReadError:
        return
    assert doc.text.strip()
    for span in (*doc.blockquotes, *doc.metadata.boilerplate):
        assert 0 <= span.start < span.end <= len(doc.text)
        assert "\n\n" not in span.of(doc.text)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["x.html", "x.md", "x.txt"]))
def test_arbitrary_bytes_raise_only_read_errors(raw: bytes, name: str) -> None:
    with contextlib.suppress(ReadError):
        read_bytes(raw, name)
