"""HTML → main text, block-quotation spans and metadata, through trafilatura.

trafilatura finds the main text and the page's metadata and drops scripts, styles and site
chrome. Its own text output joins paragraphs with a single line break, so the text is rebuilt here
from the XML tree it extracts: paragraphs separated by blank lines, list items one per line, and
``<blockquote>`` paragraphs recorded as spans while they are written. When trafilatura finds
nothing (a bare fragment, a tiny page), the same builder walks the parsed page itself, with
scripts, styles and other non-text elements removed first. Nothing in the page is executed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import lxml.html
import trafilatura
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.settings import use_config

from quotegraph.errors import NoTextFound
from quotegraph.model import Metadata, Span
from quotegraph.read._text import TextBuilder
from quotegraph.read.metadata import parse_date

_SNIFF = 4096
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(?:html|head|body)\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = re.compile(rb"</(?:p|div|span|a|table|ul|ol|li|h[1-6]|blockquote|section|article)>", re.IGNORECASE)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*(?P<meta>[\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["'](?P<xml>[\w.:-]+)""",
    re.IGNORECASE,
)
_HAS_ROOT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\u00a0]+")  # HTML white space, line breaks included; NBSP is content


def _words(text: str) -> list[str]:
    return text.split()


# What each element contributes to the text. trafilatura's tree uses its own tag names (p, head,
# list, item, quote, table, row, cell, lb, code); the fallback walks ordinary HTML.
_BLOCK, _LINES, _LINE, _QUOTE, _CELL, _BREAK, _DROP, _VERBATIM = range(8)
_TRAFILATURA_ROLES = {
    "p": _BLOCK, "head": _BLOCK, "div": _BLOCK, "main": _BLOCK, "body": _BLOCK, "doc": _BLOCK,
    "list": _LINES, "table": _LINES, "item": _LINE, "row": _LINE, "cell": _CELL,
    "quote": _QUOTE, "lb": _BREAK, "graphic": _DROP, "code": _VERBATIM, "comments": _DROP,
}  # fmt: skip
_HTML_ROLES = {
    **dict.fromkeys(
        _words(
            "html body div p h1 h2 h3 h4 h5 h6 section article main header footer nav aside address "
            "figure figcaption form fieldset center dl hr caption details summary"
        ),
        _BLOCK,
    ),
    **dict.fromkeys(("ul", "ol", "table", "thead", "tbody", "tfoot", "menu"), _LINES),
    **dict.fromkeys(("li", "tr", "dt", "dd"), _LINE),
    **dict.fromkeys(("td", "th"), _CELL),
    "blockquote": _QUOTE,
    "br": _BREAK,
    "pre": _VERBATIM,
    **dict.fromkeys(
        _words(
            "head title script style noscript template iframe object embed svg math canvas select "
            "option button input textarea audio video img map area applet frame frameset"
        ),
        _DROP,
    ),
}


def looks_like_html(raw: bytes) -> bool:
    """Sniff a file of unknown type: a doctype, an html/head/body tag, or closing block tags."""
    head = raw[:_SNIFF]
    return bool(_HTML_START.match(head) or _HTML_TAGS.search(head) or len(set(_BLOCK_TAGS.findall(head))) >= 2)


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>`` / ``http-equiv`` or its XML declaration."""
    match = _DECLARED.search(raw[:_SNIFF])
    if match is None:
        return None
    label = match.group("meta") or match.group("xml")
    return label.decode("ascii", "replace") if label else None


def _collapse(text: str | None) -> str:
    return _SPACES.sub(" ", text) if text else ""


def _tag(element: Any) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None  # comments and processing instructions


class _Walker:
    """Writes an element tree into a TextBuilder, one block per paragraph-like element."""

    def __init__(self, roles: dict[str, int], out: TextBuilder, is_quote: Callable[[str], bool]) -> None:
        self.roles = roles
        self.out = out
        self.is_quote = is_quote

    def _emit(self, pieces: list[str], in_quote: bool, group: object) -> None:
        text = "".join(pieces)
        pieces.clear()
        self.out.block(text, quote=in_quote and self.is_quote(text), group=group)

    def _inline(self, element: Any, pieces: list[str]) -> None:
        """Text of an inline element: its text and its children's, line breaks kept, blocks flattened."""
        pieces.append(_collapse(element.text))
        for child in element:
            tag = _tag(child)
            role = self.roles.get(tag) if tag else _DROP
            if role == _BREAK:
                pieces.append("\n")
            elif role != _DROP:
                if role in (_BLOCK, _LINE, _LINES, _QUOTE):
                    pieces.append(" ")
                self._inline(child, pieces)
            pieces.append(_collapse(child.tail))

    def walk(self, element: Any, in_quote: bool = False, group: object = None) -> None:
        """Emit ``element``'s own text and its children's, paragraph by paragraph."""
        role = self.roles.get(_tag(element) or "")
        if role == _QUOTE:
            in_quote = True
        if role == _LINES and group is None:
            group = element
        pieces = [_collapse(element.text)]
        cells = 0
        for child in element:
            tag = _tag(child)
            child_role = self.roles.get(tag) if tag else _DROP
            if child_role == _DROP:
                pass
            elif child_role == _BREAK:
                pieces.append("\n")
            elif child_role == _CELL:
                pieces.append("\t" if cells else "")
                cells += 1
                self._inline(child, pieces)
            elif child_role == _VERBATIM:
                self._emit(pieces, in_quote, group)
                code = "".join(child.itertext())
                self.out.block(code, quote=in_quote and self.is_quote(code), group=group, verbatim=True)
            elif child_role in (_BLOCK, _LINES, _LINE, _QUOTE):
                self._emit(pieces, in_quote, group)
                self.walk(child, in_quote, group)
            else:
                self._inline(child, pieces)
            pieces.append(_collapse(child.tail))
        self._emit(pieces, in_quote, group)


