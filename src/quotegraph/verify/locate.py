"""Find the passage of a source that a quotation quotes, even when words were left out, added, changed or moved.

An index of word positions is built once per source. A quotation's distinctive words vote for the
stretch of the source where most of them occur together; the quotation is then aligned with that
stretch and the alignment trimmed to the words that really belong together. What is left is the
passage, or nothing when too little of the quotation is there: a passage that merely shares a few
words is never offered as the quoted one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise
from math import log

from quotegraph.model import Span
from quotegraph.verify.diff import Comparison, compare_tokens
from quotegraph.verify.tokens import STOPWORDS, Token, tokenize, weight

# Least share of the quotation's word weight a passage must hold to be the quoted one. Unrelated
# sentences on the same subject reach a third or so (a topic word and some function words); the
# verdict then shows the nearest passage but says "not in the source" (verdict.py).
FOUND_SHARE = 0.5
MAX_UNMARKED_GAP = 12  # more source words skipped than this, without an elision mark, is another passage
MARKED_REACH = 400  # how far an elision mark may skip
MAX_POSTINGS = 1000  # a word this common in the source tells nothing about where a quotation is
STRAY_GAP = 2  # function words at a passage's end this much further apart than quoted are a chance match
VOTERS = 12  # the quotation's rarest words in the source vote; more would only add time
CANDIDATES = 3  # voting windows aligned in full; the best alignment wins …
MAX_CANDIDATES = 8  # … and up to this many when more windows tie with the best


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of source tokens ``[first, last]`` where many of the quotation's words occur."""

    first: int
    last: int
    votes: float  # the distinct distinctive quotation words in it, each weighted by its rarity in the source


@dataclass(frozen=True, slots=True)
class Match:
    """The located passage: source tokens ``[first, last]``, its character span and the diff."""

    first: int
    last: int
    span: Span
    comparison: Comparison


