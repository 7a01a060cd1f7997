"""Quotation families: pairwise precision and recall on a synthetic corpus, time per quotation, peak memory.

    python benchmarks/families.py [--passages 150] [--seed 7] [--lexical-only]

The generator (fixed seed, deterministic) takes passages of two or three sentences from the sample
corpus (no two sharing six running words) and repeats each in 1–5 synthetic documents: verbatim,
cut (at least 70 % of its words kept, the cut sometimes marked with "…"), elided inside ("…", "...",
"[…]"), with case and punctuation changed, a word garbled. Mixed in: stock phrases quoted as terms in many documents
and inside short sentences that are otherwise unrelated (they must stay unlinked), and Lenin's
postscript in the 1923 translation of the sample corpus and the 1956 translation of Khrushchev's
report (they must be linked). The gold family of an occurrence is the passage it came from; a stock
phrase occurrence is a family of its own. Scored over pairs of occurrences.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from quotegraph.link.families import Family, Occurrence, embedding_units, find_families, words

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"

# Lenin's postscript of 4 January 1923: the translation quoted in examples/corpus/003, and the one in
# the 1956 English text of Khrushchev's report to the 20th Congress (the first sentence of each).
POSTSCRIPT_1923 = (
    "Stalin is too rude, and this fault, entirely supportable in relations among us Communists, becomes "
    "insupportable in the office of general secretary."
)
POSTSCRIPT_1956 = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and in contacts "
    "among us Communists, becomes a defect which cannot be tolerated in one holding the position of the "
    "Secretary General."
)
# Set phrases of the subject: test data for the generator, not a list the linker uses.
STOCK_PHRASES = (
    "enemy of the people",
    "cult of personality",
    "dictatorship of the proletariat",
    "socialism in one country",
    "the cult of the individual",
    "peaceful coexistence",
    "democratic centralism",
    "collective leadership",
    "permanent revolution",
    "workers of the world, unite",
    "all power to the soviets",
    "the withering away of the state",
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_ELISIONS = (" … ", " ... ", " […] ")


@dataclass(frozen=True, slots=True)
class Item:
    occurrence: Occurrence
    gold: str  # the passage (or stock-phrase occurrence) it came from


def passages(count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Windows of 2–3 corpus sentences, 15–120 words, no two sharing a run of six words; and the
    windows left over that share no such run with them (filler for the stock-phrase sentences)."""
    pool: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            found = [s.strip() for s in _SENTENCE.findall(paragraph)]
            for i in range(0, len(found) - 1, 3):
                window = " ".join(found[i : i + rng.choice((2, 3))])
                if 15 <= len(words(window)) <= 120:
                    pool.append(window)
    rng.shuffle(pool)
    chosen: list[str] = []
    left: list[str] = []
    seen: set[tuple[str, ...]] = {words(POSTSCRIPT_1923)[:6]}
    for text in pool:
        w = words(text)
        grams = {w[i : i + 6] for i in range(len(w) - 5)}
        if grams & seen:
            continue
        seen |= grams
        (chosen if len(chosen) < count else left).append(text)
    return chosen, left


def variant(text: str, rng: random.Random) -> str:
    """One author's rendering of a passage: cut, elided, re-cased or re-punctuated, or verbatim."""
    tokens = text.split()
    if rng.random() < 0.4:  # a cut keeping at least 70 % of the words
        keep = max(8, int(len(tokens) * rng.uniform(0.7, 0.95)))
        start = rng.randint(0, len(tokens) - keep)
        tokens = tokens[start : start + keep]
        if rng.random() < 0.5:
            tokens = ["…", *tokens] if start else [*tokens, "…"]
    if rng.random() < 0.2:  # a word misspelt or changed, as copying by hand does
        at = rng.randrange(len(tokens))
        tokens = [*tokens[:at], tokens[at][::-1], *tokens[at + 1 :]]
    if rng.random() < 0.3 and len(tokens) > 16:  # words left out inside, marked
        at = rng.randint(5, len(tokens) - 10)
        gap = rng.randint(2, 5)
        tokens = [*tokens[:at], rng.choice(_ELISIONS).strip(), *tokens[at + gap :]]
    out = " ".join(tokens)
    if rng.random() < 0.3:
        out = out.lower() if rng.random() < 0.5 else out.upper()
    if rng.random() < 0.3:
        out = out.replace(",", "").replace("’", "'").replace(";", ",")
    return out


