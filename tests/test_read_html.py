"""HTML: trafilatura's main text rebuilt with blank lines, <blockquote> spans, page metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.errors import NoTextFound
from quotegraph.read import read_bytes, read_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "read"


@pytest.fixture(scope="module")
def article() -> str:
    return (FIXTURES / "article.html").read_text(encoding="utf-8")


def test_main_text_with_paragraphs_separated_by_blank_lines(article: str) -> None:
    doc = read_bytes(article.encode(), "article.html")
    assert doc.format == "html"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Who spoke out against Stalin?"
    assert "The long history of Stalinism and the struggle against it" in paragraphs[1]
    assert "I am reading now direct quotations from Khrushchev’s speech:" in paragraphs
    assert "So says Khrushchev. Again:" in doc.text


def test_scripts_styles_and_chrome_are_not_text(article: str) -> None:
    doc = read_bytes(article.encode(), "article.html")
    for unwanted in ("alert", "evil", "color:", "document.write", "Home", "About us", "{"):
        assert unwanted not in doc.text


def test_blockquote_paragraphs_are_spans(article: str) -> None:
    doc = read_bytes(article.encode(), "article.html")
    quoted = [span.of(doc.text) for span in doc.blockquotes]
    assert quoted == [
        "“Stalin acted not through persuasion, explanation, and patient cooperation with people, "
        "but by imposing his concepts and demanding absolute submission to his opinion.",
        "“Whoever opposed this concept was doomed to removal from the leading collective.”",
        "“Stalin originated the concept ‘enemy of the people.’”",
    ]
    for span in doc.blockquotes:
        assert "\n\n" not in span.of(doc.text)


def test_pre_is_not_a_blockquote(article: str) -> None:
    doc = read_bytes(article.encode(), "article.html")
    assert all("Table of votes" not in span.of(doc.text) for span in doc.blockquotes)


def test_list_items_one_per_line(article: str) -> None:
    doc = read_bytes(article.encode(), "article.html")
    assert "Zinoviev\nKamenev\nBukharin" in doc.text


def test_metadata_from_the_page(article: str) -> None:
    meta = read_bytes(article.encode(), "article.html").metadata
    assert meta.title == "Who spoke out against Stalin?"
    assert meta.authors == ("Gerry Healy",)
    assert meta.published == "2006-03-11"
    assert meta.archive == "Workers' Liberty"


def test_read_file_on_html(tmp_path: Path, article: str) -> None:
    path = tmp_path / "page.htm"
    path.write_text(article, encoding="utf-8")
    assert read_file(path).format == "html"


def test_fragment_without_html_element() -> None:
    doc = read_bytes(
        b"<p>Hello <b>world</b>.</p><p>Second <script>evil()</script>paragraph.</p>"
        b"<blockquote>A quoted line.</blockquote>",
        "fragment.html",
    )
    assert doc.text == "Hello world.\n\nSecond paragraph.\n\nA quoted line."
    assert [span.of(doc.text) for span in doc.blockquotes] == ["A quoted line."]


def test_blockquote_with_line_breaks() -> None:
    page = (
        b"<html><body><article><p>The poem ends with these lines, which the author wrote in prison in 1938:</p>"
        b"<blockquote><p>First line of verse<br>second line of verse</p></blockquote>"
        b"<p>He was shot a few months later, without trial, as so many others were at that time.</p>"
        b"</article></body></html>"
    )
    doc = read_bytes(page, "poem.html")
    assert [span.of(doc.text) for span in doc.blockquotes] == ["First line of verse\nsecond line of verse"]


def test_truncated_html_is_still_read() -> None:
    raw = b"<html><body><article><h1>Title</h1><p>First paragraph, complete.</p><p>Second one cut mid-t<a hr"
    doc = read_bytes(raw, "cut.html")
    assert doc.text.startswith("Title\n\nFirst paragraph, complete.\n\nSecond one cut mid-t")


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><head><title>T</title><script>var x = 1;</script></head><body></body></html>",
        b"<html><body><style>p { color: red }</style><script>alert(1)</script></body></html>",
        b"<!DOCTYPE html><html><body><img src='a.png'></body></html>",
    ],
)
def test_no_text(raw: bytes) -> None:
    with pytest.raises(NoTextFound) as caught:
        read_bytes(raw, "empty.html")
    assert caught.value.reason == "no text found in the HTML"


def test_declared_charset_is_used_when_not_utf8() -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Речь</title></head>'
        "<body><p>Товарищи! Культ личности.</p></body></html>"
    )
    doc = read_bytes(page.encode("cp1251"), "ru.html")
    assert "Товарищи! Культ личности." in doc.text
    assert doc.encoding == "cp1251"
    assert doc.repairs == ("decoded as cp1251 (declared by the document; not valid UTF-8)",)


def test_cp1252_page_declared_as_latin1() -> None:
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
    page += b"<body><p>He said \x93no\x94 \x97 twice.</p></body></html>"
    doc = read_bytes(page, "old.html")
    assert doc.text == "He said “no” — twice."
    assert doc.encoding == "cp1252"


def test_mojibake_in_html_is_repaired() -> None:
    page = "<html><body><p>He said “no” — twice.</p></body></html>".encode().decode("sloppy-windows-1252")
    doc = read_bytes(page.encode(), "moji.html")
    assert doc.text == "He said “no” — twice."
    assert doc.repairs == ("mojibake repaired by ftfy",)


def test_xhtml_with_xml_declaration() -> None:
    page = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>'
        b"<body><p>An XHTML paragraph, with enough words to count as text.</p></body></html>"
    )
    assert read_bytes(page, "page.xhtml").text == "An XHTML paragraph, with enough words to count as text."
