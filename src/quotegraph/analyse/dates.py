"""Dates: every expression of a point or span in time, with its ISO 8601 value (docs/gold-format.md).

A finder of our own rather than ``dateparser.search_dates`` (which reports "we", "now", "may") or
spaCy (too slow to run just for this, and its DATE entities mix in durations and deictic words):
regular expressions propose spans, a longest-match pass keeps one reading per stretch of text, and
a single walk in reading order gives every span its value. That walk carries the narrative: the
date the text has got to (for "a month later", "the preceding year") and the year a bare "April 17"
belongs to. Everything here is pure and works on the stored text without normalising it, so
``text[start:end] == DateRef.text`` always holds.

Conventions the gold does not fix, chosen here and kept throughout:
- a season with a year is the meteorological (northern) season as a month range: "Spring 1956" →
  ``1956-03/1956-05``, "Winter 1956" → ``1956-12/1957-02``;
- a decade is a year range ("the thirties" → ``1930/1939``); a word decade takes the latest century
  not after the document's date (the twentieth when the document date is unknown);
- centuries ("the 20th century") and bare month names not governed by a preposition are not dates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from quotegraph.model import DateRef, Span

__all__ = ["find_dates"]

# --- calendar points --------------------------------------------------------------------------

YEAR, MONTH, DAY = 1, 2, 3  # precisions


@dataclass(frozen=True, slots=True)
class _When:
    """A calendar point known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def key(self) -> tuple[int, int, int]:
        """For comparisons: an unknown month or day sorts first."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def precision(self) -> int:
        return YEAR if self.month is None else MONTH if self.day is None else DAY

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def cut(self, precision: int) -> _When:
        """The same point told less precisely."""
        return _When(
            self.year,
            self.month if precision >= MONTH else None,
            self.day if precision >= DAY and self.month is not None else None,
        )

    def shift(self, months: int = 0, days: int = 0, precision: int = DAY) -> _When | None:
        """Move by whole months and days; the result is no more precise than this point or ``precision``.

        An unknown month or day counts as the middle of the year or month, so "1953 … a month
        earlier" stays in 1953 (hand-written: dateutil's relativedelta would do the arithmetic, not
        the precision bookkeeping).
        """
        m = self.month if self.month is not None else 7
        d = self.day if self.day is not None else (15 if self.month is not None else 1)
        total = self.year * 12 + (m - 1) + months
        y, m = divmod(total, 12)
        m += 1
        if not 1 <= y <= 9999:
            return None
        d = min(d, calendar.monthrange(y, m)[1])
        try:
            moved = date(y, m, d) + timedelta(days=days)
        except (OverflowError, ValueError):
            return None
        return _When(moved.year, moved.month, moved.day).cut(min(precision, self.precision))


def _valid(y: int, m: int | None, d: int | None) -> _When | None:
    if not 1 <= y <= 9999 or (m is not None and not 1 <= m <= 12):
        return None
    if d is not None and (m is None or not 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return _When(y, m, d)


def _range(a: _When | None, b: _When | None) -> str | None:
    if a is None or b is None:
        return None
    return a.iso() if a == b else f"{a.iso()}/{b.iso()}"


def _parse_iso(value: str | None) -> _When | None:
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value or "")
    if not m:
        return None
    return _valid(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)


# --- vocabulary -------------------------------------------------------------------------------

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Full names, or an abbreviation with its full stop or glued to the number that follows it.
_MON = rf"(?P<mon>(?:{_FULL_MONTHS})\.?|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s*\d)))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_Y4 = r"(?:1\d{3}|20\d{2}|2100)"
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"(?:\s*,\s*|\s+)"
_TO = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+)"


def _words(line: str) -> list[str]:
    return line.split()


_NUMBERS = {
    w: i
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen"
        )
    )
}
_NUMBERS.update(
    {w: 10 * (i + 2) for i, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))}
)
_NUMWORD = "|".join(sorted(_NUMBERS, key=len, reverse=True)) + "|hundred"
# A written quantity: digits, number words ("thirty-three"), "a couple of", "half a". No vague ones
# ("a few", "several", "many"): those give no value, and the gold does not annotate them.
_QTY = (
    rf"(?:\d{{1,4}}|a\s+couple\s+of|a\s+dozen|half\s+an?|a\s+quarter\s+of\s+an?|"
    rf"(?:{_NUMWORD})(?:(?:\s+|-)(?:{_NUMWORD}))*|an?)"
)
_UNIT = r"(?P<unit>days?|weeks?|fortnights?|months?|years?|decades?|century|centuries)"
_UNIT_MONTHS = {"year": 12, "decade": 120, "century": 1200, "centurie": 1200, "month": 1}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_DECADES = {
    w: 10 * (i + 2)
    for i, w in enumerate(_words("twenties thirties forties fifties sixties seventies eighties nineties"))
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}

# Words before a number that make it a page, an issue or an amount, not a year.
_NOT_YEAR_BEFORE = re.compile(
    r"(?:\b(?:p|pp|pg|page|pages|no|nos|vol|vols|volume|number|nr|chapter|chap|ch|art|article|para|paragraph|fig|"
    r"figure|table|line|lines|verse|section|sec|op|opus|col|cols|room|box|tel|phone|fax|code)\.?\s*|[#$£€]\s*)$",
    re.IGNORECASE,
)
_COUNTED = re.compile(
    r"\s*(?:%|per\s?cent\b|percent\b|(?:people|men|women|workers|members|delegates|persons|copies|votes|troops|soldiers|"
    r"dollars|pounds|roubles|rubles|francs|marks|km|kilometres|kilometers|miles|metres|meters|feet|tons|tonnes|pages|"
    r"words|hours|minutes|seconds|days|weeks|months|years|times|cases|victims|prisoners|families|villages|strong|"
    r"BC|BCE|B\.C\.|AD|A\.D\.|CE)\b)",
)
_QUANTITY_BEFORE = re.compile(
    r"\b(?:about|some|nearly|almost|approximately|roughly|than|exactly|only|just|all|these|those|another)\s+$", re.I
)
_PLURAL_AFTER = re.compile(r"\s+[a-z]+s\b")
# A number in a year's place: after a preposition that governs years, or alone in brackets.
_YEAR_SLOT = re.compile(
    r"(?:\b(?:in|since|of|until|till|by|from|to|during|before|after|around|circa|c\.|year|spring|summer|autumn|"
    r"winter|early|late|mid-?)\s*|\(\s*)$",
    re.IGNORECASE,
)
_YEAR_SLOT_AFTER = re.compile(r"\s*(?:$|[.,;:!?)\]—–]|\s(?:and|or|when|where|while|[A-Z]))")
# The rest of a clause that brings a "…later" back to the writer's own present ("has been entered").
_PRESENT = re.compile(
    r"\b(?:has|have)\s+(?:now\s+|just\s+|finally\s+|at\s+last\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ne|ght)\b|"
    r"\b(?:is|are)\s+now\b|\btoday\b",
    re.IGNORECASE,
)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:his|her|their|my|our|your|its|one[’']s)\s+(?:early\s+|mid-?|late\s+)?$", re.I)
# Verbs and prepositions that make "<n> <units> before/after …" a length of time, not a date.
_DURATION_BEFORE = re.compile(
    r"\b(?:for|over|during|within|throughout|of|last(?:s|ed)?|t(?:ake|akes|ook|aken)|sp(?:end|ends|ent)|"
    r"requir(?:e|es|ed)|need(?:s|ed)?|wait(?:s|ed)?)\s+$",
    re.IGNORECASE,
)
_NP_WORD = re.compile(r"[ \t]+([a-z][\w-]*)")
_NP_STOP = frozenset(
    _words(
        "and or but nor was were is are be been had has have will would could should may might must when which that "
        "who whom whose where while in on at to for with by from as of than then so if because he she it we they "
        "i you him them us me this these those there here not"
    )
)


# --- hits -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Out:
    value: str | None
    typo: bool = False
    point: _When | None = None  # where the narrative is after this mention
    anchors_partial: bool = True  # may lend its year to a later "April 17"
    named: bool = False  # a date the text names (not a relative one): what an apposition can restate


@dataclass
class _Ctx:
    """What a value may depend on: the document's date and the narrative so far."""

    text: str
    doc: _When | None
    years: tuple[int, ...] = ()
    explicit: dict[int, _When] = field(default_factory=dict)  # start → point, for "three days after <date>"
    lives: dict[tuple[str, str], _When] = field(default_factory=dict)  # (name, "death"|"birth") → point
    last: _When | None = None
    prev_end: int = -1
    current_start: int = 0  # start of the mention being valued
    prev_point: _When | None = None
    prev_named: bool = False
    by_precision: dict[int, int] = field(default_factory=dict)  # precision → year of the latest such mention

    def narrative(self) -> _When | None:
        return self.last

    def year_for(self, precision: int) -> int | None:
        """The year of a month or day written without one: the latest earlier date at least as precise,
        else the document's year, else the latest year mentioned."""
        if precision in self.by_precision:
            return self.by_precision[precision]
        if self.doc is not None:
            return self.doc.year
        return self.last.year if self.last is not None else None

    def appositive(self, start: int) -> _When | None:
        """The named date this expression restates ("January 4, 1923, a couple of weeks later")."""
        if self.prev_point is None or not self.prev_named or self.prev_end < 0 or start - self.prev_end > 4:
            return None
        return self.prev_point if re.fullmatch(r"\s*[,–—(-]?\s*", self.text[self.prev_end : start]) else None

    def record(self, start: int, end: int, out: _Out) -> None:
        p = out.point
        self.prev_end, self.prev_point, self.prev_named = end, p, out.named
        if p is None or (self.doc is not None and p.cut(self.doc.precision).key > self.doc.key):
            return  # a date after the document's own (a posting date) does not carry its narrative
        self.last = p
        if out.anchors_partial:
            for prec in range(YEAR, p.precision + 1):
                self.by_precision[prec] = p.year


