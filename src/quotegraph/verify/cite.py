"""Which corpus document is the work a quotation cites? Its title, matched loosely.

Works are cited as their authors remember them: in other case, with or without the subtitle or an
article, in another word order, "The Revolution Betrayed" for "The Revolution Betrayed: What Is the Soviet
Union …". rapidfuzz scores the folded strings; a citation without the subtitle may match the start of a long
title.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

TITLE_MATCH = 88.0  # least rapidfuzz score (0–100) for a cited work to be a document's title
MIN_PARTIAL = 12  # a work this long may match the start of a longer title (shorter ones would match anything)


@dataclass(frozen=True, slots=True)
class TitleMatch:
    document_id: str
    title: str
    score: float


def fold_title(value: str) -> str:
    """Case-, accent-, punctuation- and spacing-free form of a title."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def match_work(work: str, titles: Sequence[tuple[str, str]]) -> TitleMatch | None:
    """The document (id, title) whose title is the cited ``work``, best score first; None below the floor."""
    wanted = fold_title(work)
    if not wanted:
        return None
    best: TitleMatch | None = None
    for document_id, title in titles:
        folded = fold_title(title)
        if not folded:
            continue
        score = fuzz.token_sort_ratio(wanted, folded)
        # "testament of Lenin" for "Lenin's Testament": the same words in another order, but not a word
        # or two that happen to be in a long title.
        words, title_words = len(wanted.split()), len(folded.split())
        if words > 1 and title_words <= words + 1:
            score = max(score, fuzz.token_set_ratio(wanted, folded))
        if len(wanted) >= MIN_PARTIAL and len(wanted) < len(folded):
            score = max(score, fuzz.ratio(wanted, folded[: len(wanted)]))
        if score >= TITLE_MATCH and (best is None or score > best.score):
            best = TitleMatch(document_id, title, score)
    return best
