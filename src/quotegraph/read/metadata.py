"""Bibliographic metadata mined from a scraped text's header and its boilerplate lines.

Web archives of political writing put the facts in a few conventional shapes: a byline, a title
line ("Author: Title [1956]"), a source line ("(Marxist Monthly, Vol. 1 No. 4, June 1988)",
"From The New International, Vol. XXII No. 1, Spring 1956, pp. 18–28."), an editor's note saying
where the piece "appeared", a posting line and a transcription credit. No library reads these, so
the rules below are hand-written, cautious patterns: a field is left empty rather than guessed.
Dates are parsed by small regexes for the few shapes these lines use (dateparser is not a
dependency, and is far too eager on prose).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace

from quotegraph.model import Metadata, Span
from quotegraph.read.boilerplate import (
    CREDIT,
    POSTED_BY,
    POSTED_ON,
    is_credit_line,
    is_posting_line,
    iter_lines,
)

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[0-9]\d\d|20\d\d)"
# Most specific first: at equal positions the earlier pattern wins.
_DATE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_YEAR}-(?P<mm>[01]\d)(?:-(?P<dd>[0-3]\d))?(?!\d)",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_MONTH},?\s+{_YEAR}\b",
        rf"\b(?:spring|summer|autumn|fall|winter)\s+{_YEAR}\b",
    )
)
_BARE_YEAR = re.compile(rf"\b{_YEAR}\b")


def _date_value(match: re.Match[str]) -> str | None:
    """ISO 8601 value of a date match, as precise as the match; None for an impossible date."""
    groups = match.groupdict()
    year = int(groups["year"])
    month_text = groups.get("month")
    if month_text is not None and not month_text[0].isupper():
        return None  # "may" the verb, not May the month
    if month_text is not None:
        month = _MONTHS[month_text[:3].lower()]
    elif groups.get("mm") is not None:
        month = int(groups["mm"])
    else:
        return f"{year:04d}"
    day_text = groups.get("day") or groups.get("dd")
    day = int(day_text) if day_text else None
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"


def find_date(text: str) -> str | None:
    """The first date written in ``text`` ("11 August, 2013", "March 9, 1956", "June 1988",
    "Spring 1956" → "1956"), as ISO 8601; a bare year does not count."""
    found: list[tuple[int, int, str]] = []
    for rank, pattern in enumerate(_DATE_PATTERNS):
        for match in pattern.finditer(text):
            value = _date_value(match)
            if value is not None:
                found.append((match.start(), rank, value))
                break
    return min(found)[2] if found else None


def parse_date(text: str) -> str | None:
    """A string that is only a date (bare years included, brackets and punctuation allowed)."""
    core = text.strip().strip("()[].,;: ")
    for pattern in (*_DATE_PATTERNS, _BARE_YEAR):
        match = pattern.fullmatch(core)
        if match is not None:
            return _date_value(match)
    return None


def _more_precise(first: str | None, second: str | None) -> str | None:
    """Keep ``first`` unless ``second`` says the same thing more precisely (1956 → 1956-03-09)."""
    if first is None:
        return second
    if second is not None and second.startswith(first) and len(second) > len(first):
        return second
    return first


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

_PARTICLES = {"de", "van", "von", "der", "den", "du", "la", "le", "da", "di", "del", "della", "bin", "ibn"}
# Words that make a short capitalised line a title or a heading rather than a person's name.
_NOT_IN_NAMES = frozenset(
    str.split(
        """
    the a an of and or in on at to for from with against by about after before how why what who
    whom when where which is are was were be not no our their his her its my your this that these
    those as but if into over under all new
    party union revolution congress committee international archive archives index page note notes
    introduction introductory contents chapter part appendix review monthly weekly daily socialist
    communist workers worker news press magazine journal bulletin letter letters speech report
    marxism stalinism trotskyism democracy comments comment home about contact menu search main
    preface foreword editorial section volume years ago issue transcript interview library
    """
    )
)
_INITIAL = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
_NAME_CHARS = re.compile(r"[^\W\d_](?:[^\W\d_]|[’'.-])*")


def person_name(text: str) -> str | None:
    """``text`` if it is shaped like a person's name ("Gerry Healy", "J. P. Cannon",
    "Einde O’Callaghan"): two to five capitalised tokens, no title words, no digits."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or _INITIAL.fullmatch(tokens[-1]):
        return None
    for index, token in enumerate(tokens):
        if (token.lower() in _PARTICLES and 0 < index < len(tokens) - 1) or _INITIAL.fullmatch(token):
            continue
        if token.lower().strip(".") in _NOT_IN_NAMES:
            return None
        if not (_NAME_CHARS.fullmatch(token) and token[0].isupper()):
            return None
    return " ".join(tokens)