Resolver = Callable[[_Ctx], _Out | None]


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    rank: int  # among spans of equal length, the lower rank wins
    resolve: Resolver
    fixed: _When | None = None  # the point an explicit date names, known without context


def _fixed(point: _When | None, value: str | None = None, anchors: bool = True) -> Resolver:
    def resolve(ctx: _Ctx) -> _Out:
        iso = value if value is not None else (point.iso() if point else None)
        return _Out(iso, point=point, anchors_partial=anchors, named=True)

    return resolve


def _month_ok(m: re.Match[str]) -> int | None:
    """Month number, if the name is written as a name (capitalised): "march" and "may" are words."""
    name = m["mon"].rstrip(".")
    if not (name[0].isupper() and (name[1:].islower() or name.isupper())):
        return None
    return _MONTHS.get(name.lower())


# --- explicit dates ---------------------------------------------------------------------------

_P_FULL_MDY = re.compile(
    rf"(?<![\w])(?:{_WEEKDAY},?\s+)?{_MON}\s*(?P<d>\d{{1,2}}){_ORD}{_SEP}(?P<y>{_Y4})(?![\d])", re.IGNORECASE
)
_P_FULL_DMY = re.compile(
    rf"(?<![\w.,])(?:{_WEEKDAY},?\s+)?(?P<d>\d{{1,2}}){_ORD}\s*(?:of\s+)?{_MON}{_SEP}(?P<y>{_Y4})(?![\d])",
    re.IGNORECASE,
)
_P_ISO = re.compile(r"(?<![\w./-])(?P<y>1\d{3}|20\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/-])")
_P_MON_YEAR = re.compile(rf"(?<![\w]){_MON}(?:\s*,\s*|\s*|\s+of\s+)(?P<y>{_Y4})(?![\d])", re.IGNORECASE)
_P_MON_DAY = re.compile(rf"(?<![\w]){_MON}\s*(?P<d>\d{{1,2}}){_ORD}(?![\w])(?!\s*[,.]?\d)", re.IGNORECASE)
_P_DAY_MON = re.compile(rf"(?<![\w.,])(?P<d>\d{{1,2}}){_ORD}\s*(?:of\s+)?{_MON}(?![\w])", re.IGNORECASE)
_P_DAYS_MON = re.compile(
    rf"(?<![\w.,])(?P<d1>\d{{1,2}}){_ORD}{_TO}(?P<d2>\d{{1,2}}){_ORD}\s*(?:of\s+)?{_MON}"
    rf"(?:{_SEP}(?P<y>{_Y4})(?!\d))?(?![\w])",
    re.IGNORECASE,
)
_P_MON_DAYS = re.compile(
    rf"(?<![\w]){_MON}\s*(?P<d1>\d{{1,2}}){_ORD}{_TO}(?P<d2>\d{{1,2}}){_ORD}(?:{_SEP}(?P<y>{_Y4}))?(?![\w])(?!\s*\d)",
    re.IGNORECASE,
)
# A month alone is a date only where a preposition governs it ("By October"), and not as the name
# of an event ("the October Revolution", "Lessons of October": "of" is left out on purpose).
_P_MONTH_ALONE = re.compile(
    rf"\b(?i:in|by|since|until|till|from|during|through|early|late|mid-)\s*(?P<mon>{_FULL_MONTHS})(?![\w-])(?!\s+[A-Z])"
)
_P_SEASON = re.compile(
    r"(?<![\w])(?P<season>Spring|Summer|Autumn|Fall|Winter|spring|summer|autumn|fall|winter|SPRING|SUMMER|AUTUMN|"
    rf"WINTER)(?:\s*,\s*|\s+|\s+of\s+)(?P<y>{_Y4})(?![\d])"
)
_P_DECADE = re.compile(r"(?<![\w’'])(?P<c>1\d|20)(?P<d>\d)0(?:’|')?s(?![\w])")
_P_DECADE_SHORT = re.compile(r"(?<=\b[Tt]he )(?:’|')?(?P<d>[1-9])0(?:’|')?s(?![\w])")
_P_DECADE_WORD = re.compile(
    r"(?<![\w])(?:(?P<the>the)\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?:(?P<cent>nineteen|twenty)[\s-]+)?"
    r"(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)(?![\w])",
    re.IGNORECASE,
)
_P_YEAR_RANGE = re.compile(rf"(?<![\w.,/-])(?P<y1>{_Y4})\s*(?:-|–|—|/)\s*(?P<y2>\d{{4}}|\d{{2}})(?![\w/-]|[.,]\d)")
_P_YEAR_TO = re.compile(rf"(?<![\w.,/-])(?P<y1>{_Y4})\s+(?:to|until|till|through|thru)\s+(?P<y2>{_Y4})(?![\w-]|[.,]\d)")
_P_NUMBER4 = re.compile(r"(?<![\w.,/:$£€#])(?P<y>\d{4})(?![\w/:]|[.,]\d|-\d)")


