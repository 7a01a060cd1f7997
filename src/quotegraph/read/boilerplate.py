"""Site chrome in scraped text — navigation, cookie notices, posting and credit lines — as spans.

Boilerplate is marked, never deleted: the stored text stays what the file holds, so every offset
keeps pointing at the same characters, and metadata (who posted it, when) can still be read from
the marked lines. Each span covers one line's content, without its line break or surrounding
white space. The rules are line patterns written for web-archive chrome in general; no library
does this for plain text (trafilatura and jusText need the HTML).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quotegraph.model import Span

_MAX_LINE = 300  # chrome lines are short; a longer line is prose whatever words it contains
_FLAGS = re.IGNORECASE


def _line(pattern: str) -> re.Pattern[str]:
    """A pattern that must match a whole (stripped) line, case-insensitively."""
    return re.compile(rf"(?:{pattern})\s*[:.!»›→>]?", _FLAGS)


# "Submitted by dalcassian on 11 August, 2013 - 8:51", "Posted by admin", "Posted on 3 May 2010 by X".
POSTED_BY = re.compile(
    r"(?:submitted|posted)\s+by\s+(?P<who>.{1,60}?)(?:\s+(?:on|at)\s+(?P<when>.{4,60}?))?\s*",
    _FLAGS,
)
POSTED_ON = re.compile(
    r"(?:submitted|posted)(?:\s+on|\s*:)\s+(?P<when>.{4,60}?)(?:\s+by\s+(?P<who>.{1,60}?))?\s*",
    _FLAGS,
)
# "Transcribed & marked up by X for the Y (Z).", "Transcription/Markup: X", "Proofread by X".
CREDIT = re.compile(
    r"(?:transcri(?:bed|ption)|(?:html\s+)?mark(?:ed)?[-\s]?up|proof-?read|scanned|digiti[sz]ed|"
    r"converted\s+to\s+\w+|ocr(?:ed)?)\b[^\n]*?(?:\bby\b|:)\s*(?P<who>[^\n]+)",
    _FLAGS,
)
# "Last updated: 23 October 2019", "This page was last modified on …", "Updated: 3 May 2010".
_UPDATED = re.compile(
    r"(?:(?:this\s+page\s+was\s+|page\s+)?last|page)\s+(?:updated|modified|edited|revised)\b[^\n]*\d[^\n]*|"
    r"updated(?:\s+on|\s*:)\s*[^\n]*\d[^\n]*",
    _FLAGS,
)
_COOKIE = re.compile(r"\bcookies?\b", _FLAGS)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:this|our)\s+(?:web\s*)?site\b|\bwe\s+use\b|\baccept|\bconsent|\bpreferences\b|\bprivacy\b|"
    r"\bbrowsing\b|\bexperience\b|\bsettings\b",
    _FLAGS,
)
_CONSENT = re.compile(
    r"by\s+(?:continuing|using|browsing|visiting|accessing)\b.*\b(?:site|website|service|page)\b",
    _FLAGS,
)
_POLICY = re.compile(
    r"\b(?:privacy\s+(?:policy|notice|statement)|cookie\s+policy|terms\s+of\s+(?:use|service)|"
    r"terms\s+(?:and|&)\s+conditions)\b",
    _FLAGS,
)
# Short lines that are nothing but a site's buttons and links.
_CHROME = tuple(
    _line(pattern)
    for pattern in (
        r"(?:add|post|leave|write|view|show|hide|read)\s+(?:a\s+|new\s+|your\s+|all\s+|\d+\s+)?"
        r"(?:comments?|repl(?:y|ies)|responses?)",
        r"log\s*-?\s*in\s+(?:or|to)\s+(?:register|post|comment|reply)[^\n]*",
        r"(?:\d+\s+|no\s+)?comments?(?:\s+yet)?",
        r"share(?:\s+this(?:\s+(?:article|page|post|story))?|\s+(?:on|via)\s+\w+(?:\s+\w+)?)?",
        r"print(?:\s+(?:this\s+)?(?:page|article|version))?|printer[-\s]friendly(?:\s+version)?",
        r"e-?mail\s+(?:this(?:\s+\w+)?|to\s+a\s+friend)",
        r"tweet|follow\s+us(?:\s+on\s+[\w\s,&]+)?",
        r"back\s+to\s+top|top\s+of\s+(?:the\s+)?page|skip\s+to\s+(?:main\s+)?content|jump\s+to\s+navigation",
        r"(?:main\s+)?menu|search(?:\s+(?:this|the)\s+site)?|navigation",
        r"read\s+more|continue\s+reading|(?:related|more)\s+(?:articles|posts|stories|content)",
        r"(?:tags?|categor(?:y|ies)|filed\s+under)\s*:[^\n]*",
        r"subscribe[^\n]*|sign\s+up\s+(?:for|to)\s+[^\n]*|donate(?:\s+now)?|support\s+us",
        r"(?:©|copyright\b|\(c\)\s*\d{4})[^\n]*|all\s+rights\s+reserved",
    )
)
_MENU_SEPARATORS = re.compile(r"\s*[|•·»›]\s*")
_SENTENCE_END = re.compile(r"[.!?;,]$")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line's content, white space at both ends excluded; blank lines skipped."""
    start = 0
    while start <= len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        line = text[start:end]
        stripped = line.strip()
        if stripped:
            left = start + len(line) - len(line.lstrip())
            yield left, left + len(stripped)
        if newline < 0:
            break
        start = newline + 1


def is_menu(line: str) -> bool:
    """'Home | About | Contact', 'Archive • Index • Main Page': several short items, no prose."""
    separators = _MENU_SEPARATORS.findall(line)
    if not separators or len(line) > 200:
        return False
    items = [item for item in _MENU_SEPARATORS.split(line) if item]
    needed = 2 if any("|" in separator for separator in separators) else 3
    return len(items) >= needed and all(
        len(item) <= 40 and len(item.split()) <= 6 and not _SENTENCE_END.search(item) for item in items
    )


def is_posting_line(line: str) -> bool:
    """'Submitted by X on DATE' and its kin; a date, when given, must contain a digit."""
    for pattern in (POSTED_BY, POSTED_ON):
        match = pattern.fullmatch(line)
        if match is None:
            continue
        who, when = match.group("who"), match.group("when")
        if who is not None and len(who.split()) > 5:
            continue
        if when is not None and not any(char.isdigit() for char in when):
            continue
        return True
    return False


def is_credit_line(line: str) -> bool:
    """'Transcribed & marked up by X for Y.': the credited name must look like a name (capitalised)."""
    match = CREDIT.match(line)
    return match is not None and len(line) <= 250 and match.group("who")[:1].isupper()


def is_boilerplate(line: str) -> bool:
    """Whether one stripped line is site chrome rather than part of the document."""
    if len(line) > _MAX_LINE:
        return False
    if (len(line) <= 120 and is_posting_line(line)) or is_menu(line) or is_credit_line(line):
        return True
    if len(line) <= 120 and _UPDATED.fullmatch(line):
        return True
    if len(line) <= 200 and _COOKIE.search(line) and _COOKIE_CONTEXT.search(line):
        return True
    if _CONSENT.match(line) or (len(line) <= 200 and _POLICY.search(line)):
        return True
    return len(line) <= 100 and any(pattern.fullmatch(line) for pattern in _CHROME)


def find_boilerplate(text: str) -> tuple[Span, ...]:
    """Spans of the boilerplate lines of ``text``, in order."""
    return tuple(Span(start, end) for start, end in iter_lines(text) if is_boilerplate(text[start:end]))