class SourceIndex:
    """Word positions of one source text, built once and asked many times."""

    __slots__ = ("keys", "positions", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.keys = [t.key for t in self.tokens]
        positions: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            positions.setdefault(key, []).append(i)
        self.positions = positions

    def windows(self, quoted: Sequence[Token], reach: int, limit: int) -> list[Window]:
        """Up to ``limit`` non-overlapping stretches of at most ``reach`` tokens holding the most
        distinct distinctive words of the quotation, best first."""
        wanted = {t.key for t in quoted if t.key not in STOPWORDS}
        present = sorted((len(self.positions[k]), k) for k in wanted if k in self.positions)
        rarity = {key: log(1 + len(self.tokens) / count) for count, key in present[:VOTERS] if count <= MAX_POSTINGS}
        hits = sorted((pos, key) for key in rarity for pos in self.positions[key])
        if not hits:
            return []
        scored: list[tuple[float, int, int]] = []  # (-votes, first, last)
        inside: Counter[str] = Counter()
        votes = 0.0
        left = 0
        for pos, key in hits:
            if not inside[key]:
                votes += rarity[key]
            inside[key] += 1
            while hits[left][0] < pos - reach:
                gone = hits[left][1]
                inside[gone] -= 1
                if not inside[gone]:
                    votes -= rarity[gone]
                left += 1
            scored.append((-round(votes, 6), hits[left][0], pos))  # rounded: equal sets of words tie
        scored.sort()
        chosen: list[Window] = []
        for votes, first, last in scored:
            if len(chosen) >= limit and -votes < chosen[0].votes:
                break  # beyond ``limit``, only windows as good as the best: a tie is not decided by position
            if len(chosen) >= MAX_CANDIDATES:
                break
            if all(last < w.first or first > w.last for w in chosen):
                chosen.append(Window(first, last, -votes))
        return chosen

    def locate(
        self, quoted: str, tokens: Sequence[Token], marks: Sequence[tuple[int, int]], floor: float = FOUND_SHARE
    ) -> Match | None:
        """The passage the quotation quotes, or None when no passage holds ``floor`` of it."""
        best = self.best(quoted, tokens, marks)
        return best if best is not None and best.comparison.coverage >= floor else None

    def best(self, quoted: str, tokens: Sequence[Token], marks: Sequence[tuple[int, int]]) -> Match | None:
        """The passage holding most of the quotation, however little (None: not one distinctive word)."""
        if not tokens:
            return None
        # Votes come from a stretch as long as the quotation; an elision mark inside it lets the
        # alignment reach further on either side of that stretch.
        interior = any(tokens[0].end <= s and e <= tokens[-1].start for s, e in marks)
        slack = len(tokens) + 2 + (MARKED_REACH if interior else 0)
        best: Match | None = None
        for window in self.windows(tokens, 2 * len(tokens) + 10, CANDIDATES):
            match = self._align(quoted, tokens, marks, window, slack)
            if match is not None and (best is None or match.comparison.coverage > best.comparison.coverage):
                best = match
            if best is not None and best.comparison.faithful:
                break  # nothing can explain the quotation better
        return best

    def _align(
        self, quoted: str, tokens: Sequence[Token], marks: Sequence[tuple[int, int]], window: Window, slack: int
    ) -> Match | None:
        lo = max(0, window.first - slack)
        hi = min(len(self.tokens), window.last + slack + 1)
        q_keys = [t.key for t in tokens]
        blocks = [
            (b.a, lo + b.b, b.size)
            for b in SequenceMatcher(None, q_keys, self.keys[lo:hi], autojunk=False).get_matching_blocks()
            if b.size
        ]
        if len(blocks) > 1:
            blocks[0] = self._nearest(blocks[0], blocks[1][1])
        cluster = _densest(blocks, tokens, marks)
        if not any(t.key not in STOPWORDS for b in cluster for t in tokens[b[0] : b[0] + b[2]]):
            return None
        bounds = self._bounds(cluster, tokens)
        first, last = bounds[0]
        comparison = compare_tokens(quoted, tokens, self.text, self.tokens[first : last + 1], marks)
        cost = _cost(comparison)
        for other_first, other_last in bounds[1:]:
            if cost == 0:
                break  # the aligned blocks explain the quotation: no other bounds can do better
            other = compare_tokens(quoted, tokens, self.text, self.tokens[other_first : other_last + 1], marks)
            if (_cost(other), -other.coverage) < (cost, -comparison.coverage):
                first, last, comparison, cost = other_first, other_last, other, _cost(other)
        return Match(first, last, Span(self.tokens[first].start, self.tokens[last].end), comparison)

    def _bounds(self, cluster: list[Block], tokens: Sequence[Token]) -> list[tuple[int, int]]:
        """Where the passage may begin and end: at the aligned blocks' ends, without an end block, or
        stretched to the quotation's first or last word standing just outside (a run moved to an end
        leaves the matcher's blocks crossing)."""
        choices = [cluster]
        if len(cluster) > 1:
            choices += [cluster[1:], cluster[:-1]]
        bounds: list[tuple[int, int]] = []  # the aligned blocks' own ends first
        for blocks in choices:
            first, last = blocks[0][1], blocks[-1][1] + blocks[-1][2] - 1
            before = blocks[0][0]  # quotation words left before the first block
            after = len(tokens) - (blocks[-1][0] + blocks[-1][2])
            firsts, lasts = [first], [last]
            if before:
                reach = self.keys[max(0, first - before - 3) : first]
                if tokens[0].key in reach:
                    firsts.append(first - 1 - reach[::-1].index(tokens[0].key))
            if after:
                reach = self.keys[last + 1 : last + after + 4]
                if tokens[-1].key in reach:
                    lasts.append(last + 1 + reach.index(tokens[-1].key))
                # The quotation's last words standing just before the passage: moved from its start.
                # (Function words alone stand everywhere: they are no evidence of a move.)
                trailing = [t.key for t in tokens[len(tokens) - after :]]
                if _telling(trailing) and first >= after and self.keys[first - after : first] == trailing:
                    firsts.append(first - after)
            if before:
                leading = [t.key for t in tokens[:before]]
                if _telling(leading) and self.keys[last + 1 : last + 1 + before] == leading:
                    lasts.append(last + before)
            bounds += [(f, t) for f in firsts for t in lasts]
        return list(dict.fromkeys(bounds))

    def _nearest(self, block: Block, before: int) -> Block:
        """The same words as the first aligned block, but where they stand closest before the next one.

        The matcher takes the earliest of equal candidates, which for the first block is the farthest
        from the rest of the passage: "of" a sentence before the quoted "of".
        """
        q, j, size = block
        words = self.keys[j : j + size]
        for p in reversed(self.positions[words[0]]):
            if p <= j:
                break
            if p + size <= before and self.keys[p : p + size] == words:
                return (q, p, size)
        return block


Block = tuple[int, int, int]  # (quotation token, source token, length)


def _densest(blocks: list[Block], tokens: Sequence[Token], marks: Sequence[tuple[int, int]]) -> list[Block]:
    """The aligned blocks that belong to one passage: split where the source skips far more words than
    the quotation without an elision mark saying so, keep the heaviest part, drop function-word strays
    at its ends."""
    if not blocks:
        return []
    clusters: list[list[Block]] = [[blocks[0]]]
    for prev, block in pairwise(blocks):
        q_gap = block[0] - (prev[0] + prev[2])
        s_gap = block[1] - (prev[1] + prev[2])
        gap = Span(tokens[prev[0] + prev[2] - 1].end, tokens[block[0]].start)
        marked = any(gap.start <= s and e <= gap.end for s, e in marks)
        if s_gap - q_gap > (MARKED_REACH if marked else MAX_UNMARKED_GAP):
            clusters.append([block])
        else:
            clusters[-1].append(block)

    def heft(cluster: list[Block]) -> float:
        return sum(weight(t.key) for b in cluster for t in tokens[b[0] : b[0] + b[2]])

    best = max(clusters, key=heft)
    while len(best) > 1 and _stray(best[0], best[1], tokens, marks):
        best = best[1:]
    while len(best) > 1 and _stray(best[-1], best[-2], tokens, marks):
        best = best[:-1]
    return best


def _telling(keys: Sequence[str]) -> bool:
    return any(key not in STOPWORDS for key in keys)


def _cost(comparison: Comparison) -> float:
    """How much a passage leaves unexplained: omitted and changed words, and added ones three times over (a
    word said not to be in the source is the stronger claim). Moved words count once."""
    cost = 0.0
    for edit in comparison.edits:
        if edit.legitimate:
            continue
        if edit.type == "insertion":
            cost += 3 * edit.quoted_words
        elif edit.type == "reordering":
            cost += edit.quoted_words
        else:
            cost += edit.quoted_words + edit.passage_words
    return cost


def _stray(end: Block, neighbour: Block, tokens: Sequence[Token], marks: Sequence[tuple[int, int]]) -> bool:
    """An end block of one function word, further from its neighbour in the source than in the quotation
    where no elision mark says words were left out."""
    if end[2] > 1 or tokens[end[0]].key not in STOPWORDS:
        return False
    left, right = (end, neighbour) if end[1] < neighbour[1] else (neighbour, end)
    s_gap, q_gap = right[1] - (left[1] + left[2]), right[0] - (left[0] + left[2])
    gap = Span(tokens[left[0] + left[2] - 1].end, tokens[right[0]].start)
    if any(gap.start <= s and e <= gap.end for s, e in marks):
        return False
    return s_gap > q_gap + STRAY_GAP
