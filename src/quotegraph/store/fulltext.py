"""Full-text search helpers shared by the store: user text → FTS5 query, and keyword-in-context snippets.

Pure functions of text (no I/O). The snippet marks the query's words the way FTS5's ``unicode61
remove_diacritics 2`` tokenizer matched them (case and accents aside), but is made here: FTS5's own
snippet() is quadratic in the number of matches and takes seconds on a long text full of a common word.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter, OrderedDict, deque
from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass
from functools import cache, lru_cache

_FTS_PIECE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")  # roughly FTS5 unicode61's idea of a token
_SPACES = re.compile(r"\s+")
_NOT_SPACE = re.compile(r"\S")  # what str.strip() keeps
_TRAILING = re.compile(r"[^\w\s]{1,3}")  # closing marks and punctuation after the last word
_KELVIN = "\u212a"  # the one character that lower-cases to an ASCII letter of the same length ("k")
_DOTTED_I = "\u0130"  # lower-cases to two characters, so a lower-cased text no longer lines up
_CASE_ODDITIES = ("\u0130", "\u0131", "\u017f")  # match ASCII i/s in a case-insensitive regex, not in .lower()
_BETWEEN_WORDS = re.compile(r"(?<![^\W_])(?![^\W_])")
_CHUNK = 4096  # characters of the ASCII view made at first; it grows by half as searches need more


def clean(value: str) -> str:
    """User input may carry lone surrogates (undecodable argv bytes) that SQLite cannot take."""
    return value.encode("utf-8", "replace").decode("utf-8")


def fold(value: str) -> str:
    """Case-, accent- and spacing-insensitive form used for speaker and work filters."""
    decomposed = unicodedata.normalize("NFKD", clean(value).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def _pieces(user_text: str) -> list[tuple[str, bool]]:
    """Split user text into (phrase, is_prefix) pieces: words, "quoted phrases", word* prefixes."""
    text = clean(user_text).replace("\x00", " ")
    pieces: list[tuple[str, bool]] = []
    for match in _FTS_PIECE.finditer(text):
        phrase, word = match.group(1), match.group(2)
        prefix = False
        if word is not None:
            phrase = word.rstrip("*")
            prefix = phrase != word
        if phrase is not None and any(ch.isalnum() for ch in phrase):
            pieces.append((phrase, prefix))
    return pieces


def fts_query(user_text: str) -> str | None:
    """Turn user-typed text into an FTS5 query that cannot be a syntax error.

    Every word becomes an FTS5 string token (so ``AND``, ``-``, ``(``, ``:`` are plain text), text in
    double quotes stays a phrase, and a trailing ``*`` on a word asks for a prefix match. All terms
    must match. Returns None when nothing searchable is left, which callers treat as "no hits".
    """
    terms = []
    for phrase, prefix in _pieces(user_text):
        term = '"' + phrase.replace('"', '""') + '"'
        terms.append(term + " *" if prefix else term)
    return " ".join(terms) if terms else None


def _fold_token(token: str) -> str:
    return token.lower() if token.isascii() else fold(token)


@dataclass(frozen=True, slots=True)
class _Terms:
    """What a snippet looks for, parsed once per query (a page makes a snippet per hit)."""

    exact: frozenset[str]  # folded words
    prefixes: tuple[str, ...]  # folded prefixes, in query order (the first that fits names the match)
    wanted: int  # how many distinct terms a window can hold
    words: tuple[bytes, ...]  # the ASCII words, as the ASCII view spells them
    starts: tuple[bytes, ...]  # the ASCII prefixes, each once
    ascii: bool  # every term is ASCII
    longest: int  # characters in the longest term
    every: bool  # a prefix that folds to nothing: every token is a term

    @classmethod
    def of(cls, exact: Set[str], prefixes: Sequence[str]) -> _Terms:
        everything = (*exact, *prefixes)
        return cls(
            exact=frozenset(exact),
            prefixes=tuple(prefixes),
            wanted=len(exact) + len(set(prefixes)),
            words=tuple(w.encode() for w in sorted(exact) if w and w.isascii()),
            starts=tuple(p.encode() for p in dict.fromkeys(prefixes) if p and p.isascii()),
            ascii=all(term.isascii() for term in everything),
            longest=max(map(len, everything), default=0),
            every="" in prefixes,
        )

    def key(self, token: str) -> str | None:
        """The term a token is (its folded form, or ``*prefix``), or None."""
        folded = _fold_token(token)
        if folded in self.exact:
            return folded
        return next(("*" + p for p in self.prefixes if folded.startswith(p)), None)


@lru_cache(maxsize=64)
def _terms(user_text: str) -> _Terms:
    exact: set[str] = set()
    prefixes: list[str] = []
    for phrase, prefix in _pieces(user_text):
        words = [_fold_token(w) for w in _WORD.findall(phrase)]
        if prefix and words:
            prefixes.append(words.pop())
        exact.update(words)
    return _Terms.of(exact, prefixes)


class _AsciiView:
    """``text[:limit]`` lower-cased as ASCII bytes, ``?`` for every other character (the Kelvin sign,
    which lower-cases to "k", as "k"), so that offsets are the text's.

    Lower-casing a whole long text that holds curly quotes took most of a snippet's time, and most
    snippets need only the part up to the first match: the view is made in chunks as searches reach
    them, and searched with ``bytes.find``.
    """

    __slots__ = ("data", "limit", "text")

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.data = bytearray()

    def find(self, needle: bytes, start: int, end: int) -> int:
        """Where ``needle`` first lies wholly within ``[start, end)`` of the view, -1 if nowhere."""
        at = self.data.find(needle, start, end)
        if at >= 0 or len(self.data) >= end or len(self.data) == self.limit:
            return at
        end = min(end, self.limit)
        while True:
            at = self.data.find(needle, start, end)
            made = len(self.data)
            if at >= 0 or made >= end:
                return at
            start = max(start, made - len(needle) + 1)
            more = self.text[made : min(self.limit, made + max(_CHUNK, made // 2))]
            if _KELVIN in more:
                more = more.replace(_KELVIN, "k")
            self.data += more.encode("ascii", "replace").lower()


def _next_plain(view: _AsciiView, term: bytes, whole: bool, start: int, end: int) -> int:
    """Where ``term`` (ASCII, lower case, not empty) next starts a word of the view at ``start`` or
    later and before ``end``, and ends one if ``whole``; -1 if nowhere."""
    text, limit = view.text, view.limit
    bound = end + len(term) - 1
    at = view.find(term, start, bound)
    while at >= 0:
        # a word of ``text[:limit]`` neither goes on before ``at`` nor, if ``whole``, after the term
        # (lower-casing never changes whether a character is one of a word's)
        after = at + len(term)
        if not (at > 0 and text[at - 1].isalnum()) and not (whole and after < limit and text[after].isalnum()):
            return at
        at = view.find(term, at + 1, bound)
    return -1


def _first_plain(view: _AsciiView, terms: _Terms) -> list[int]:
    """Where each ASCII word, then each ASCII prefix, of ``terms`` is first written plainly; the
    view's limit where nowhere."""
    limit = view.limit
    firsts = [_next_plain(view, w, True, 0, limit) for w in terms.words]
    firsts += [_next_plain(view, p, False, 0, limit) for p in terms.starts]
    return [limit if at < 0 else at for at in firsts]


def _near_first(text: str, terms: _Terms, scan: int, plain: int | None = None) -> int:
    """Where to start reading tokens: a little before the first place a term is written plainly.

    Tokenising a long text from its start to a late match dominated search time, so the first match
    is found in C: with ``bytes.find`` in the ASCII view when every term is ASCII (most queries; the
    caller may have done it: ``plain`` is then the first place of the non-empty terms, ``scan`` if
    none), else with a case-insensitive regular expression. Both find the same place unless one of
    ``İ ı ſ`` (which the expression takes for "i" and "s", and ``str.lower`` does not) comes before it:
    then the expression decides if the text holds an ``İ`` (whose lower case is two characters long,
    which rules out searching a lower-cased text). A term that only appears accented ("Léon" for
    "leon") is not found this way, and then the whole text is read.
    """
    exact, prefixes = terms.exact, terms.prefixes
    if not exact and not prefixes:
        return 0
    limit = min(len(text), scan)
    start: int | None = None
    by_expression = not terms.ascii
    if not by_expression:
        if plain is None:
            plain = min(_first_plain(_AsciiView(text, limit), terms), default=limit)
        found = min(plain, limit)
        if found < 400:  # the expression could only find an earlier place: reading starts at 0 either way
            return 0
        if "" in prefixes:  # terms that fold to nothing: a prefix starts any word, a word sits between two non-words
            found = 0
        elif "" in exact:
            boundary = _BETWEEN_WORDS.search(text, 0, limit)
            found = min(found, boundary.start() if boundary else limit)
        reach = min(limit, found + terms.longest)
        by_expression = (
            text.find(_CASE_ODDITIES[0], 0, reach) >= 0
            or text.find(_CASE_ODDITIES[1], 0, reach) >= 0
            or text.find(_CASE_ODDITIES[2], 0, reach) >= 0
        ) and text.find(_DOTTED_I, 0, limit) >= 0
        start = found if found < limit else None
    if by_expression:
        pattern = re.compile(
            r"(?<![^\W_])(?:"
            + "|".join([re.escape(t) for t in exact] + [re.escape(p) + r"[^\W_]*" for p in prefixes])
            + r")(?![^\W_])",
            re.IGNORECASE,
        )
        match = pattern.search(text, 0, limit)
        start = match.start() if match else None
    if start is None or start < 400:
        return 0
    return text.rfind(" ", 0, start - 300) + 1


def _next_foreign(view: _AsciiView, start: int, end: int) -> int:
    """Where the first token with a non-ASCII letter or digit starts, if one does before ``end``; -1 if not.

    Neither ``start`` nor ``end`` may cut a token. (``_Candidates.next`` first checks a short stretch
    with ``str.isascii``.)"""
    text = view.text
    at = view.find(b"?", start, end)
    while at >= 0 and not text[at].isalnum():  # a question mark, a curly quote, a dash
        at = view.find(b"?", at + 1, end)
    if at < 0:
        return -1
    while at > start and text[at - 1].isalnum():
        at -= 1
    return at


class _Candidates:
    """The tokens from a start (not inside a token) that may fold to a query term, in order.

    Those are the tokens spelling an ASCII word or prefix of the query (case aside), found with
    ``bytes.find`` in the ASCII view, and the tokens with a non-ASCII letter or digit (only folding
    tells). No other token can be a term, so none other is looked at. With an empty prefix, every
    token is one. Each search goes only as far as asked, so that the view is not made further.
    """

    __slots__ = ("at", "found", "streams", "terms", "upcoming", "view")

    def __init__(self, view: _AsciiView, terms: _Terms, start: int, firsts: list[int]) -> None:
        """``firsts``: where each ASCII word and prefix is first written plainly (``_first_plain``),
        none of them before ``start``."""
        self.view = view
        self.terms = terms
        self.streams = [(w, True) for w in terms.words] + [(p, False) for p in terms.starts]
        # per ASCII term: where it is next written plainly (found) or how far it was looked for in vain
        self.upcoming = firsts
        self.found = [at < view.limit for at in firsts]
        self.at = start

    def _plain_before(self, end: int) -> int:
        """Where the next ASCII term starts, if before ``end``; else ``end``."""
        upcoming, found = self.upcoming, self.found
        first = end
        for i, at in enumerate(upcoming):
            if found[i] and at >= self.at:
                first = min(first, at)
            elif found[i] or at < end:
                look_from = self.at if found[i] else max(self.at, at)
                at = _next_plain(self.view, *self.streams[i], look_from, end)
                upcoming[i], found[i] = (at, True) if at >= 0 else (end, False)
                first = min(first, upcoming[i])
        return first

    def next(self, end: int) -> tuple[int, int] | None:
        """(start, end) of the next candidate if it starts before ``end`` (which must not cut a token)."""
        view = self.view
        text, limit = view.text, view.limit
        end = min(end, limit)
        if self.terms.every:
            token = _WORD.search(text, self.at, end)
            begin = token.start() if token else end
        else:
            begin = self._plain_before(end)
            if begin - self.at >= 2048 or not text[self.at : begin].isascii():  # else no foreign token before it
                foreign = _next_foreign(view, self.at, begin)
                begin = foreign if foreign >= 0 else begin
        if begin >= end:
            return None
        token = _WORD.match(text, begin, limit)
        assert token is not None  # a plain match or a non-ASCII letter starts a word
        self.at = token.end()
        return begin, self.at


@cache
def _at_least(n: int) -> re.Pattern[str]:
    """Matches ``n`` tokens (and what separates them) from where it is tried."""
    return re.compile(r"(?:[\W_]*+[^\W_]++){" + str(n) + "}")


@cache
def _at_most(n: int) -> re.Pattern[str]:
    """Matches the next ``n`` tokens, or as many as there are (at least one)."""
    return re.compile(r"(?:[\W_]*+[^\W_]++){1," + str(n) + "}")


def _tokens_between(text: str, start: int, end: int, most: int) -> int:
    """How many tokens ``text[start:end]`` holds, up to ``most`` (neither end may cut a token)."""
    if end <= start:
        return 0
    if _at_least(most).match(text, start, end):
        return most
    return len(_WORD.findall(text, start, end))


def _start_before(text: str, end: int, floor: int, n: int) -> int:
    """Where the ``n``-th token before ``end`` starts (``end`` does not cut a token, ``floor`` starts
    one or follows a non-word, and at least ``n`` > 0 tokens lie between them): counted forwards in
    the reversed text, in C."""
    reach = 12 * n
    while True:
        begin = max(floor, end - reach)
        backwards = text[begin:end][::-1]
        found = _at_least(n).match(backwards)
        # the n-th token may go on before ``begin``: then look further back
        if found and (found.end() < len(backwards) or begin == floor or not text[begin - 1].isalnum()):
            return end - found.end()
        assert begin > floor, "fewer than n tokens before end"
        reach *= 4


SCAN = 400_000  # characters of a text a snippet searches: the first ones


class Searchable:
    """A text as snippets read it: its first ``scan`` characters and their ASCII view, which grows as
    searches reach further. Kept between searches (``SearchableTexts``), a text found again is
    neither read from the store nor lower-cased again."""

    __slots__ = ("text", "view")

    def __init__(self, text: str, scan: int = SCAN) -> None:
        self.text = text
        self.view = _AsciiView(text, min(len(text), scan))

    def size(self) -> int:
        """Bytes it holds at most: the text and a full view."""
        return sys.getsizeof(self.text) + self.view.limit


class SearchableTexts:
    """The ``Searchable`` texts of one store revision by key, least recently used dropped first beyond
    ``budget`` bytes. Written by hand: ``functools.lru_cache`` counts entries, not bytes, and knows no
    revision."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._revision = ""
        self._texts: OrderedDict[Hashable, Searchable] = OrderedDict()
        self._bytes = 0

    def get(self, revision: str, key: Hashable) -> Searchable | None:
        if revision != self._revision:
            self._texts.clear()
            self._bytes = 0
            self._revision = revision
            return None
        found = self._texts.get(key)
        if found is not None:
            self._texts.move_to_end(key)
        return found

    def put(self, revision: str, key: Hashable, text: str) -> Searchable:
        """The text made ``Searchable``, kept if it is of the revision last asked for."""
        searchable = Searchable(text)
        if revision == self._revision and key not in self._texts and searchable.size() <= self.budget:
            self._texts[key] = searchable
            self._bytes += searchable.size()
            while self._bytes > self.budget:
                self._bytes -= self._texts.popitem(last=False)[1].size()
        return searchable


def snippet(
    text: str | Searchable,
    user_text: str,
    highlight: tuple[str, str] = ("[", "]"),
    width: int = 24,
    scan: int = SCAN,
) -> str:
    """About ``width`` words of ``text`` where the most query terms meet, matches marked.

    Only the first ``scan`` characters are searched (a ``Searchable`` brings its own), from a little
    before the first match (``_near_first``), stopping at the first window of ``width`` tokens holding
    every term; without any match there (it may have been in the title) the snippet is the start of the
    text. Only the tokens that may be terms are visited (``_Candidates``); those in between are counted
    in C, exactly while fewer than ``width``, which is all the window needs to know.
    """
    terms = _terms(user_text)
    view = (text if isinstance(text, Searchable) else Searchable(text, scan)).view
    text, limit = view.text, view.limit
    upcoming = _first_plain(view, terms)
    start = _near_first(text, terms, limit, min(upcoming, default=limit))
    candidates = _Candidates(view, terms, start, upcoming)
    seen: list[tuple[int, int, str | None]] = []  # the candidates read, with the term each is
    index, after = -1, start  # ``index`` counts tokens from ``start``, gaps of ``width`` or more as ``width``
    if terms.wanted > 1:  # a single term needs neither (its first match is the best window)
        # (index, term, start) of the matches in the last ``width`` tokens, and how many of each term
        recent: deque[tuple[int, str, int]] = deque()
        in_reach: Counter[str] = Counter()
    best = (0, 0, start, 0)  # (distinct terms, first match index, its start, last match index)
    while (span := candidates.next(limit)) is not None:
        begin, end = span
        index += 1 + _tokens_between(text, after, begin, width)
        after = end
        key = terms.key(text[begin:end])
        seen.append((begin, end, key))
        if key is None:
            continue
        if terms.wanted == 1:  # the first match is the best window: no need to count terms in reach
            best = (1, index, begin, index)
            break
        recent.append((index, key, begin))
        in_reach[key] += 1
        while recent[0][0] <= index - width:
            in_reach[recent.popleft()[1]] -= 1
        distinct = sum(1 for n in in_reach.values() if n)
        if distinct > best[0]:
            best = (distinct, recent[0][0], recent[0][2], index)
            if distinct == terms.wanted:
                break
    _, first, first_start, last = best
    back = min(width // 4, width - (last - first + 1))  # tokens shown before the first match
    if first - back <= 0:
        head = _WORD.search(text, start, limit)
        if head is None:
            return ""
        begin, shown = head.start(), _at_most(width).match(text, head.start(), limit)
    else:
        begin = _start_before(text, first_start, start, back)
        shown = _at_most(width - back).match(text, first_start, limit)
    assert shown is not None  # a token starts there
    end = shown.end()
    # The window's text, whitespace runs made one space (tokens hold none), matches marked
    left, right = highlight
    parts = ["…"] if _NOT_SPACE.search(text, 0, begin) else []
    at = begin
    while (span := candidates.next(end)) is not None:  # the candidates in the window not read yet
        seen.append((*span, terms.key(text[span[0] : span[1]])))
    window: list[str] = []
    for word_start, word_end, key in seen:
        if begin <= word_start < end and key is not None:
            window += (text[at:word_start], left, text[word_start:word_end], right)
            at = word_end
    window.append(text[at:end])
    if _SPACES.search(left + right):  # marks holding spaces must stay as they are
        parts += [_SPACES.sub(" ", piece) if i % 4 == 0 else piece for i, piece in enumerate(window)]
    else:  # every whitespace run lies between two marks or tokens: made one space in one pass
        parts.append(_SPACES.sub(" ", "".join(window)))
    trailing = _TRAILING.match(text, end)
    if trailing:
        parts.append(trailing.group())
    if _NOT_SPACE.search(text, trailing.end() if trailing else end):
        parts.append(" …" if trailing else "…")
    return "".join(parts)
