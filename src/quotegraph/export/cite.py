""" "Cite this": BibTeX, CSL-JSON and RIS for a document's original publication or for a quotation.

A quotation is cited as its document, with where it stands (permalink, character offsets, the words)
and the work it is itself quoted from in the note. Every record says it is machine-extracted.

The three writers are short and written here by hand: the records are flat, and the libraries that
write these formats (bibtexparser, rispy) do not escape LaTeX or keep RIS's tag order for us; the
tests read the output back with those libraries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quotegraph.export.common import MACHINE_NOTE, DocumentView, Selection, select
from quotegraph.store.base import QuoteRow, Store

_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}
_PAGES = re.compile(r"\s*(\S+?)\s*[-–—]+\s*(\S+)\s*")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class Name:
    family: str
    given: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """One record, format-neutral: what the three writers have in common."""

    key: str
    kind: str  # "article" in a publication, "document" otherwise
    title: str
    authors: tuple[Name, ...]
    container: str | None
    date: tuple[int, ...]  # (year,), (year, month) or (year, month, day); () when unknown
    volume: str | None
    issue: str | None
    pages: str | None
    url: str | None
    archive: str | None
    note: str


def split_name(name: str) -> Name:
    """ "Gerry Healy" → family Healy, given Gerry; a one-word name is all family name."""
    words = name.split()
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    if len(words) < 2:
        return Name(" ".join(words), "", suffix)
    return Name(words[-1], " ".join(words[:-1]), suffix)


def references(store: Store, sel: Selection) -> list[Reference]:
    """A quotation reference cites that quotation; with a speaker or kind filter, each quotation the
    filters keep; otherwise each selected document."""
    views = select(store, sel)
    if sel.filters_quotes:
        return [reference(v, q) for v in views for q in v.quote_rows]
    return [reference(v) for v in views]


def reference(view: DocumentView, quote: QuoteRow | None = None) -> Reference:
    meta, doc = view.metadata, view.document
    notes = []
    if quote is not None:
        where = f"Quotation {quote.permalink} (characters {quote.start}–{quote.end})"
        who = f", {quote.speaker}" if quote.speaker else ""
        words = quote.text if len(quote.text) <= 200 else quote.text[:199] + "…"
        notes.append(f"{where}{who}: “{words}”.")
        if quote.work:
            cited = [quote.work, f"p. {quote.page}" if quote.page else "", quote.edition or ""]
            notes.append(f"Quoted from {', '.join(x for x in cited if x)}.")
    notes.append(f"{MACHINE_NOTE}.")
    url = doc.source_path if doc.source_path and re.match(r"https?://", doc.source_path) else None
    return Reference(
        key=f"qg-{doc.id[:10]}" + (f"-{quote.quote_id}" if quote else ""),
        kind="article" if meta.publication else "document",
        title=meta.title or doc.name,
        authors=tuple(split_name(a) for a in meta.authors),
        container=meta.publication,
        date=_date_parts(meta.published),
        volume=meta.volume,
        issue=meta.issue,
        pages=meta.pages,
        url=url,
        archive=meta.archive,
        note=" ".join(notes),
    )


def _date_parts(value: str | None) -> tuple[int, ...]:
    m = _DATE.match(value or "")
    return tuple(int(g) for g in m.groups() if g) if m else ()


# -- BibTeX --------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text: str) -> str:
    """LaTeX's special characters escaped; other Unicode kept (biber and bibtex8 read UTF-8)."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], text)


def _bibtex_url(url: str) -> str:
    """URLs stay verbatim for the url package; only braces, which would end the field, are encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(n: Name) -> str:
    parts = [n.family] + ([n.suffix] if n.suffix else []) + ([n.given] if n.given else [])
    return ", ".join(bibtex_escape(p) for p in parts)


def to_bibtex(refs: Sequence[Reference]) -> bytes:
    entries = []
    for r in refs:
        fields: list[tuple[str, str]] = []
        if r.authors:
            fields.append(("author", " and ".join(_bibtex_name(a) for a in r.authors)))
        fields.append(("title", bibtex_escape(r.title)))
        if r.container:
            fields.append(("journal", bibtex_escape(r.container)))
        if r.date:
            fields.append(("year", str(r.date[0])))
        if len(r.date) > 1:
            fields.append(("month", _MONTHS[r.date[1] - 1]))
        for name, value in (
            ("volume", r.volume),
            ("number", r.issue),
            ("pages", r.pages),
            ("url", r.url),
            ("howpublished", r.archive),
        ):
            if value:
                fields.append((name, _bibtex_url(value) if name == "url" else bibtex_escape(value)))
        fields.append(("note", bibtex_escape(r.note)))
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
        )
        entries.append(f"@{'article' if r.kind == 'article' else 'misc'}{{{r.key},\n{body}\n}}\n")
    return "\n".join(entries).encode("utf-8")


# -- CSL-JSON ------------------------------------------------------------------------------------


def to_csl_json(refs: Sequence[Reference]) -> bytes:
    items = []
    for r in refs:
        item: dict[str, object] = {"id": r.key, "type": "article-journal" if r.kind == "article" else "document"}
        item["title"] = r.title
        if r.authors:
            item["author"] = [
                {k: v for k, v in (("family", a.family), ("given", a.given), ("suffix", a.suffix)) if v}
                for a in r.authors
            ]
        if r.container:
            item["container-title"] = r.container
        if r.date:
            item["issued"] = {"date-parts": [list(r.date)]}
        for name, value in (("volume", r.volume), ("issue", r.issue), ("page", r.pages), ("URL", r.url)):
            if value:
                item[name] = value
        if r.archive:
            item["archive"] = r.archive
        item["note"] = r.note
        items.append(item)
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- RIS -----------------------------------------------------------------------------------------


def to_ris(refs: Sequence[Reference]) -> bytes:
    """RIS records in the usual tag order: TY first, then authors, titles, dates, numbers, ER last."""
    lines: list[str] = []
    for r in refs:
        tags: list[tuple[str, str]] = [("TY", "JOUR" if r.kind == "article" else "GEN")]
        tags += [("AU", ", ".join(x for x in (a.family, a.given, a.suffix) if x)) for a in r.authors]
        tags.append(("TI", r.title))
        if r.container:
            tags.append(("T2", r.container))
        if r.date:
            tags.append(("PY", f"{r.date[0]:04d}"))
            parts = [f"{r.date[0]:04d}", *(f"{p:02d}" for p in r.date[1:])]
            tags.append(("DA", "/".join(parts + [""] * (4 - len(parts)))))
        if r.volume:
            tags.append(("VL", r.volume))
        if r.issue:
            tags.append(("IS", r.issue))
        if r.pages:
            m = _PAGES.fullmatch(r.pages)
            tags += [("SP", m.group(1)), ("EP", m.group(2))] if m else [("SP", r.pages)]
        if r.url:
            tags.append(("UR", r.url))
        if r.archive:
            tags.append(("DP", r.archive))
        tags.append(("N1", r.note))
        tags.append(("ID", r.key))
        lines += [f"{tag}  - {_one_line(value)}" for tag, value in tags]
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines).encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
