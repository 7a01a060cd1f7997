"""Cited sources: written citations, works named around a quotation, Op. Cit. and Ibid.

Hand-written patterns: the citation habits of political pamphlets ("(page 90, Stalin School of
Falsification, Pioneer edition, 1962)", "(Op. Cit. page 97)", "(Ibid)", "in his great book, The
Revolution Betrayed") are not something a general NLP model tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotegraph.model import Source, Span

PARENTHESIS = re.compile(r"\(([^()\n]{1,240})\)")  # where citations are written
_OPCIT = re.compile(r"\bop\.?\s*cit\b\.?,?", re.IGNORECASE)
_IBID = re.compile(r"\bibid(?:em)?\b\.?,?", re.IGNORECASE)
_PAGES = re.compile(r"\b(?:pages?|pp?\.)\s*(\d+(?:\s*[-–]\s*\d+)?)", re.IGNORECASE)
_EDITION = re.compile(r"((?:[A-Z][\w’'.-]*\s+){1,4}edition)(?:,?\s*(\d{4}))?", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^\s*\d{4}\s*$")

WORK_NOUNS = (
    "speech|speeches|report|testament|letter|book|article|pamphlet|essay|memoirs|memoir|diary|resolution|"
    "manifesto|programme|program|platform|theses|address|editorial|interview|statement|declaration|appeal|"
    "autobiography|biography|study|work|writings|lecture|preface|introduction|postscript|notes|column|"
    "history|play|novel|poem|thesis|message|broadcast|communiqué|telegram|decree|directive|circular|"
    "treatise|volume|journal|diaries|reminiscences"
)
# capitalised words with small words between them, never after the last ("… to Stalin in order to")
_TITLE_RUN = (
    r"(?:(?:The|A|An) )?[A-Z][\w’'-]*(?:(?: (?:of|the|and|in|on|a|an|to|for|by|from|with))* [A-Z][\w’'-]*)*(?<=\w)"
)
_POSSESSIVE_WORK = re.compile(
    r"\b([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)[’']s\s+((?:(?:great|famous|last|secret|closed|own|first|"
    r"celebrated|well-known|printed)\s+)?(?:" + WORK_NOUNS + r"))\b"
)
_DETERMINED_WORK = re.compile(
    r"\b(?:his|her|their|this|that|the)\s+(?:(?:great|famous|last|secret|closed|own|first|celebrated|"
    r"well-known|printed)\s+)*(" + WORK_NOUNS + r")\b((?:\s+(?:of|to)\s+(?:the\s+)?[\w’'-]+)?)"
)
_NAMED_WORK = re.compile(
    r"\b(?:" + WORK_NOUNS + r")\b,?\s+(?:on\s+|called\s+|entitled\s+|titled\s+|named\s+)?(" + _TITLE_RUN + r")"
)
_CALLED = re.compile(r"\b(?:called|entitled|titled|under the title|under the heading)\s+(" + _TITLE_RUN + r")")
_PUBLICATION_PATTERNS = [
    re.compile(
        r"\bthe\s+(?:magazine|newspaper|journal|daily|weekly|monthly|paper|review|organ|bulletin)\s+("
        + _TITLE_RUN
        + r")"
    ),
    re.compile(
        r"\b([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){0,3}),\s+(?:the|its|a)\s+(?:\w+\s+){0,3}"
        r"(?:organ|paper|newspaper|magazine|journal|weekly|daily)\b"
    ),
    re.compile(r"\b([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){0,3})\s+\[[^\]]*\b(?:paper|newspaper|organ)\b[^\]]*\]"),
    re.compile(r"\b([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){0,3}),\s+in\s+its\s+(?:\w+\s+)?(?:issue|edition)\b", re.I),
    re.compile(
        r"\b[Ii]n\s+its\s+(?:\w+\s+)?(?:issue|edition)\b(?:\s+No\.?\s*\d+)?,?\s*(?:\([^)]*\)\s*)?"
        r"([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){0,3})\b"
    ),
    re.compile(r"\b([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){0,3})\s+published\b"),
]


@dataclass(frozen=True, slots=True)
class Citation:
    """A written citation such as "(Op. Cit. page 97)", already resolved against earlier ones."""

    span: Span  # the parenthesis, marks included
    source: Source


def parse_citation(content: str) -> tuple[str | None, str | None, str | None, str | None] | None:
    """(work, page, edition, reference) from a parenthesis' content, or None if it is no citation.

    ``reference`` is "op. cit." or "ibid" when the citation points back to an earlier one.
    """
    reference = "op. cit." if _OPCIT.search(content) else "ibid" if _IBID.search(content) else None
    page_m = _PAGES.search(content)
    edition_m = _EDITION.search(content)
    if not (reference or page_m or edition_m):
        return None
    rest = content
    for m in (page_m, edition_m):
        if m:
            rest = rest.replace(m.group(), " ")
    rest = _IBID.sub(" ", _OPCIT.sub(" ", rest))
    rest = " ".join(rest.replace(",", " ").split()).strip(" .;:-–")
    work = rest if rest and any(c.isupper() for c in rest) and not _YEAR_ONLY.match(rest) else None
    edition = None
    if edition_m:
        edition = edition_m.group(1).strip()
        if edition_m.group(2):
            edition = f"{edition}, {edition_m.group(2)}"
    page = re.sub(r"\s*[-–]\s*", "-", page_m.group(1)) if page_m else None
    return work, page, edition, reference


class Citations:
    """Resolves citations in reading order: Op. Cit. and Ibid refer back to the last work cited."""

    def __init__(self) -> None:
        self.last: Source | None = None
        self.editions: dict[str, str] = {}

    def resolve(self, content: str, span: Span) -> Citation | None:
        parsed = parse_citation(content)
        if parsed is None:
            return None
        work, page, edition, reference = parsed
        evidence = reference or "citation"
        if work is None and self.last is not None:
            work = self.last.work
            if reference == "ibid" and page is None:
                page = self.last.page
            if evidence == "citation":
                evidence = "current work"
        if work is None:
            return None
        if edition:
            self.editions[work_key(work)] = edition
        edition = edition or self.editions.get(work_key(work))
        source = Source(work=work, page=page, edition=edition, citation=span, evidence=evidence)
        self.last = source
        return Citation(span, source)


def work_key(work: str) -> str:
    words = [w for w in re.findall(r"[\w’']+", work.lower()) if w not in {"the", "a", "an"}]
    return " ".join(words)


def works_named(text: str, start: int, end: int, known: set[str], persons: set[str]) -> list[tuple[str, Span]]:
    """Works named in ``text[start:end]``, nearest to ``end`` last."""
    window = text[start:end]
    found: list[tuple[str, Span]] = []
    for m in _NAMED_WORK.finditer(window):
        title = m.group(1)
        if title.split()[-1].lower() in persons or title in persons:
            continue
        found.append((title, Span(start + m.start(1), start + m.end(1))))
    for m in _CALLED.finditer(window):
        found.append((m.group(1), Span(start + m.start(1), start + m.end(1))))
    for m in _POSSESSIVE_WORK.finditer(window):
        found.append((m.group(), Span(start + m.start(), start + m.end())))
    for m in _DETERMINED_WORK.finditer(window):
        phrase = (m.group(1) + m.group(2)).strip()
        if m.group(2).strip() or m.group(1) in {"testament", "memoirs", "diary", "autobiography", "theses"}:
            found.append((phrase, Span(start + m.start(1), start + m.start(1) + len(phrase))))
    for title in known:
        for m in re.finditer(r"(?<!\w)" + re.escape(title) + r"(?!\w)", window):
            found.append((title, Span(start + m.start(), start + m.end())))
    # longest first where two overlap, then in text order
    found.sort(key=lambda f: (f[1].start, -len(f[1])))
    kept: list[tuple[str, Span]] = []
    for work, span in found:
        if kept and kept[-1][1].overlaps(span):
            if len(span) > len(kept[-1][1]) and not kept[-1][1].contains(span):
                kept[-1] = (work, span)
            continue
        kept.append((work, span))
    return kept


def titles_called(text: str) -> list[Span]:
    """Where works are named by a title cue: "an interview called The Marshal Writes a Book"."""
    return [Span(m.start(1), m.end(1)) for m in _CALLED.finditer(text)]


def publications(text: str) -> set[str]:
    """Names the document itself presents as newspapers or journals ("the magazine X", "X [… paper]")."""
    names: set[str] = set()
    for pattern in _PUBLICATION_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            name = re.sub(r"^(?:The|A|An)\s+", "", name)
            if name and name.split()[0].lower() not in {"in", "on", "as", "it", "its", "this", "he", "she"}:
                names.add(name)
    return names
