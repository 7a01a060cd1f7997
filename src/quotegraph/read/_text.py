"""The plain text that the HTML and Markdown readers build, with spans for block quotations.

Paragraphs are separated by a blank line, because downstream a quotation never spans one; the
lines of a list or table are separated by a single line break. Spans are recorded while the text
is written, so they are exact by construction.
"""

from __future__ import annotations

import re

from quotegraph.model import Span

_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")  # a blank line, white space allowed on it
_SPACES = re.compile(r"  +")


def tidy(text: str) -> str:
    """Strip every line, squeeze runs of spaces, keep at most one blank line in a row."""
    lines = "\n".join(_SPACES.sub(" ", line.strip()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", lines).strip()


class TextBuilder:
    """Accumulates blocks of text; remembers which of them the markup marked as quotations."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._quotes: list[Span] = []
        self._last_group: object = None

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def block(self, text: str, *, quote: bool = False, group: object = None, verbatim: bool = False) -> None:
        """Add a paragraph (``group`` None) or a line of the list / table identified by ``group``;
        ``verbatim`` (code) keeps indentation and inner blank lines."""
        text = text.strip("\n").rstrip() if verbatim else tidy(text)
        if not text:
            return
        if self._parts:
            self._append("\n" if group is not None and group is self._last_group else "\n\n")
        self._last_group = group
        start = self._length
        self._append(text)
        if quote:
            # One span per paragraph: a quotation never spans a blank line.
            offset = 0
            for piece in _PARAGRAPH_BREAK.split(text):
                offset = text.index(piece, offset)
                content = piece.strip()
                if content:
                    first = start + offset + piece.index(content)
                    self._quotes.append(Span(first, first + len(content)))
                offset += len(piece)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def quotes(self) -> tuple[Span, ...]:
        return tuple(self._quotes)