_BY = re.compile(r"(?:by|written\s+by)\s+(?P<names>.+)", re.IGNORECASE)
_NAME_LIST = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def byline(text: str) -> tuple[str, ...]:
    """The authors a byline names: "Albert Gates", "By A. Smith and B. Jones"; () if not a byline."""
    by = _BY.fullmatch(text.strip())
    if by is not None:
        names = [person_name(part) for part in _NAME_LIST.split(by.group("names").rstrip("."))]
        return tuple(name for name in names if name) if all(names) else ()
    name = person_name(text)
    return (name,) if name else ()


def _cut_name(text: str) -> str | None:
    """The name at the start of ``text`` ("Einde O’Callaghan for the …" → "Einde O’Callaghan")."""
    text = re.split(r"\s+(?:for|from|at|of|in|on)\s+|\s*[,;(]|(?<=[a-z]{2})\.(?:\s|$)", text, maxsplit=1)[0]
    text = text.strip(" .")
    return text if text and text[0].isupper() and len(text.split()) <= 8 else None


# ---------------------------------------------------------------------------------------------
# Header lines
# ---------------------------------------------------------------------------------------------

_HEADER_LINES = 15  # a header longer than this is not a header
_HEADING = re.compile(
    r"(?:(?:introductory|editor['’]?s|editorial|translator['’]?s|publisher['’]?s)\s+note|introduction|"
    r"preface|foreword|note)(?:\s+by\s+(?P<by>.+?))?\s*[:.]?",
    re.IGNORECASE,
)
_EDITED_BY = re.compile(r"(?:edited|introduced|introduction)\s+by\s+(?P<by>.+?)\.?", re.IGNORECASE)
_SOURCE_PREFIX = re.compile(
    r"(?:from|source|first\s+published(?:\s+in)?|originally\s+published\s+in|published\s+in|"
    r"reprinted\s+from|appeared\s+in)\s*:?\s+(?P<body>.+)",
    re.IGNORECASE,
)
_PARENTHESISED = re.compile(r"\((?P<body>[^()]+)\)\.?")
_VOLUME = re.compile(r"\bvol(?:ume)?\.?\s*(?P<value>[IVXLCDM]+\b|\d+)", re.IGNORECASE)
_ISSUE = re.compile(r"\b(?:nos?|number|issue)\.?\s*(?P<value>\d+(?:\s*[-–/&]\s*\d+)?)", re.IGNORECASE)
_PAGES = re.compile(r"\bpp?\.\s*(?P<value>\d+(?:\s*[-–]\s*\d+)?)")
_BRACKETED_YEAR = re.compile(rf"\s*[\[(]{_YEAR}[\])]\s*$")
_OPENING_QUOTE = tuple("“‘\"'«„")


@dataclass(frozen=True, slots=True)
class SourceLine:
    """What a source line ("(Marxist Monthly, Vol. 1 No. 4, June 1988)") says."""

    publication: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    published: str | None = None


def parse_source_line(line: str) -> SourceLine | None:
    """A line naming where the text was first published, or None when ``line`` is something else.

    It must carry a volume, an issue, pages or a date, so that "(Applause)" or "From the start …"
    are not taken for one.
    """
    if len(line) > 200:
        return None
    match = _PARENTHESISED.fullmatch(line) or _SOURCE_PREFIX.fullmatch(line)
    if match is None:
        return None
    body = match.group("body").strip().rstrip(".")
    volume, issue, pages = (
        (found.group("value") if (found := pattern.search(body)) else None) for pattern in (_VOLUME, _ISSUE, _PAGES)
    )
    published = find_date(body) or parse_date(body.split(",")[-1])
    if not (volume or issue or pages or published):
        return None
    publication = None
    first = body.split(",")[0].strip().strip('*_"“”')
    if (
        first[:1].isupper()
        and parse_date(first) is None
        and find_date(first) is None
        and not any(pattern.match(first) for pattern in (_VOLUME, _ISSUE, _PAGES))
    ):
        publication = _VOLUME.split(first)[0].strip() or None
    return SourceLine(publication, volume, issue, pages, published)


def _title_case(line: str) -> bool:
    """Most longer words capitalised: a title or subtitle, not a sentence."""
    words = [word for word in re.findall(r"[^\W\d_]+", line) if len(word) >= 4]
    return bool(words) and sum(word[0].isupper() for word in words) * 3 >= len(words) * 2