def write_fragment(markup: str, out: TextBuilder, *, quote: bool = False, group: object = None) -> None:
    """Write the text of an HTML fragment (raw HTML inside Markdown), scripts and styles dropped."""
    try:
        # As a whole document, so that stray <html>/<body> tags in the fragment do not upset lxml.
        tree = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>")
    except (ValueError, AssertionError):  # lxml's ParserError is a ValueError
        return
    body = tree.find(".//body")
    _Walker(_HTML_ROLES, out, lambda _: quote).walk(body if body is not None else tree, quote, group)


def _normalised(text: str) -> str:
    """Without white space: a <br> becomes a line break in one text and nothing in the other."""
    return "".join(text.split())


def _blockquote_texts(tree: Any) -> list[str]:
    """The text of every ``<blockquote>`` in the page, white space removed."""
    return [_normalised(element.text_content()) for element in tree.iter("blockquote")]


def _quote_test(quotes: Iterable[str]) -> Callable[[str], bool]:
    """Whether a paragraph trafilatura put in a ``<quote>`` comes from a ``<blockquote>`` (it also
    turns ``<pre>`` into ``<quote>``): its text must occur in one, exactly."""
    texts = [text for text in quotes if text]

    def is_quote(paragraph: str) -> bool:
        needle = _normalised(paragraph)
        return bool(needle) and any(needle in text for text in texts)

    return is_quote


def _with_root(text: str) -> str:
    """trafilatura rejects a bare fragment ("<p>…</p>"); give it the html/body it expects."""
    return text if _HAS_ROOT.search(text[:_SNIFF]) else f"<html><body>{text}</body></html>"


def _config() -> Any:
    """trafilatura's settings, except: short pages are extracted by its main extractor (below
    MIN_EXTRACTED_SIZE it falls back to a "baseline" that joins a short page's paragraphs and even
    inline elements into one block of lines), and pages up to our own size limit are accepted."""
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "MAX_FILE_SIZE", str(100 * 1024 * 1024))
    return config


_CONFIG = _config()


def _extract(markup: str) -> TrafilaturaDocument | None:
    try:
        result = trafilatura.bare_extraction(
            markup,
            output_format="python",
            include_comments=False,
            include_formatting=False,
            include_links=False,
            include_images=False,
            include_tables=True,
            favor_recall=True,
            with_metadata=True,
            config=_CONFIG,
        )
    except (ValueError, TypeError, RecursionError, AttributeError):  # hostile or broken markup
        return None
    return result if isinstance(result, TrafilaturaDocument) else None


def _authors(author: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (author or "").split(";") if name.strip())


def read_html(markup: str, path: str) -> tuple[str, tuple[Span, ...], Metadata]:
    """(main text, blockquote spans, metadata) of an HTML page; NoTextFound when it has no text."""
    markup = _with_root(markup)
    tree = trafilatura.load_html(markup)
    quotes = _blockquote_texts(tree) if tree is not None else []
    result = _extract(markup)
    out = TextBuilder()
    if result is not None and result.body is not None:
        _Walker(_TRAFILATURA_ROLES, out, _quote_test(quotes)).walk(result.body)
    if not out.text and tree is not None:
        out = TextBuilder()
        body = tree.find(".//body")
        _Walker(_HTML_ROLES, out, lambda _: True).walk(body if body is not None else tree)
    if not out.text.strip():
        raise NoTextFound(path, "no text found in the HTML")
    metadata = Metadata()
    if result is not None:
        date = result.date
        metadata = Metadata(
            title=result.title or None,
            authors=_authors(result.author),
            published=(parse_date(date) or date) if date else None,
            archive=result.sitename or None,
        )
    return out.text, out.quotes, metadata