def generate(n_passages: int, seed: int = 7, translation: bool = True) -> list[Item]:
    rng = random.Random(seed)
    items: list[Item] = []
    documents = [f"syn{i:04d}" for i in range(max(10, n_passages))]

    def add(text: str, gold: str, kind: str = "speech") -> None:
        doc = rng.choice(documents)
        quote_id = f"q{sum(1 for i in items if i.occurrence.document_id == doc) + 1}"
        items.append(Item(Occurrence(doc, f"{doc}.txt", quote_id, text, None, kind), gold))

    chosen, left = passages(n_passages, rng)
    for n, text in enumerate(chosen):
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
            add(variant(text, rng), f"p{n}")
    if not left:
        raise SystemExit(f"the sample corpus gives {len(chosen)} passages and no filler: ask for fewer")
    filler = [w for text in left for w in text.split()]
    cursor = 0
    for n in range(n_passages):  # each sentence around a stock phrase takes the next, unused filler words
        phrase = rng.choice(STOCK_PHRASES)
        add(phrase, f"stock{n}", "term")
        around = rng.randint(2, 5)
        if cursor + around + 2 > len(filler):
            raise SystemExit("not enough filler words for the stock-phrase sentences: ask for fewer passages")
        before, after = filler[cursor : cursor + around], filler[cursor + around : cursor + around + 2]
        cursor += around + 3
        add(" ".join([*before, phrase, *after]), f"s{n}")
    if translation:
        add(POSTSCRIPT_1923, "postscript")
        add(POSTSCRIPT_1956, "postscript")
    rng.shuffle(items)
    return items


def score(items: list[Item], families: list[Family]) -> dict[str, float]:
    """Pairwise precision and recall: a pair is linked when both occurrences share a family."""
    gold: dict[str, list[str]] = defaultdict(list)
    for item in items:
        gold[item.gold].append(item.occurrence.permalink)
    gold_pairs = {frozenset(p) for members in gold.values() for p in combinations(members, 2)}
    found_pairs = {frozenset(p) for f in families for p in combinations([m.occurrence.permalink for m in f.members], 2)}
    hit = len(gold_pairs & found_pairs)
    return {
        "precision": hit / len(found_pairs) if found_pairs else 1.0,
        "recall": hit / len(gold_pairs) if gold_pairs else 1.0,
        "gold_pairs": len(gold_pairs),
        "found_pairs": len(found_pairs),
    }


def linked(items: list[Item], families: list[Family], gold: str) -> bool:
    wanted = {i.occurrence.permalink for i in items if i.gold == gold}
    return any(wanted <= {m.occurrence.permalink for m in f.members} for f in families)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--lexical-only", action="store_true", help="No embeddings: lexical linking alone.")
    args = ap.parse_args()
    items = generate(args.passages, args.seed)
    occurrences = [i.occurrence for i in items]
    vectors = None
    embed_s = 0.0
    if not args.lexical_only:
        from quotegraph.link.embed import Embedder

        embedder = Embedder.load()
        units = embedding_units(occurrences)
        t = time.process_time()
        vectors = dict(zip(units, embedder.embed(units), strict=True))
        embed_s = time.process_time() - t
    t = time.process_time()
    families = find_families(occurrences, vectors)
    link_s = time.process_time() - t
    figures = score(items, families)
    n = len(occurrences)
    print(f"occurrences          {n} ({args.passages} passages, seed {args.seed})")
    print(f"families found       {len(families)}")
    print(f"pairwise precision   {figures['precision']:.3f} ({figures['found_pairs']} pairs linked)")
    print(f"pairwise recall      {figures['recall']:.3f} ({figures['gold_pairs']} gold pairs)")
    print(f"translation linked   {linked(items, families, 'postscript')}")
    print(f"embedding            {embed_s / n * 1000:.2f} ms of CPU per quotation ({len(vectors or ())} texts)")
    print(f"linking              {link_s / n * 1000:.2f} ms of CPU per quotation")
    print(f"peak memory          {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0 if figures["precision"] >= 0.9 and figures["recall"] >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