# Each pattern is tried only near a word it cannot match without (a month name, "ago", a unit …):
# the same matches as a scan of the whole text (look-behinds still see the text before a window),
# at a fraction of the cost. Triggers are found with ``str.find`` on an ASCII-lower-cased copy of
# the text (same length, so offsets hold); ``before``/``after`` bound a match's reach from them.
@dataclass(frozen=True, slots=True)
class _Trigger:
    stems: tuple[str, ...]
    word_start: bool = True  # the stem begins a word ("mar" in "March", not in "summary")
    word_end: bool = False  # the stem ends a word ("ties" in "thirties")


_T_MONTH = _Trigger(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
_T_SEASON = _Trigger(("spring", "summer", "autumn", "fall", "winter"))
_T_DECADE = _Trigger(("ties",), word_start=False, word_end=True)
_T_DIRECTION = _Trigger(
    ("ago", "later", "earlier", "afterward", "hence", "now", "before", "after", "on"), word_start=True, word_end=True
)
_T_UNIT = _Trigger(
    ("day", "week", "fortnight", "month", "year", "decade", "centur", *_SEASONS, *_FULL_MONTHS.lower().split("|"))
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Scanner:
    """One text and the windows its triggers open."""

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()  # fast, and almost always the same length; else the slower exact one
        self.low = low if len(low) == len(text) else text.translate(_ASCII_LOWER)
        self._windows: dict[tuple[_Trigger, int, int], list[tuple[int, int]]] = {}

    def _triggers(self, trigger: _Trigger) -> list[tuple[int, int]]:
        low, n = self.low, len(self.low)
        found: list[tuple[int, int]] = []
        for stem in trigger.stems:
            i = low.find(stem)
            while i >= 0:
                j = i + len(stem)
                if (not trigger.word_start or i == 0 or not low[i - 1].isalnum()) and (
                    not trigger.word_end or j == n or not low[j].isalnum()
                ):
                    found.append((i, j))
                i = low.find(stem, i + 1)
        return sorted(found)

    def scan(self, pat: re.Pattern[str], trigger: _Trigger, before: int, after: int) -> list[re.Match[str]]:
        key = (trigger, before, after)
        if key not in self._windows:
            spans: list[tuple[int, int]] = []
            for i, j in self._triggers(trigger):
                lo, hi = max(0, i - before), min(len(self.text), j + after)
                if spans and lo <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
                else:
                    spans.append((lo, hi))
            self._windows[key] = spans
        seen: set[tuple[int, int]] = set()
        out: list[re.Match[str]] = []
        for lo, hi in self._windows[key]:
            for m in pat.finditer(self.text, lo, hi):
                if m.span() not in seen:
                    seen.add(m.span())
                    out.append(m)
        return out


def _explicit(sc: _Scanner) -> list[_Hit]:
    """Dates that name their own calendar position, fully or all but the year."""
    text = sc.text
    hits: list[_Hit] = []

    def months(pat: re.Pattern[str]) -> list[re.Match[str]]:
        return sc.scan(pat, _T_MONTH, 50, 50)

    def add(m: re.Match[str], rank: int, resolve: Resolver, fixed: _When | None = None) -> None:
        hits.append(_Hit(m.start(), m.end(), rank, resolve, fixed))

    for pat in (_P_FULL_MDY, _P_FULL_DMY):
        for m in months(pat):
            mon = _month_ok(m)
            if mon and 1 <= int(m["d"]) <= 31:
                p = _valid(int(m["y"]), mon, int(m["d"]))  # "February 30, 1956" is one span with no value
                add(m, 0, _fixed(p), p)
    for m in _P_ISO.finditer(text):
        p = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if p is not None:
            add(m, 0, _fixed(p), p)
    for m in months(_P_MON_YEAR):
        mon = _month_ok(m)
        if mon:
            p = _When(int(m["y"]), mon)
            add(m, 1, _fixed(p), p)
    for pat in (_P_DAYS_MON, _P_MON_DAYS):
        for m in months(pat):
            mon = _month_ok(m)
            d1, d2 = int(m["d1"]), int(m["d2"])
            if mon and 1 <= d1 < d2 <= 31:
                hits.append(_Hit(m.start(), m.end(), 1, _day_range(mon, d1, d2, int(m["y"]) if m["y"] else None)))
    for pat in (_P_MON_DAY, _P_DAY_MON):
        for m in months(pat):
            mon = _month_ok(m)
            if mon and 1 <= int(m["d"]) <= 31:
                add(m, 2, _partial(mon, int(m["d"])))
    for m in sc.scan(_P_MONTH_ALONE, _T_MONTH, 12, 12):
        hits.append(_Hit(m.start("mon"), m.end("mon"), 3, _partial(_MONTHS[m["mon"].lower()], None)))
    for m in sc.scan(_P_SEASON, _T_SEASON, 2, 20):
        a, b = _SEASONS[m["season"].lower()]
        y = int(m["y"])
        first = _When(y, a)
        last = _When(y + (b - 1) // 12, (b - 1) % 12 + 1)
        add(m, 1, _fixed(first, _range(first, last)), first)
    hits += _decades(sc)
    hits += _year_ranges(text)
    hits += _years(text)
    return hits


def _day_range(mon: int, d1: int, d2: int, year: int | None) -> Resolver:
    def resolve(ctx: _Ctx) -> _Out | None:
        y = year if year is not None else ctx.year_for(DAY)
        if y is None:
            return _Out(None)
        a, b = _valid(y, mon, d1), _valid(y, mon, d2)
        return _Out(_range(a, b), point=a, named=True)

    return resolve


def _partial(mon: int, day: int | None) -> Resolver:
    """ "April 17", "By October": the year comes from the narrative (see ``_Ctx.year_for``)."""

    def resolve(ctx: _Ctx) -> _Out | None:
        y = ctx.year_for(DAY if day is not None else MONTH)
        p = _valid(y, mon, day) if y is not None else None
        return _Out(p.iso() if p else None, point=p, named=True)

    return resolve


def _decades(sc: _Scanner) -> list[_Hit]:
    text = sc.text
    hits: list[_Hit] = []
    for m in _P_DECADE.finditer(text):
        start = int(m["c"] + m["d"] + "0")
        p = _When(start)
        hits.append(_Hit(m.start(), m.end(), 1, _fixed(p, f"{start}/{start + 9}", anchors=False)))
    for m in _P_DECADE_SHORT.finditer(text):
        hits.append(_Hit(m.start(), m.end(), 1, _word_decade(10 * int(m["d"]), None)))
    for m in sc.scan(_P_DECADE_WORD, _T_DECADE, 40, 0):
        before = text[max(0, m.start() - 40) : m.start()]
        coordinated = re.search(r"(?:ies|0s|0’s|0's)(?:,\s*|\s+(?:and|or|to|through|into)\s+|\s*[-–—]\s*)$", before)
        if not (m["the"] or m["cent"] or coordinated) or (not m["the"] and _POSSESSIVE_BEFORE.search(before)):
            continue
        century = {"nineteen": 1900, "twenty": 2000}.get((m["cent"] or "").lower())
        hits.append(_Hit(m.start(), m.end(), 1, _word_decade(_DECADES[m["w"].lower()], century)))
    return hits


def _word_decade(tens: int, century: int | None) -> Resolver:
    def resolve(ctx: _Ctx) -> _Out:
        c = century
        if c is None:
            ref = ctx.doc.year if ctx.doc else 1999
            c = ref // 100 * 100
            if c + tens > ref:
                c -= 100
        return _Out(f"{c + tens}/{c + tens + 9}", point=_When(c + tens), anchors_partial=False, named=True)

    return resolve


def _year_ranges(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for pat in (_P_YEAR_RANGE, _P_YEAR_TO):
        for m in pat.finditer(text):
            y1, raw = int(m["y1"]), m["y2"]
            y2 = y1 // 100 * 100 + int(raw) if len(raw) == 2 else int(raw)
            if not y1 < y2 <= y1 + 100 or _NOT_YEAR_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            last = _When(y2)  # the narrative goes on from the end of a range
            hits.append(_Hit(m.start(), m.end(), 1, _fixed(last, f"{y1}/{y2}"), last))
    return hits


def _years(text: str) -> list[_Hit]:
    """Bare years, and impossible numbers in a year's place (typos, resolved later)."""
    hits: list[_Hit] = []
    for m in _P_NUMBER4.finditer(text):
        s, e = m.start(), m.end()
        if s >= 2 and text[s - 1] == "-" and text[s - 2].isdigit():
            continue
        before, after = text[max(0, s - 16) : s], text[e : e + 24]
        if _NOT_YEAR_BEFORE.search(before) or _COUNTED.match(after):
            continue
        y = int(m["y"])
        if 1000 <= y <= 2100:
            if _QUANTITY_BEFORE.search(before) and _PLURAL_AFTER.match(after):
                continue
            p = _When(y)
            hits.append(_Hit(s, e, 4, _fixed(p), p))
        elif _YEAR_SLOT.search(before) and (_YEAR_SLOT_AFTER.match(after) or before.rstrip().endswith("(")):
            hits.append(_Hit(s, e, 4, _typo(m["y"])))
    return hits


def _typo(digits: str) -> Resolver:
    """ "9141" for 1941: one swap of two digits gives a year near the document's other years.

    Hand-written: no date library repairs impossible years. The nearest plausible reading wins;
    with no other years to go by, nothing is flagged and the number is not a date.
    """

    def resolve(ctx: _Ctx) -> _Out | None:
        if not ctx.years:
            return None
        best: tuple[int, int] | None = None
        for i in range(4):
            for j in range(i + 1, 4):
                chars = list(digits)
                chars[i], chars[j] = chars[j], chars[i]
                y = int("".join(chars))
                if chars[0] == "0" or not 1000 <= y <= 2100:
                    continue
                distance = min(abs(y - o) for o in ctx.years)
                if distance <= 50 and (best is None or distance < best[0]):
                    best = (distance, y)
        if best is None:
            return None
        p = _When(best[1])
        return _Out(p.iso(), typo=True, point=p, named=True)

    return resolve


# --- relative references ----------------------------------------------------------------------

_P_REL = re.compile(
    rf"(?<![\w-])(?P<qty>{_QTY})\s+{_UNIT}(?P<half>\s+and\s+a\s+half)?(?:[’']s)?\s+"
    r"(?P<dir>ago|later|earlier|afterwards?|hence|from\s+now|before|after|on(?=\s*[,.;:!?)—–]))(?![\w-])",
    re.IGNORECASE,
)
_P_REL_COORD = re.compile(
    rf"(?<![\w-])(?P<q1>{_QTY})\s+(?:and|or|to)\s+(?P<qty>{_QTY})\s+{_UNIT}\s+(?P<dir>ago|later|earlier)(?![\w-])",
    re.IGNORECASE,
)
_P_THE_UNIT = re.compile(r"(?<![\w-])the\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after)(?![\w-])", re.I)
_P_PERIOD = re.compile(
    r"(?<![\w-])(?:the|these|those)\s+(?P<which>past|last|previous|preceding|next|following|coming|first|early|final|"
    rf"closing)\s+(?:(?P<qty>{_QTY})\s+)?{_UNIT}(?![\w-])(?P<of>\s+of)?",
    re.IGNORECASE,
)
_LIFE_NOUN = re.compile(r"\b(?:life|reign|rule)\b")
_P_THIS = re.compile(
    r"(?<![\w-])(?:(?P<edge>earlier|later)\s+(?:in\s+)?)?(?P<which>this|last|next|that|the\s+same|that\s+same)\s+"
    rf"(?P<unit>year|month|week|spring|summer|autumn|winter|{_FULL_MONTHS})(?![\w’'-])",
    re.IGNORECASE,
)


def _quantity(raw: str) -> float | None:
    """ "thirty-three" → 33, "a couple of" → 2, "half a" → 0.5 (hand-written: dateparser reads
    "thirty-three years ago" but not "half a century later" or "a couple of weeks later")."""
    s = " ".join(raw.lower().replace("-", " ").split())
    if s.isdigit():
        try:
            return float(s)
        except ValueError:  # a digit character that is not a decimal digit
            return None
    fixed = {"a": 1.0, "an": 1.0, "the": 1.0, "a couple of": 2.0, "a dozen": 12.0, "half a": 0.5, "half an": 0.5}
    if s in fixed:
        return fixed[s]
    if s.startswith("a quarter of"):
        return 0.25
    total, current = 0, 0
    for w in s.split():
        if w == "hundred":
            current = max(current, 1) * 100
        elif w in _NUMBERS:
            current += _NUMBERS[w]
        else:
            return None
    return float(total + current)


def _offset(unit: str, qty: float) -> tuple[int, int, int] | None:
    """(months, days, precision) for a quantity of a calendar unit."""
    u = unit.lower().rstrip("s")
    if u in _UNIT_MONTHS:
        months = qty * _UNIT_MONTHS[u]
        if months != int(months):
            return None
        return int(months), 0, YEAR if _UNIT_MONTHS[u] >= 12 and months % 12 == 0 else MONTH
    if u in _UNIT_DAYS:
        days = qty * _UNIT_DAYS[u]
        return (0, int(days), DAY) if days == int(days) else None
    return None


def _noun_phrase(text: str, pos: int) -> int | None:
    """End of a short noun phrase at ``pos`` ("Lenin’s death", "the death of Lenin", "his new article").

    Hand-written and deliberately small: a possessive name or a determiner, up to three lower-case
    words that are not function words or past participles, and an optional "of <Name>".
    """
    m = re.match(
        r"\s+(?:(?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*[’']s|the|his|her|its|their|our|my|your)(?=\s)", text[pos:]
    )
    if not m:
        return None
    end = pos + m.end()
    n = 0
    while n < 3:
        w = _NP_WORD.match(text, end)
        if w is None or w[1] in _NP_STOP or (n and w[1].endswith("ed")):
            break
        end = w.end()
        n += 1
    if n == 0:
        return None
    of = re.match(r"\s+of\s+(?:the\s+[a-z]+|(?:[A-Z][\w.-]*)(?:\s+[A-Z][\w.-]*){0,2})", text[end:])
    return end + of.end() if of else end


def _life_event(ctx: _Ctx, phrase: str) -> _When | None:
    """The date of "Lenin’s death", "the death of Lenin" when the text itself gives it."""
    m = re.search(r"([A-Z][\w-]+)[’']s\s+(?:\w+\s+)?(\w+)", phrase) or re.search(r"(\w+)\s+of\s+([A-Z][\w-]+)", phrase)
    if not m:
        return None
    name, event = (m[1], m[2]) if "’" in m[0] or "'" in m[0] else (m[2], m[1])
    kind = "birth" if event.lower() == "birth" else "death"
    return ctx.lives.get((name, kind))


def _relative(sc: _Scanner) -> list[_Hit]:
    text = sc.text
    hits: list[_Hit] = []
    for m in sc.scan(_P_REL, _T_DIRECTION, 90, 0):
        qty = _quantity(m["qty"])
        if qty is None:
            continue
        if m["half"]:
            qty += 0.5
        direction = m["dir"].lower()
        end = m.end()
        if _figurative(text, m.start(), end):
            continue
        np_end = None
        if direction in {"before", "after"}:
            before = text[max(0, m.start() - 30) : m.start()]
            if _DURATION_BEFORE.search(before):
                continue  # "for two years after the war", "required three decades before they were ready"
            np_end = _noun_phrase(text, end)
            if np_end is not None:
                end = np_end
        hits.append(_Hit(m.start(), end, 1, _shifted(m.end(), end, m["unit"], qty, direction, np_end is not None)))
    for m in sc.scan(_P_REL_COORD, _T_DIRECTION, 140, 0):
        qty = _quantity(m["q1"])
        if qty is not None:
            s, e = m.start("q1"), m.end("q1")
            hits.append(_Hit(s, e, 1, _shifted(e, e, m["unit"], qty, m["dir"].lower(), False)))
    for m in sc.scan(_P_THE_UNIT, _T_DIRECTION, 20, 0):
        np_end = _noun_phrase(text, m.end())
        end = np_end if np_end is not None else m.end()
        hits.append(_Hit(m.start(), end, 1, _shifted(m.end(), end, m["unit"], 1, m["dir"].lower(), np_end is not None)))
    for m in sc.scan(_P_PERIOD, _T_UNIT, 110, 6):
        hit = _period(text, m)
        if hit is not None:
            hits.append(hit)
    for m in sc.scan(_P_THIS, _T_UNIT, 40, 0):
        which = " ".join(m["which"].lower().split())
        before = text[max(0, m.start() - 12) : m.start()]
        if which == "last" and re.search(r"\b(?:the|his|her|its|their|at|my|our|your)\s+$", before, re.I):
            continue
        unit = m["unit"].lower()
        if unit in _MONTHS and m["unit"][0].islower():
            continue
        hits.append(_Hit(m.start(), m.end(), 2, _this(which, unit)))
    return hits


def _shifted(dir_end: int, end: int, unit: str, qty: float, direction: str, has_np: bool) -> Resolver:
    """ "twenty years ago" (document's date), "a month later" (the narrative's date), "eight months
    after Lenin’s death" (a date the text restates or gives elsewhere)."""

    def resolve(ctx: _Ctx) -> _Out | None:
        off = _offset(unit, qty)
        if off is None:
            return _Out(None)
        months, days, precision = off
        sign = -1 if direction in {"ago", "earlier", "before"} else 1
        same = ctx.appositive(ctx.current_start)
        following = ctx.explicit.get(_skip_space(ctx.text, dir_end))
        if same is not None:  # "in 1923, thirty-three years ago": the text says which date it is
            restated = same.cut(min(precision, same.precision))
            return _Out(restated.iso(), point=restated)
        if direction in {"ago", "hence", "from now"}:
            base = ctx.doc
        elif direction in {"before", "after"} and following is not None:
            base = following  # "three days after March 9, 1956"
        elif has_np:
            base = _life_event(ctx, ctx.text[dir_end:end])  # "eight months after Lenin’s death"
        else:
            base = ctx.narrative()
            if sign > 0 and ctx.doc is not None and base is not None and _back_to_present(ctx.text, end):
                base, months, days = ctx.doc, 0, 0
        if base is None:
            return _Out(None)
        p = base.shift(sign * months, sign * days, precision)
        if p is not None and sign > 0 and ctx.doc is not None and p.year > ctx.doc.year:
            p = ctx.doc.cut(min(precision, ctx.doc.precision))  # "later" cannot outrun the writer's present
        return _Out(p.iso() if p else None, point=p)

    return resolve


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _back_to_present(text: str, end: int) -> bool:
    """Does the rest of the sentence speak in the present perfect ("…later, a law has been entered")?"""
    stop = re.search(r"[.!?\n]", text[end : end + 300])
    rest = text[end : end + (stop.start() if stop else 300)]
    return bool(_PRESENT.search(rest))


def _period(text: str, m: re.Match[str]) -> _Hit | None:
    """ "the past thirty-three years", "the preceding year", "the last months of Lenin’s life"."""
    which, unit = m["which"].lower(), m["unit"]
    qty = _quantity(m["qty"]) if m["qty"] else (None if unit.lower().endswith("s") else 1.0)
    np_end = _noun_phrase(text, m.end()) if m["of"] else None
    if np_end is not None and _LIFE_NOUN.search(text, m.end(), np_end):
        return _Hit(m.start(), np_end, 1, _life_span(which, unit, qty, text[m.end() : np_end]))
    if which in {"first", "early", "final", "closing"} or qty is None:
        return None  # "during the first years", "his last years": no calendar position
    return _Hit(m.start(), m.end("unit"), 1, _span_from(which, unit, qty))


def _life_span(which: str, unit: str, qty: float | None, phrase: str) -> Resolver:
    """ "the last months of Lenin’s life": a span ending at a death the text dates, told in years."""

    def resolve(ctx: _Ctx) -> _Out | None:
        if which not in {"last", "final", "closing"}:
            return _Out(None)
        death = _life_event(ctx, phrase.replace(" life", " death"))
        default = {"day": 7, "week": 28, "month": 365}.get(unit.lower().rstrip("s"))
        if death is None:
            return _Out(None)
        if qty is not None:
            off = _offset(unit, qty)
            start = death.shift(-off[0], -off[1], YEAR) if off else None
        elif default is not None:
            start = death.shift(0, -default, YEAR)
        else:
            return _Out(None)
        return _Out(_range(start, death.cut(YEAR)), point=None)

    return resolve


def _span_from(which: str, unit: str, qty: float) -> Resolver:
    """ "the past thirty-three years" (up to the writer's present), "the preceding year" (before the
    narrative's date), "the following year"."""

    def resolve(ctx: _Ctx) -> _Out | None:
        off = _offset(unit, qty)
        if off is None:
            return _Out(None)
        months, days, precision = off
        if which in {"past", "last"}:
            base = ctx.doc
            if base is None:
                return _Out(None)
            a = base.shift(-months, -days, precision)
            return _Out(_range(a, base.cut(min(precision, base.precision))), point=None)
        base = ctx.doc if which == "coming" else ctx.narrative()
        if base is None:
            return _Out(None)
        one = _offset(unit, 1)
        assert one is not None
        sign = -1 if which in {"previous", "preceding"} else 1
        near = base.shift(sign * one[0], sign * one[1], precision)
        far = base.shift(sign * months, sign * days, precision)
        if near is None or far is None:
            return _Out(None)
        a, b = (far, near) if sign < 0 else (near, far)
        return _Out(_range(a, b), point=far if qty == 1 else None)

    return resolve


def _this(which: str, unit: str) -> Resolver:
    """ "that year" (the narrative's), "last year", "this spring" (the writer's)."""

    def resolve(ctx: _Ctx) -> _Out | None:
        base = ctx.narrative() if which in {"that", "the same", "that same"} else ctx.doc
        if base is None:
            return _Out(None)
        step = {"last": -1, "next": 1}.get(which, 0)
        if unit in _SEASONS:
            a, b = _SEASONS[unit]
            y = base.year + step
            first, last = _When(y, a), _When(y + (b - 1) // 12, (b - 1) % 12 + 1)
            return _Out(_range(first, last), point=first)
        if unit in _MONTHS:
            mon = _MONTHS[unit]
            y = base.year
            if step and base.month is not None:
                y += step if (mon >= base.month if step < 0 else mon <= base.month) else 0
            elif step:
                return _Out(None)
            named = _When(y, mon)
            return _Out(named.iso(), point=named)
        off = _offset(unit, 1)
        assert off is not None
        months, days, precision = off
        if base.precision < precision:
            return _Out(None)
        p = base.shift(step * months, step * days, precision)
        return _Out(p.iso() if p else None, point=p)

    return resolve


# --- candidates from elsewhere (spaCy DATE entities) ------------------------------------------

_ANCHOR = re.compile(
    rf"\b(?:{_FULL_MONTHS}|Christmas|Easter|New Year|Whitsun)\b|\b\d{{4}}s?\b|"
    r"\b(?:days?|weeks?|months?|years?|decades?|century|centuries|spring|summer|autumn|winter)\b.*?\b(?:ago|later|"
    r"earlier|before|after|hence)\b|\b(?:previous|preceding|following|next|last|past|this|that|same)\b.*?\b(?:day|"
    r"week|month|year|decade|century|spring|summer|autumn|winter)\b",
)


_NAMES_DATE = re.compile(rf"\b(?:{_FULL_MONTHS}|{_WEEKDAY})\b|\d{{4}}")


def _candidate(text: str, span: Span) -> _Hit | None:
    """A span proposed from outside: kept when it names a calendar anchor, valued by dateparser."""
    s, e = max(0, span.start), min(len(text), span.end)
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum() and text[e - 1] not in "’'":
        e -= 1
    phrase = text[s:e]
    if not phrase or len(phrase) > 60 or "\n" in phrase or not _ANCHOR.search(phrase):
        return None
    if _DURATION_BEFORE.search(text[max(0, s - 30) : s]) or re.match(r"(?i:for|over|during|within)\b", phrase):
        return None  # "for the next two years", "required three decades before …": lengths of time
    if re.fullmatch(_FULL_MONTHS, phrase) and not any(
        m.start("mon") == s for m in _P_MONTH_ALONE.finditer(text, max(0, s - 12), e + 3)
    ):
        return None  # a month alone, by the finder's own rule: "Lessons of October" is not a date

    if _figurative(text, s, e):
        return None

    def resolve(ctx: _Ctx) -> _Out | None:
        base = ctx.doc if re.search(r"(?i:\bago\b)", phrase) else ctx.narrative() or ctx.doc
        p = _dateparser_value(phrase, base)
        if p is not None and base is not None and not _NAMES_DATE.search(phrase):
            p = p.cut(base.precision)  # relative to a year-only date, the answer is a year too
        return _Out(p.iso() if p else None, point=p)

    return _Hit(s, e, 9, resolve)


def _dateparser_value(phrase: str, base: _When | None) -> _When | None:
    """dateparser is good at the long tail of written dates; its period says how precise they are."""
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month or 7, base.day or 1)
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)
    except Exception:  # dateparser raises assorted errors on odd input; a failed reading is no value
        return None
    when = data.date_obj if data is not None else None
    if not isinstance(when, datetime):
        return None
    precision = {"year": YEAR, "month": MONTH}.get(str(data.period), DAY)
    return _When(when.year, when.month, when.day).cut(precision)


# --- the finder -------------------------------------------------------------------------------


def _select(hits: Sequence[_Hit], taken: list[tuple[int, int]]) -> list[_Hit]:
    """Longest first, one reading per stretch of text; ``taken`` holds the spans already claimed."""
    out: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.rank, h.start)):
        if h.end <= h.start or any(h.start < b and a < h.end for a, b in taken):
            continue
        taken.append((h.start, h.end))
        out.append(h)
    return out


_LIFE = re.compile(
    r"(?:\b(?P<a>[A-Z][\w-]+)(?:[’']s\s+(?P<ev1>death|birth)|\s*\(?(?:who\s+)?(?:had\s+)?(?P<ev2>died|was\s+born))|"
    r"\b(?P<ev3>death|birth)\s+of\s+(?P<b>[A-Z][\w-]+))\s+(?:in|on)\s+$"
)


def _aside(text: str, pos: int) -> bool:
    """Inside brackets on its line: "(who had died in 1953)", a citation's year. An aside does not move
    the narrative that "that year" and "a month later" refer to."""
    line = text[max(0, text.rfind("\n", max(0, pos - 400), pos) + 1) : pos]
    return line.count("(") > line.count(")") or line.count("[") > line.count("]")


_FULL_STOP = re.compile(r"\.\s")


def _figurative(text: str, start: int, end: int) -> bool:
    """ "whether a week ago it was Stalin; yesterday, Malenkov; today, Khrushchev; and tomorrow …": a
    series running from yesterday to tomorrow is rhetoric, not a calendar."""
    lo = max(0, start - 300)
    a = max([text.rfind(c, lo, start) for c in ".!?\n"] + [lo - 1]) + 1
    stops = [i for i in (text.find(c, end, end + 300) for c in "!?\n") if i >= 0]
    full_stop = _FULL_STOP.search(text, end, end + 300)
    if full_stop:
        stops.append(full_stop.start())
    sentence = text[a : min(stops) if stops else end + 300].lower()
    return "yesterday" in sentence and "tomorrow" in sentence


def _lives(text: str, chosen: Sequence[_Hit]) -> dict[tuple[str, str], _When]:
    """ "Lenin died in January 1924": dates the text gives for a death or a birth, by name."""
    out: dict[tuple[str, str], _When] = {}
    for h in chosen:
        if h.fixed is None:
            continue
        m = _LIFE.search(text[max(0, h.start - 60) : h.start])
        if not m:
            continue
        name = m["a"] or m["b"]
        event = (m["ev1"] or m["ev2"] or m["ev3"] or "").lower()
        kind = "birth" if "birth" in event or "born" in event else "death"
        old = out.get((name, kind))
        if old is None or h.fixed.precision > old.precision:
            out[(name, kind)] = h.fixed
    return out


_SPEAKING_YEAR = re.compile(
    rf"(?<![\w-])(?:in\s+)?(?P<y>1\d{{3}}|20\d{{2}}),?\s+(?P<qty>{_QTY})\s+years?\s+ago(?![\w-])"
    rf"|(?<![\w-])(?P<qty2>{_QTY})\s+years?\s+ago,?\s+in\s+(?P<y2>1\d{{3}}|20\d{{2}})(?![\w-])",
    re.IGNORECASE,
)


def infer_writing_year(text: str) -> str | None:
    """The year a text was written, when it says so ("in 1923, thirty-three years ago" → 1956).

    A speech or article reprinted decades later often carries only its posting date; its own
    relative dates ("twenty years ago") count from when it was written, which this recovers.
    """
    years = []
    for m in _SPEAKING_YEAR.finditer(text):
        year, qty = (m.group("y"), m.group("qty")) if m.group("y") else (m.group("y2"), m.group("qty2"))
        n = _quantity(qty)
        if n is not None and n == int(n):
            years.append(int(year) + int(n))
    return str(max(set(years), key=years.count)) if years else None


def find_dates(
    text: str, document_date: str | None = None, skip: Sequence[Span] = (), candidates: Sequence[Span] = ()
) -> tuple[DateRef, ...]:
    """Every date in ``text`` with its ISO 8601 value, sorted and non-overlapping.

    ``document_date`` (ISO, possibly partial) is the writer's present: "twenty years ago" counts back
    from it and a day with no year takes it when the narrative gives none. ``skip`` spans are left
    alone; ``candidates`` (e.g. spaCy DATE entities) may add what the patterns missed.
    """
    doc = _parse_iso(document_date)
    sc = _Scanner(text)
    hits = _explicit(sc) + _relative(sc)
    taken = [(s.start, s.end) for s in skip]
    chosen = _select(hits, taken)
    chosen += _select([c for c in (_candidate(text, s) for s in candidates) if c is not None], taken)
    chosen.sort(key=lambda h: h.start)
    years = {h.fixed.year for h in chosen if h.fixed is not None}
    if doc is not None:
        years.add(doc.year)
    ctx = _Ctx(
        text,
        doc,
        tuple(sorted(years)),
        {h.start: h.fixed for h in chosen if h.fixed is not None},
        _lives(text, chosen),
    )
    out: list[DateRef] = []
    for h in chosen:
        ctx.current_start = h.start
        res = h.resolve(ctx)
        if res is None:
            continue
        if _aside(text, h.start):
            ctx.prev_end, ctx.prev_point, ctx.prev_named = h.end, res.point, res.named  # restated, no narrative
        else:
            ctx.record(h.start, h.end, res)
        out.append(DateRef(h.start, h.end, text[h.start : h.end], res.value, res.typo))
    return tuple(out)
