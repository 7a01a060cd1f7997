"""Snippets (store/fulltext.py) against a plain reading of their rules, token by token.

``reference_snippet`` is the snippet as it was first written: every token from the start position is
folded and looked at. The fast one visits only the tokens that may be terms and counts the others in
C; it must give the same string for any text and query, accents, prefixes, phrases, odd case
mappings (``İ ı ſ K``) and scan limits included.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from itertools import islice

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.store.fulltext import (
    _WORD,
    Searchable,
    SearchableTexts,
    _fold_token,
    _near_first,
    _pieces,
    _start_before,
    _Terms,
    snippet,
)

_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[^\w\s]{1,3}")


def reference_start(text: str, exact: set[str], prefixes: list[str], scan: int) -> int:
    """A little before the first place a term is written plainly, found in the lower-cased text (or
    with a case-insensitive expression when a term is not ASCII or lower-casing changes the length)."""
    if not exact and not prefixes:
        return 0
    limit = min(len(text), scan)
    lowered = text[:limit].lower()
    if len(lowered) == limit and all(t.isascii() for t in (*exact, *prefixes)):
        found = min(
            *(_first_word_at(lowered, t, True) for t in exact),
            *(_first_word_at(lowered, p, False) for p in prefixes),
            limit,
        )
        start = found if found < limit else None
    else:
        terms = [re.escape(t) for t in exact] + [re.escape(p) + r"[^\W_]*" for p in prefixes]
        pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(terms) + r")(?![^\W_])", re.IGNORECASE)
        match = pattern.search(text, 0, limit)
        start = match.start() if match else None
    if start is None or start < 400:
        return 0
    return text.rfind(" ", 0, start - 300) + 1


def _first_word_at(lowered: str, term: str, whole: bool) -> int:
    at = lowered.find(term)
    while at >= 0:
        end = at + len(term)
        if (at == 0 or not lowered[at - 1].isalnum()) and (
            not whole or end == len(lowered) or not lowered[end].isalnum()
        ):
            return at
        at = lowered.find(term, at + 1)
    return len(lowered)


def reference_snippet(text: str, user_text: str, highlight: tuple[str, str], width: int, scan: int) -> str:
    exact: set[str] = set()
    prefixes: list[str] = []
    for phrase, prefix in _pieces(user_text):
        words = [_fold_token(w) for w in _WORD.findall(phrase)]
        if prefix and words:
            prefixes.append(words.pop())
        exact.update(words)
    wanted = len(exact) + len(set(prefixes))

    def term(token: str) -> str | None:
        folded = _fold_token(token)
        if folded in exact:
            return folded
        return next(("*" + p for p in prefixes if folded.startswith(p)), None)

    tokens = _WORD.finditer(text, reference_start(text, exact, prefixes, scan), min(len(text), scan))
    seen: list[re.Match[str]] = []
    recent: deque[tuple[int, str]] = deque()
    in_reach: Counter[str] = Counter()
    best = (0, 0, 0)
    for i, token in enumerate(tokens):
        seen.append(token)
        key = term(token.group())
        if key is None:
            continue
        recent.append((i, key))
        in_reach[key] += 1
        while recent[0][0] <= i - width:
            in_reach[recent.popleft()[1]] -= 1
        distinct = sum(1 for n in in_reach.values() if n)
        if distinct > best[0]:
            best = (distinct, recent[0][0], i)
            if distinct == wanted:
                break
    _, first, last = best
    begin = max(0, first - min(width // 4, width - (last - first + 1)))
    seen.extend(islice(tokens, max(0, begin + width - len(seen))))
    window = seen[begin : begin + width]
    if not window:
        return ""
    left, right = highlight
    parts = ["…"] if text[: window[0].start()].strip() else []
    for i, token in enumerate(window):
        if i:
            parts.append(_SPACES.sub(" ", text[window[i - 1].end() : token.start()]))
        word = token.group()
        parts.append(f"{left}{word}{right}" if term(word) is not None else word)
    rest = text[window[-1].end() :]
    trailing = _TRAILING.match(rest)
    if trailing:
        parts.append(trailing.group())
    if rest[trailing.end() if trailing else 0 :].strip():
        parts.append(" …" if trailing else "…")
    return "".join(parts)


_LETTERS = "abAé1İıſ\u212aͺ"  # ͺ folds to nothing; İ ı ſ K (Kelvin) are the case oddities
_TEXT = "abAB  _-.,?!\n\t\xa0é1İıſ\u212a“”’ͺ"
words = st.text(alphabet=st.sampled_from(_LETTERS), min_size=1, max_size=4)
texts = st.one_of(
    st.text(alphabet=st.sampled_from(_TEXT), max_size=300),
    st.builds(  # a long run with no terms, so that matches come after the start position moved
        str.__add__,
        st.text(alphabet=st.sampled_from("xé _-.“"), min_size=350, max_size=900),
        st.text(alphabet=st.sampled_from(_TEXT), max_size=400),
    ),
    st.builds(  # the same few words many times: windows holding some terms but not all
        lambda piece, times, tail: piece * times + tail,
        st.text(alphabet=st.sampled_from(_TEXT), min_size=1, max_size=12),
        st.integers(0, 200),
        st.text(alphabet=st.sampled_from(_TEXT), max_size=50),
    ),
    st.builds(  # long words: few tokens to a line, so that counting back has to reach further
        lambda piece, times, tail: piece * times + tail,
        st.text(alphabet=st.sampled_from("xxxxxxxé "), min_size=8, max_size=40),
        st.integers(10, 60),
        st.text(alphabet=st.sampled_from("xxxab é."), max_size=80),
    ),
)
queries = st.lists(st.tuples(words, st.sampled_from(["", "*", "phrase"])), max_size=3).map(
    lambda pieces: " ".join(f'"{w} {w[::-1]}"' if how == "phrase" else w + how for w, how in pieces)
)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    texts,
    queries,
    st.sampled_from([24, 24, 7, 4, 1]),
    st.sampled_from([400_000, 500, 57]),
    st.sampled_from([("<", ">"), ("<", ">"), ("", ""), ("[ ", "\n]")]),  # marks with spaces are kept as they are
)
def test_snippet_equals_the_token_by_token_reading(
    text: str, query: str, width: int, scan: int, marks: tuple[str, str]
) -> None:
    assert snippet(text, query, marks, width, scan) == reference_snippet(text, query, marks, width, scan)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts, st.lists(queries, min_size=1, max_size=4), st.sampled_from([400_000, 500, 57]))
def test_a_searchable_read_again_gives_the_snippets_of_the_plain_text(text: str, asked: list[str], scan: int) -> None:
    """A kept ``Searchable`` holds an ASCII view grown by earlier searches: later ones must not see it."""
    kept = Searchable(text, scan)
    for query in asked:
        assert snippet(kept, query, ("<", ">")) == snippet(text, query, ("<", ">"), scan=scan)


def test_searchable_texts_keep_one_revision_within_their_budget() -> None:
    one = Searchable("x" * 1000).size()
    kept = SearchableTexts(budget=3 * one)
    assert kept.get("r1", 1) is None
    for key in (1, 2, 3):
        kept.put("r1", key, "x" * 1000)
    assert kept.get("r1", 1) is not None  # 1 is now the most recently used
    kept.put("r1", 4, "x" * 1000)
    assert kept.get("r1", 2) is None and kept.get("r1", 1) is not None and kept.get("r1", 4) is not None
    assert kept.put("r1", 5, "x" * 10_000).text == "x" * 10_000  # too large to keep, still given
    assert kept.get("r1", 5) is None
    assert kept.get("r2", 1) is None  # another revision: nothing of the first is kept
    assert kept.get("r2", 4) is None
    kept.put("r1", 6, "late")  # built for a revision no longer asked for: not kept under it
    assert kept.get("r2", 6) is None and kept.get("r1", 6) is None


_ODD = st.text(alphabet=st.sampled_from("aAbsSiIİıſ\u212a k.é"), max_size=60)


@settings(max_examples=800, deadline=None)
@given(
    _ODD,
    st.integers(0, 3),
    _ODD,
    st.sets(st.sampled_from(["a", "s", "i", "k", "si", "ab", "ki"]), max_size=2),
    st.lists(st.sampled_from(["a", "s", "i", "k", "is"]), max_size=2),
    st.sampled_from([1000, 470, 30]),
    st.booleans(),
)
def test_case_oddities_late_in_the_text(
    head: str, spaces: int, tail: str, exact: set[str], prefixes: list[str], scan: int, dotted_last: bool
) -> None:
    """An ``İ`` after the first match, or beyond the scan limit, must not move where reading starts."""
    text = "xx " * 140 + head + " y" * spaces * 100 + tail + (" İ" if dotted_last else "")
    assert _near_first(text, _Terms.of(exact, prefixes), scan) == reference_start(text, exact, prefixes, scan)
    query = " ".join([*sorted(exact), *(p + "*" for p in prefixes)])
    assert snippet(text, query, ("<", ">"), 24, scan) == reference_snippet(text, query, ("<", ">"), 24, scan)


@settings(max_examples=500, deadline=None)
@given(
    _ODD,
    st.integers(0, 150),
    _ODD,
    st.sets(st.sampled_from(["a", "s", "i", "k", "si", "ab", "ki"]), max_size=2),
    st.lists(st.sampled_from(["a", "s", "i", "k", "is"]), max_size=2),
    st.sampled_from([1000, 470, 30]),
)
def test_case_oddities_near_the_start(
    head: str, filler: int, tail: str, exact: set[str], prefixes: list[str], scan: int
) -> None:
    """A first plain match within 400 characters means reading from the start, whatever ``İ ı ſ`` come
    before or after it; a later one is where the oddities are weighed."""
    text = head + "xx " * filler + tail
    assert _near_first(text, _Terms.of(exact, prefixes), scan) == reference_start(text, exact, prefixes, scan)
    query = " ".join([*sorted(exact), *(p + "*" for p in prefixes)])
    assert snippet(text, query, ("<", ">"), 24, scan) == reference_snippet(text, query, ("<", ">"), 24, scan)


def test_snippets_of_a_long_text_with_late_and_repeated_matches() -> None:
    text = "“Filler,” words — here. " * 2000 + "The Secret Speech was read; the speech, secretly, again. " * 50
    for query in ("secret speech", "speech secret*", '"secret speech"', "speech zzz", "ZZZ", "read*"):
        assert snippet(text, query) == reference_snippet(text, query, ("[", "]"), 24, 400_000)


@given(
    st.lists(st.tuples(st.text(alphabet="xé1", min_size=1, max_size=30), st.sampled_from([" ", ". ", "-", "_", " “"]))),
    st.integers(1, 8),
    st.data(),
)
def test_counting_back_finds_the_nth_token(words: list[tuple[str, str]], n: int, data: st.DataObject) -> None:
    text = "".join(word + gap for word, gap in words)
    starts = [token.start() for token in _WORD.finditer(text)]
    ends = [i for i, at in enumerate(starts) if i >= n]
    if not ends:
        return
    i = data.draw(st.sampled_from(ends))
    assert _start_before(text, starts[i], 0, n) == starts[i - n]