# "This article … appeared in the March 9, 1956, issue of Tribune", "It was first published in
# Labour Review in June 1957": an editor's note telling where the piece first appeared.
_PUBLICATION_NAME = r"(?:the\s+)?(?P<pub>[A-Z][\w’'&-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w’'&-]*){0,5})"
_APPEARED = (
    re.compile(
        r"\b(?:appeared|(?:was\s+)?(?:first\s+)?(?:published|printed))\s+in\s+(?:the\s+)?"
        rf"(?P<date>[^.;]{{3,30}}?),?\s+(?:issue|number|edition)\s+of\s+{_PUBLICATION_NAME}"
    ),
    re.compile(
        r"\b(?:appeared|(?:was\s+)?(?:first\s+)?(?:published|printed))\s+in\s+"
        rf"{_PUBLICATION_NAME}(?:,|\s+(?:on|in|of))?\s+(?:the\s+)?(?P<date>[^.;]{{3,30}})"
    ),
)
_THIS_TEXT = re.compile(
    r"\b(?:this|the\s+following)\s+(?:article|piece|text|essay|speech|pamphlet|review|letter|report|"
    r"document|interview|statement|talk|lecture|editorial|column)\b|^It\b",
    re.IGNORECASE,
)
# "… for the Encyclopaedia of Trotskyism On-Line (ETOL)." at the end of a transcription credit.
_CREDITED_SITE = re.compile(r"\bfor\s+(?:the\s+)?(?P<site>[A-Z][^()\n]*?)\s*(?:\([^)]*\))?\s*\.?$")
_NOTE_WINDOW = 3000  # characters after the header in which an editor's note is looked for


def _appeared_in(text: str) -> tuple[str | None, str | None]:
    """(publication, date) from an editor's "this article appeared in … issue of X" sentence."""
    for paragraph in text.split("\n\n"):
        for pattern in _APPEARED:
            for match in pattern.finditer(paragraph):
                full_stop = paragraph.rfind(". ", 0, match.start())
                sentence_start = full_stop + 2 if full_stop >= 0 else 0
                if not _THIS_TEXT.search(paragraph[sentence_start : match.start()].strip()):
                    continue
                date = find_date(match.group("date"))
                if date is not None:
                    return match.group("pub"), date
    return None, None


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str
    block: int  # lines with only line breaks (no blank line) between them share a block
    boilerplate: bool


def _lines(text: str, boilerplate: Sequence[Span]) -> list[_Line]:
    marked = {(span.start, span.end) for span in boilerplate}
    lines: list[_Line] = []
    block, previous_end = 0, None
    for start, end in iter_lines(text):
        if previous_end is not None and text.count("\n", previous_end, start) > 1:
            block += 1
        lines.append(_Line(start, end, text[start:end], block, (start, end) in marked))
        previous_end = end
    return lines


def _editor(lines: Sequence[_Line], heading_index: int) -> str | None:
    """The short name that signs the note opened by the heading at ``heading_index``."""
    by = _HEADING.fullmatch(lines[heading_index].text)
    if by is not None and by.group("by"):
        return person_name(by.group("by"))
    for line in lines[heading_index + 1 : heading_index + 9]:
        if line.boilerplate:
            continue
        signature = line.text.lstrip("—–- ").rstrip(".")
        if len(signature) <= 40 and person_name(signature):
            return signature
    return None


@dataclass(slots=True)
class _Header:
    """What the lines above the body say, collected while scanning them."""

    titles: list[int] = field(default_factory=list)  # indexes of title-like lines
    authors: tuple[str, ...] = ()
    source: SourceLine = field(default_factory=SourceLine)
    dated: str | None = None  # from a date-only line such as "(Spring 1956)"
    editor: str | None = None
    end: int = 0  # index of the first line of the body


def _is_title_like(line: _Line, block_size: int) -> bool:
    """Short, on a line of its own (or of two), not a quotation, not a sentence."""
    return (
        len(line.text) <= 150
        and block_size <= 2
        and not line.text.startswith(_OPENING_QUOTE)
        and (not line.text.endswith(".") or len(line.text) <= 60)
    )


