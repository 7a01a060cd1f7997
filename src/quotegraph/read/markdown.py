"""Markdown → plain text, block-quotation spans and front-matter metadata.

markdown-it-py parses; the tokens are written out as plain text here (its renderers produce HTML):
emphasis markers, link targets and heading hashes go, paragraphs stay separated by blank lines,
list items one per line, and ``>`` paragraphs are recorded as spans while they are written. A
front-matter block (``---`` … ``---``) is dropped from the text and read for metadata; it is parsed
by hand as simple ``key: value`` lines, since a YAML parser is not a dependency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from quotegraph.errors import NoTextFound
from quotegraph.model import Metadata, Span
from quotegraph.read._text import TextBuilder
from quotegraph.read.html import write_fragment
from quotegraph.read.metadata import find_date, parse_date

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY_VALUE = re.compile(r"(?P<key>[A-Za-z][\w -]*?)\s*:\s*(?P<value>.*)")
_LIST_ITEM = re.compile(r"\s*-\s+(?P<value>.+)")
_SCRIPT_OPEN = re.compile(r"<(?:script|style)\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</(?:script|style)\s*>", re.IGNORECASE)

# Front-matter keys → Metadata fields.
_KEYS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "date": "published",
    "published": "published",
    "publication": "publication",
    "journal": "publication",
    "newspaper": "publication",
    "periodical": "publication",
    "volume": "volume",
    "issue": "issue",
    "number": "issue",
    "pages": "pages",
    "posted": "posted",
    "poster": "poster",
    "editor": "editor",
    "transcriber": "transcriber",
    "archive": "archive",
    "site": "archive",
    "sitename": "archive",
}
_DATE_FIELDS = {"published", "posted"}


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.strip()


def _values(value: str) -> list[str]:
    """A front-matter value as a list: ``[a, b]``, ``a; b`` or a single scalar."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(part) for part in value[1:-1].split(",") if _scalar(part)]
    return [_scalar(part) for part in value.split(";") if _scalar(part)]


def parse_front_matter(body: str) -> Metadata:
    """Metadata from ``key: value`` lines (and ``- item`` lists under a key); other keys ignored."""
    found: dict[str, list[str]] = {}
    key: str | None = None
    for line in body.split("\n"):
        item = _LIST_ITEM.fullmatch(line)
        if item is not None and key is not None:
            found.setdefault(key, []).append(_scalar(item.group("value")))
            continue
        pair = _KEY_VALUE.fullmatch(line)
        if pair is None:
            continue
        key = pair.group("key").strip().lower()
        if pair.group("value").strip():
            found.setdefault(key, []).append(pair.group("value"))
    authors: tuple[str, ...] = ()
    scalars: dict[str, str] = {}
    for name, values in found.items():
        field = _KEYS.get(name)
        if field == "authors" and not authors:
            authors = tuple(author for value in values for author in _values(value))
        elif field is not None and field not in scalars and (value := _scalar(values[0])):
            if field in _DATE_FIELDS:
                value = parse_date(value) or find_date(value) or value
            scalars[field] = value
    get = scalars.get
    return Metadata(
        title=get("title"),
        authors=authors,
        publication=get("publication"),
        volume=get("volume"),
        issue=get("issue"),
        pages=get("pages"),
        published=get("published"),
        posted=get("posted"),
        poster=get("poster"),
        editor=get("editor"),
        transcriber=get("transcriber"),
        archive=get("archive"),
    )


def split_front_matter(text: str) -> tuple[str, Metadata]:
    """(the Markdown without its front matter, the front matter's metadata)."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text, Metadata()
    return text[match.end() :], parse_front_matter(match.group("body"))


def _inline(children: Sequence[Token]) -> str:
    """An inline token's plain text: markers, link targets, images and HTML tags dropped."""
    pieces: list[str] = []
    hidden = False  # inside an inline <script> / <style>: its content is not text
    for token in children:
        if token.type == "html_inline":
            if _SCRIPT_OPEN.match(token.content):
                hidden = True
            elif _SCRIPT_CLOSE.match(token.content):
                hidden = False
        elif hidden:
            continue
        elif token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
    return "".join(pieces)


def render(tokens: Sequence[Token]) -> tuple[str, tuple[Span, ...]]:
    """Plain text of a token stream, and the spans of its block-quoted paragraphs."""
    out = TextBuilder()
    quote_depth = 0
    lists: list[Token] = []  # open lists; the outermost one groups all the item lines
    table: Token | None = None  # the open table groups its rows
    cells: list[str] | None = None  # the open row's cells
    prefix = ""  # "1. " before an ordered item's first line
    for token in tokens:
        kind = token.type
        group: object = lists[0] if lists else None
        in_quote = quote_depth > 0
        if kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "table_open":
            table = token
        elif kind == "table_close":
            table = None
        elif kind == "tr_open":
            cells = []
        elif kind == "tr_close" and cells is not None:
            out.block("\t".join(cells), quote=in_quote, group=table or group)
            cells = None
        elif kind == "inline" and cells is not None:
            cells.append(" ".join(_inline(token.children or []).split()))
        elif kind == "inline":
            out.block(prefix + _inline(token.children or []), quote=in_quote, group=group)
            prefix = ""
        elif kind in ("fence", "code_block"):
            out.block(token.content, quote=in_quote, group=group, verbatim=True)
        elif kind == "html_block":
            write_fragment(token.content, out, quote=in_quote, group=group)
    return out.text, out.quotes


def read_markdown(text: str, path: str) -> tuple[str, tuple[Span, ...], Metadata]:
    """(plain text, ``>`` paragraph spans, front-matter metadata) of a Markdown document."""
    body, metadata = split_front_matter(text)
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    plain, quotes = render(parser.parse(body))
    if not plain.strip():
        raise NoTextFound(path, "no text found in the Markdown")
    return plain, quotes, metadata
