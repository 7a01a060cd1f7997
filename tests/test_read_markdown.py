"""Markdown: plain text without markup, blank lines between paragraphs, > spans, front matter."""

from __future__ import annotations

import pytest

from quotegraph.errors import NoTextFound
from quotegraph.read import read_bytes
from quotegraph.read.markdown import parse_front_matter, split_front_matter

ARTICLE = """\
---
title: "How Stalin Betrayed October"
author: Gerry Healy
date: June 1988
publication: Marxist Monthly
volume: 1
issue: 4
---

# How Stalin *Betrayed* October

As we write, the **pre-congress** discussion is [underway](https://example.org/x)
in the Soviet Union; `glasnost` & perestroika.

Historian Y.G. Plimak had this to say:

> I consider that Trotsky is no simple figure.
> Trotsky bears the guilt.
>
> The pasting of labels in fact came from Trotsky.

Trotsky's demands:

- a secret ballot
- freedom of *criticism*
  - within the Party

1. first point
2. second point

![a photograph](photo.jpg)

<div class="note">An <em>HTML</em> note.<script>alert("evil")</script></div>

Inline <script>evil()</script>HTML is dropped.

```
  verbatim   code
```

---

| year | event |
|------|-------|
| 1923 | Left Opposition |
"""


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return read_bytes(ARTICLE.encode(), "article.md").text.split("\n\n")


def test_markup_is_dropped(paragraphs: list[str]) -> None:
    assert paragraphs[0] == "How Stalin Betrayed October"
    assert paragraphs[1] == (
        "As we write, the pre-congress discussion is underway\nin the Soviet Union; glasnost & perestroika."
    )


def test_front_matter_is_not_text(paragraphs: list[str]) -> None:
    assert all("publication:" not in paragraph and "---" not in paragraph for paragraph in paragraphs)


def test_list_items_one_per_line(paragraphs: list[str]) -> None:
    assert "a secret ballot\nfreedom of criticism\nwithin the Party" in paragraphs
    assert "1. first point\n2. second point" in paragraphs


def test_html_scripts_images_and_code(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    assert "evil" not in text and "photo" not in text and "photograph" not in text
    assert "An HTML note." in paragraphs
    assert "Inline HTML is dropped." in paragraphs
    assert "  verbatim   code" in paragraphs
    assert paragraphs[-1] == "year\tevent\n1923\tLeft Opposition"


def test_blockquote_paragraphs_are_spans() -> None:
    doc = read_bytes(ARTICLE.encode(), "article.md")
    assert [span.of(doc.text) for span in doc.blockquotes] == [
        "I consider that Trotsky is no simple figure.\nTrotsky bears the guilt.",
        "The pasting of labels in fact came from Trotsky.",
    ]


def test_metadata_from_front_matter() -> None:
    meta = read_bytes(ARTICLE.encode(), "article.md").metadata
    assert meta.title == "How Stalin Betrayed October"
    assert meta.authors == ("Gerry Healy",)
    assert meta.publication == "Marxist Monthly"
    assert (meta.volume, meta.issue) == ("1", "4")
    assert meta.published == "1988-06"


def test_front_matter_lists_and_quotes() -> None:
    meta = parse_front_matter(
        "title: 'A title: with a colon'\nauthors:\n  - Leon Trotsky\n  - Max Shachtman\n"
        "date: 1938-09-03\nsite: Marxists Internet Archive\nunknown: ignored"
    )
    assert meta.title == "A title: with a colon"
    assert meta.authors == ("Leon Trotsky", "Max Shachtman")
    assert meta.published == "1938-09-03"
    assert meta.archive == "Marxists Internet Archive"
    assert parse_front_matter("author: [A. Smith, B. Jones]").authors == ("A. Smith", "B. Jones")
    assert parse_front_matter("authors: A. Smith; B. Jones").authors == ("A. Smith", "B. Jones")
    assert parse_front_matter("title: Stalin; a life").title == "Stalin; a life"


def test_no_front_matter() -> None:
    text, meta = split_front_matter("Text\n\n---\n\nmore: text\n---\n")
    assert text.startswith("Text") and meta.title is None


def test_metadata_mined_from_the_text_when_no_front_matter() -> None:
    doc = read_bytes(b"# The Revolution Betrayed\n\nBy Leon Trotsky\n\nThe text begins here.", "x.md")
    assert doc.metadata.title == "The Revolution Betrayed"
    assert doc.metadata.authors == ("Leon Trotsky",)


def test_windows_line_endings() -> None:
    doc = read_bytes(b"---\r\ntitle: T\r\n---\r\n\r\nOne\r\n\r\n> Two\r\n", "crlf.md")
    assert doc.text == "One\n\nTwo"
    assert [span.of(doc.text) for span in doc.blockquotes] == ["Two"]
    assert doc.metadata.title == "T"


def test_only_front_matter_has_no_text() -> None:
    with pytest.raises(NoTextFound):
        read_bytes(b"---\ntitle: Nothing else\n---\n", "empty.md")