def _scan_header(lines: Sequence[_Line]) -> _Header:
    """Classify the lines above the body: byline, title, source line, date, note heading."""
    header = _Header(end=len(lines))
    block_sizes = Counter(line.block for line in lines if not line.boilerplate)
    seen = 0
    for index, line in enumerate(lines):
        if line.boilerplate:
            continue
        seen += 1
        if seen > _HEADER_LINES:
            header.end = index
            break
        if _HEADING.fullmatch(line.text):  # an editor's note begins the body
            header.editor = _editor(lines, index)
            header.end = index
            break
        if (edited := _EDITED_BY.fullmatch(line.text)) is not None:
            header.editor = header.editor or person_name(edited.group("by"))
        elif (source := parse_source_line(line.text)) is not None:
            if source.publication and header.source.publication is None:
                header.source = source
            else:
                header.dated = header.dated or source.published
        elif (date := parse_date(line.text)) is not None:
            header.dated = header.dated or date
        elif not header.authors and len(line.text) <= 60 and (names := byline(line.text)):
            header.authors = names
        elif _is_title_like(line, block_sizes[line.block]):
            header.titles.append(index)
        else:
            header.end = index
            break
    return header


def _title(text: str, lines: Sequence[_Line], header: _Header) -> tuple[str | None, tuple[str, ...], str | None]:
    """(title, authors, bracketed year) from the first title line, and a subtitle right under it.

    "Gerry Healy: After … [1956]" gives the title "After …", the author Gerry Healy and the year
    1956 — the prefix only when it is shaped like a name and something supports it (the archive's
    "[year]" convention, or the name recurring in the text), so "Stalin Goes: …" stays a title.
    """
    if not header.titles:
        return None, header.authors, None
    first = lines[header.titles[0]]
    title, authors, year = first.text, header.authors, None
    bracketed = _BRACKETED_YEAR.search(title)
    if bracketed is not None:
        year, title = bracketed.group("year"), title[: bracketed.start()]
    prefix, colon, rest = title.partition(": ")
    elsewhere = text[: first.start] + text[first.end :]
    if colon and rest and person_name(prefix) and (year or prefix in elsewhere):
        authors = authors or (prefix,)
        title = rest
    if len(header.titles) > 1 and header.titles[1] == header.titles[0] + 1:
        subtitle = lines[header.titles[1]].text
        if _title_case(title) and _title_case(subtitle) and not subtitle.endswith("."):
            joint = " " if title.endswith(("?", "!", ".", ":")) else ". "
            title = f"{title}{joint}{subtitle}"
    return title.strip() or None, authors, year


def _credits(lines: Sequence[_Line]) -> tuple[str | None, str | None, str | None, str | None]:
    """(posted, poster, transcriber, archive) from the posting and transcription lines."""
    posted = poster = transcriber = archive = None
    for line in lines:
        if not line.boilerplate:
            continue
        if poster is None and posted is None and is_posting_line(line.text):
            match = POSTED_BY.fullmatch(line.text) or POSTED_ON.fullmatch(line.text)
            if match is not None:
                poster = match.group("who").strip() if match.group("who") else None
                posted = find_date(match.group("when")) if match.group("when") else None
        elif transcriber is None and is_credit_line(line.text):
            credit = CREDIT.match(line.text)
            if credit is not None:
                transcriber = _cut_name(credit.group("who"))
                site = _CREDITED_SITE.search(line.text)
                archive = site.group("site") if site else None
    return posted, poster, transcriber, archive


def mine(text: str, boilerplate: Sequence[Span] = ()) -> Metadata:
    """Metadata from a plain text: its header lines, its editor's note and its boilerplate lines."""
    lines = _lines(text, boilerplate)
    header = _scan_header(lines)
    title, authors, title_year = _title(text, lines, header)
    body = text[lines[header.end].start :] if header.end < len(lines) else ""
    note_publication, note_date = _appeared_in(body[:_NOTE_WINDOW])
    posted, poster, transcriber, archive = _credits(lines)
    # The most authoritative date first; a later one only where it says the same more precisely.
    published = header.source.published or note_date or header.dated or title_year
    for candidate in (note_date, header.dated, title_year):
        published = _more_precise(published, candidate)
    return Metadata(
        title=title,
        authors=authors,
        publication=header.source.publication or note_publication,
        volume=header.source.volume,
        issue=header.source.issue,
        pages=header.source.pages,
        published=published,
        posted=posted,
        poster=poster,
        editor=header.editor,
        transcriber=transcriber,
        archive=archive,
        boilerplate=tuple(boilerplate),
    )


def merge(primary: Metadata, secondary: Metadata) -> Metadata:
    """``primary``'s fields, each empty one filled from ``secondary``."""
    filled = {
        name: getattr(secondary, name)
        for name in (each.name for each in fields(Metadata))
        if not getattr(primary, name) and getattr(secondary, name)
    }
    return replace(primary, **filled)
