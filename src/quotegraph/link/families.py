"""Quotation families: every occurrence of one quotation across the corpus, however it was cut or translated.

Pure: quotations and their sentence vectors in, frozen families out. Two quotations join a family when

- **lexically** (found with an inverted index of word shingles, so it is not quadratic) one holds
  the other, whole or in part: the same words up to case, accents, punctuation and "…" elisions
  (*verbatim*), one quoting more than the other or an overlapping cut (*cut*), or with words left out
  at a marked elision (*elided*); or
- **as translations** of one original: their sentence vectors are close (cosine ≥ COS_MIN), their
  lengths compatible, and they share rare content words or are closer still (COS_HIGH).

Set phrases ("enemy of the people", "socialism in one country") must not make documents look as if
they quote each other: a short quotation (kind ``term``/``title`` or fewer than SHORT_WORDS words) joins
only on an exact match of its whole text, only with MIN_CONTENT_WORDS content words or more, and never
when the corpus uses it in STOCK_MIN_DOCS documents or more (document frequency: a phrase many authors
use independently is idiom, not quotation). Such stock phrases are masked out of the word runs long
quotations share, and long quotations need a shared run far longer than a set phrase
(MIN_SHARED_SHINGLES shingles of SHINGLE words) covering much of the shorter one (MIN_CONTAINMENT).

The translation thresholds were set on the sample corpus and the synthetic set of
``benchmarks/families.py``:
- COS_MIN 0.80: the 1923 and 1956 translations of Lenin's postscript score 0.84–0.86 as bare sentences
  and 0.815 with the 1923 text's "Postscript:" label; unrelated quotations of the sample corpus on the
  same subject reach 0.82 ("what, if any, decisive political mistakes were made by Stalin" / "when what
  happened under Stalin is called mistakes"), so the cosine alone does not decide: the two must also
  have MIN_SHARED_CONTENT of the shorter one's content words in common (the postscripts share "Stalin",
  "rude", "Communists", "general", "secretary") and, below COS_HIGH, MIN_SHARED_RARE rare ones (in at
  most RARE_SHARE of the corpus's other distinct quotations: "rude", "Communists", not "Stalin"; in a
  corpus too small to tell, any one other quotation).
- COS_HIGH 0.92: above it two English sentences say the same thing in nearly the same words.
- TRANSLATION_MIN_WORDS 12: the vectors of short sentences on one subject ("a struggle for socialism in
  one country") are close whatever they say.
- Length ratio ≤ 1.8: translations of one passage differ in wordiness, not in extent (the 1956
  postscript has 1.6 times the words of the 1923 one); a different extent is a cut, which the
  sentence units (each sentence of a longer quotation is embedded too) catch.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from quotegraph.verify.tokens import ELISION, STOPWORDS, elisions, tokenize

Relation = Literal["representative", "verbatim", "cut", "elided", "translation"]

SHINGLE = 4  # words per shingle: long enough that shingles of common words are rare
SHORT_WORDS = 8  # a quotation of fewer words is a short phrase: exact matches only
MIN_CONTENT_WORDS = 4  # a short phrase needs this many non-stop words to link at all
STOCK_MIN_DOCS = 3  # a short phrase quoted in this many documents is a stock phrase
STOCK_MASK_WORDS = 3  # stock phrases this long do not count as words two long quotations share
MIN_SHARED_SHINGLES = 5  # long quotations share ≥ 8 running words (5 shingles of 4) …
MIN_CONTAINMENT = 0.5  # … covering at least half the shingles of the shorter one
MAX_POSTINGS = 500  # a shingle in more distinct quotations is idiom: not used to find candidates
COS_MIN = 0.80
COS_HIGH = 0.92
MAX_LENGTH_RATIO = 1.8
MIN_SHARED_RARE = 2  # rare content words two translations must share below COS_HIGH
MIN_SHARED_CONTENT = 0.4  # share of the shorter one's content words two translations must have in common
TRANSLATION_MIN_WORDS = 12  # shorter texts' vectors say too little to call them translations
RARE_SHARE = 0.05  # a content word in at most 5 % of the other distinct quotations (at least 1) is rare

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One quotation of one current document version, as the link step reads it from the store."""

    document_id: str
    document_name: str
    quote_id: str
    text: str
    speaker: str | None = None
    kind: str = "speech"
    parent: str | None = None  # the quotation this one is nested in: a quotation does not repeat its parent

    @property
    def permalink(self) -> str:
        return f"{self.document_id}#{self.quote_id}"


@dataclass(frozen=True, slots=True)
class Member:
    occurrence: Occurrence
    relation: Relation  # how it stands to the family's representative
    similarity: float  # 1.0 verbatim; shingle containment for cuts; cosine for translations


@dataclass(frozen=True, slots=True)
class Family:
    id: str  # stable across recomputation: derived from the representative's words
    members: tuple[Member, ...]  # the representative first

    @property
    def representative(self) -> Member:
        return self.members[0]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.occurrence.document_id for m in self.members))


@dataclass(frozen=True, slots=True)
class Match:
    """An occurrence of a traced text: how the corpus quotation relates to the text given."""

    occurrence: Occurrence
    relation: Relation
    similarity: float


# -- normalisation ---------------------------------------------------------------------------------


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(_fold(w) for w in STOPWORDS)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "'")


def words(text: str) -> tuple[str, ...]:
    """The words of a text as verification compares them (case, marks, line-end hyphens ignored),
    accents and apostrophes ignored too."""
    return tuple(_fold(t.key) for t in tokenize(text))


def segments(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of words between elision marks ("…", "...", "[…]"): a cut never spans one."""
    parts, at = [], 0
    for start, end in elisions(text):
        parts.append(text[at:start])
        at = end
    parts.append(text[at:])
    return tuple(s for s in (words(part) for part in parts) if s)


def embedding_text(text: str) -> str:
    """The form a quotation is embedded in (and cached by): elisions out, marks and spaces unified."""
    plain = unicodedata.normalize("NFKC", ELISION.sub(" ", text)).translate(_QUOTE_MARKS)
    return " ".join(plain.split())


def embedding_key(text: str, model: str) -> str:
    """Cache key of an embedding: the hash of the embedded text and the model that embedded it."""
    return hashlib.sha256(f"{model}\x00{embedding_text(text)}".encode()).hexdigest()


def sentences(text: str) -> list[str]:
    """The sentences of a quotation, for matching a translation of part of it."""
    return [s for s in _SENTENCE_END.split(embedding_text(text)) if s.strip()]


# -- passages: distinct quotation texts ------------------------------------------------------------


@dataclass(slots=True)
class _Passage:
    """A distinct quotation text (identical words = one passage) and where it occurs."""

    key: str
    text: str  # one occurrence's text, for embedding
    words: tuple[str, ...]
    segments: tuple[tuple[str, ...], ...]
    short: bool
    occurrences: list[Occurrence] = field(default_factory=list)
    shingles: frozenset[tuple[str, ...]] = frozenset()

    @property
    def documents(self) -> set[str]:
        return {o.document_id for o in self.occurrences}

    @property
    def internal_elision(self) -> bool:
        return len(self.segments) > 1


def _key(segs: tuple[tuple[str, ...], ...]) -> str:
    return " | ".join(" ".join(s) for s in segs)


def _passage(occurrence: Occurrence) -> _Passage:
    segs = segments(occurrence.text)
    flat = tuple(w for s in segs for w in s)
    short = occurrence.kind in ("term", "title") or len(flat) < SHORT_WORDS
    return _Passage(_key(segs), occurrence.text, flat, segs, short)


def _passages(occurrences: Iterable[Occurrence]) -> list[_Passage]:
    by_key: dict[str, _Passage] = {}
    for o in occurrences:
        p = _passage(o)
        if not p.words:
            continue
        found = by_key.setdefault(p.key, p)
        if p.short:  # quoted as a term anywhere: treated as a term everywhere
            found.short = True
        found.occurrences.append(o)
    return list(by_key.values())


class Passages:
    """The corpus's distinct quotation texts and what is embedded for them, made once per run and
    shared: ``embedding_units`` says which texts need vectors, ``find_families`` and ``trace`` link them.
    (Both only add to the passages what their words determine, so they may share one.)"""

    __slots__ = ("_units", "passages")

    def __init__(self, occurrences: Iterable[Occurrence]) -> None:
        self.passages = _passages(occurrences)
        self._units: list[_Unit] | None = None

    @property
    def units(self) -> list[_Unit]:
        """The embedded texts of the long passages (each whole, and its long sentences), made when first asked."""
        if self._units is None:
            self._units = [u for i, p in enumerate(self.passages) if not p.short for u in _units(p, i)]
        return self._units


def _prepared(corpus: Iterable[Occurrence] | Passages) -> Passages:
    return corpus if isinstance(corpus, Passages) else Passages(corpus)


def _contains(outer: Sequence[tuple[str, ...]], inner: tuple[str, ...]) -> bool:
    """Whether ``inner`` is a contiguous run of words inside one of ``outer``'s segments."""
    n = len(inner)
    return any(seg[i : i + n] == inner for seg in outer for i in range(len(seg) - n + 1) if seg[i] == inner[0])


def _content_words(ws: Iterable[str]) -> set[str]:
    stop = _stop_words()
    return {w for w in ws if w not in stop and len(w) > 1 and not w.isdigit()}


class _Index:
    """The corpus's passages with a word index (short phrases) and a shingle index (long quotations)."""

    def __init__(self, passages: list[_Passage]) -> None:
        self.passages = passages
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(passages):
            for w in set(p.words):
                self.by_word[w].append(i)
        # Short phrases and the passages that hold them; those many documents use are stock phrases,
        # whose words long quotations do not count as shared (shingles over them are left out).
        # (Shorter phrases can neither link nor be masked: they are not looked up.)
        self.holders = {
            i: self.containing(p.words)
            for i, p in enumerate(passages)
            if p.short and len(p.segments) == 1 and len(p.words) >= STOCK_MASK_WORDS
        }
        self.stock = {passages[i].words for i, held in self.holders.items() if self._documents(held) >= STOCK_MIN_DOCS}
        self.stock_lengths = sorted({len(w) for w in self.stock}, reverse=True)
        self.by_shingle: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, p in enumerate(passages):
            if not p.short:
                p.shingles = self.shingles(p.segments)
                for s in p.shingles:
                    self.by_shingle[s].append(i)
        self.parents = {(o.document_id, o.quote_id): o.parent for p in passages for o in p.occurrences}
        self.content_df = Counter(w for p in passages for w in _content_words(p.words))
        self.rare_limit = max(1, int(RARE_SHARE * len(passages)))

    def rare(self, words: Iterable[str], compared: int) -> set[str]:
        """Those of ``words`` that few quotations besides the ``compared`` ones (of the index) use."""
        return {w for w in words if self.content_df[w] - compared <= self.rare_limit}

    def nested(self, a: Occurrence, b: Occurrence) -> bool:
        """Whether one of two occurrences is nested in the other: words quoted inside a quotation."""
        if a.document_id != b.document_id:
            return False
        for inner, outer in ((a, b), (b, a)):
            parent = inner.parent
            while parent is not None:
                if parent == outer.quote_id:
                    return True
                parent = self.parents.get((inner.document_id, parent))
        return False

    def independent(self, i: int, j: int) -> bool:
        """Whether two passages occur at least once other than nested in each other."""
        return any(not self.nested(a, b) for a in self.passages[i].occurrences for b in self.passages[j].occurrences)

    def _documents(self, held: Iterable[int]) -> int:
        return len(set().union(*(self.passages[h].documents for h in held)))

    def shingles(self, segs: Iterable[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
        """Runs of SHINGLE words within one segment, none overlapping a stock phrase."""
        out: set[tuple[str, ...]] = set()
        for seg in segs:
            masked = [False] * len(seg)
            for n in self.stock_lengths:
                for i in range(len(seg) - n + 1):
                    if seg[i : i + n] in self.stock:
                        masked[i : i + n] = [True] * n
            out.update(seg[i : i + SHINGLE] for i in range(len(seg) - SHINGLE + 1) if not any(masked[i : i + SHINGLE]))
        return frozenset(out)

    def linkable(self, i: int) -> bool:
        """Whether a short phrase may link at all: specific enough, and not a stock phrase."""
        p = self.passages[i]
        held = self.holders.get(i)
        if held is None or len(_content_words(p.words)) < MIN_CONTENT_WORDS:
            return False
        return self._documents(held) < STOCK_MIN_DOCS

    def containing(self, phrase: tuple[str, ...]) -> list[int]:
        """Passages holding ``phrase`` as a run of words, looked up through its rarest word."""
        postings = min((self.by_word.get(w, []) for w in set(phrase)), key=len)
        return [i for i in postings if _contains(self.passages[i].segments, phrase)]

    def shingle_candidates(self, shingles: Iterable[tuple[str, ...]]) -> Counter[int]:
        """Passages sharing shingles with the given ones, by number of (non-idiom) shingles shared."""
        shared: Counter[int] = Counter()
        for s in shingles:
            postings = self.by_shingle.get(s, ())
            if len(postings) <= MAX_POSTINGS:
                shared.update(postings)
        return shared


def _lexical(a: _Passage, b: _Passage) -> tuple[Relation, float] | None:
    """How two passages relate by their words, or None when they do not share a quotation."""
    if a.key == b.key:
        return "verbatim", 1.0
    if a.short or b.short:
        inner, outer = (a, b) if len(a.words) <= len(b.words) else (b, a)
        if all(_contains(outer.segments, seg) for seg in inner.segments):
            return ("elided" if inner.internal_elision else "cut"), 1.0
        return None
    shared = len(a.shingles & b.shingles)
    smaller = min(len(a.shingles), len(b.shingles))
    if shared < min(MIN_SHARED_SHINGLES, smaller) or not smaller or shared / smaller < MIN_CONTAINMENT:
        return None
    # Different keys with the same words differ only in where elisions are marked.
    return ("elided" if a.internal_elision or b.internal_elision else "cut"), round(shared / smaller, 3)


# -- translations ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    owner: int  # passage index (or -1 for a traced text)
    text: str
    length: int  # words


def _units(passage: _Passage, owner: int) -> list[_Unit]:
    """What is embedded for a passage: its whole text and, if it has several, each long sentence."""
    whole = embedding_text(passage.text)
    units = [_Unit(owner, whole, len(passage.words))]
    parts = sentences(passage.text)
    if len(parts) > 1:
        units += [_Unit(owner, s, n) for s in parts if (n := len(words(s))) >= TRANSLATION_MIN_WORDS]
    return units


def embedding_units(corpus: Iterable[Occurrence] | Passages) -> list[str]:
    """The texts ``find_families`` needs vectors for (long quotations and their sentences), once each."""
    return list(dict.fromkeys(u.text for u in _prepared(corpus).units))


def _translation(a: _Unit, b: _Unit, cosine: float, index: _Index, compared: int = 2) -> bool:
    """The translation test: close vectors, compatible lengths, and the same names and terms."""
    if cosine < COS_MIN or min(a.length, b.length) < TRANSLATION_MIN_WORDS:
        return False
    if max(a.length, b.length) > MAX_LENGTH_RATIO * min(a.length, b.length):
        return False
    content_a, content_b = _content_words(words(a.text)), _content_words(words(b.text))
    shared = content_a & content_b
    if len(shared) < MIN_SHARED_CONTENT * min(len(content_a), len(content_b)):
        return False
    return cosine >= COS_HIGH or len(index.rare(shared, compared)) >= MIN_SHARED_RARE


def _matrix(units: Sequence[_Unit], vectors: Mapping[str, NDArray[np.float32]]) -> NDArray[np.float32]:
    if not units:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([vectors[u.text] for u in units]).astype(np.float32, copy=False)


def _translation_edges(
    index: _Index, units: list[_Unit], matrix: NDArray[np.float32], uf: _UnionFind, chunk: int = 512
) -> dict[tuple[int, int], float]:
    """Pairs of passages, not in one family yet, whose units pass the translation test (joined in ``uf``).

    An exact search in blocks of ``chunk`` rows: quadratic in the number of long quotations, but
    vectorised and in bounded memory; pairs already in one family (cuts of one passage are many and
    alike) are masked out before any Python runs over them.
    """
    owners = np.array([u.owner for u in units], dtype=np.int64)
    edges: dict[tuple[int, int], float] = {}
    for begin in range(0, len(units), chunk):
        family = np.array([uf.find(int(o)) for o in owners])
        block = matrix[begin : begin + chunk] @ matrix.T
        candidate = (block >= COS_MIN) & (family[begin : begin + chunk, None] != family[None, :])
        candidate &= owners[begin : begin + chunk, None] < owners[None, :]
        rows, cols = np.nonzero(candidate)
        for r, c in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda rc: -block[rc[0], rc[1]]):
            i = begin + r
            a, b = int(owners[i]), int(owners[c])
            cosine = round(float(block[r, c]), 3)
            if uf.find(a) != uf.find(b) and _translation(units[i], units[c], cosine, index):
                uf.union(a, b)
                edges[(a, b)] = cosine
    return edges


# -- families --------------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def reading_order(o: Occurrence) -> tuple[str, str, int, str]:
    """Sort key: by document, then quotation number (q2 before q10)."""
    number = o.quote_id.lstrip("q")
    return (o.document_name, o.document_id, int(number) if number.isdigit() else 0, o.quote_id)


def _lexical_edges(index: _Index) -> dict[tuple[int, int], tuple[Relation, float]]:
    edges: dict[tuple[int, int], tuple[Relation, float]] = {}
    for i, p in enumerate(index.passages):
        if p.short:
            if not index.linkable(i):
                continue
            found = ((h, _lexical(p, index.passages[h])) for h in index.holders[i] if h != i)
        else:
            found = (
                (j, _lexical(p, index.passages[j]))
                for j, n in index.shingle_candidates(p.shingles).items()
                if j > i and n >= MIN_SHARED_SHINGLES
            )
        for j, relation in found:
            if relation is not None and index.independent(i, j):
                edges[(min(i, j), max(i, j))] = relation
    return edges


def _alone(index: _Index, i: int) -> bool:
    """Whether identical occurrences of a passage make a family on their own (stock phrases do not)."""
    return not index.passages[i].short or index.linkable(i)


def find_families(
    corpus: Iterable[Occurrence] | Passages, vectors: Mapping[str, NDArray[np.float32]] | None = None
) -> list[Family]:
    """Group the corpus's quotations (occurrences, or their ``Passages`` made already) into families
    (two occurrences or more), largest first.

    ``vectors`` maps each text of ``embedding_units(corpus)`` to its normalised sentence vector;
    without them only lexical families are found.
    """
    prepared = _prepared(corpus)
    index = _Index(prepared.passages)
    uf = _UnionFind(len(index.passages))
    neighbours: dict[int, list[tuple[int, Relation, float]]] = defaultdict(list)
    for (a, b), (relation, score) in _lexical_edges(index).items():
        uf.union(a, b)
        neighbours[a].append((b, relation, score))
        neighbours[b].append((a, relation, score))
    translations: dict[tuple[int, int], float] = {}
    if vectors is not None:
        units = prepared.units
        translations = _translation_edges(index, units, _matrix(units, vectors), uf)
    for (a, b), cosine in translations.items():
        neighbours[a].append((b, "translation", cosine))
        neighbours[b].append((a, "translation", cosine))
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(index.passages)):
        components[uf.find(i)].append(i)
    families = []
    for members in components.values():
        if len(members) == 1 and (len(index.passages[members[0]].occurrences) < 2 or not _alone(index, members[0])):
            continue
        families.append(_family(index, members, neighbours))
    families.sort(key=lambda f: (-len(f.members), -len(f.documents), reading_order(f.representative.occurrence)))
    return families


def _family(index: _Index, members: list[int], neighbours: Mapping[int, list[tuple[int, Relation, float]]]) -> Family:
    passages = index.passages
    for p in (passages[i] for i in members):
        p.occurrences.sort(key=reading_order)
    rep = min(
        members,
        key=lambda i: (
            -len(passages[i].words),
            -len(passages[i].occurrences),
            reading_order(passages[i].occurrences[0]),
        ),
    )
    path = _paths(rep, neighbours)
    out: list[Member] = []
    for i in members:
        p = passages[i]
        if i == rep:
            out.append(Member(p.occurrences[0], "representative", 1.0))
            out += [Member(o, "verbatim", 1.0) for o in p.occurrences[1:]]
            continue
        found = _lexical(p, passages[rep]) or path[i]
        out += [Member(o, *found) for o in p.occurrences]
    out.sort(key=lambda m: (m.relation != "representative", reading_order(m.occurrence)))
    family_id = "f" + hashlib.sha1(passages[rep].key.encode()).hexdigest()[:11]
    return Family(family_id, tuple(out))


def _paths(
    start: int, neighbours: Mapping[int, list[tuple[int, Relation, float]]]
) -> dict[int, tuple[Relation, float]]:
    """For members with no direct relation to the representative: how the chain to it joined them.

    A chain through a translation makes a translation; otherwise overlapping cuts make a cut. The
    similarity is the weakest link of the chain.
    """
    found: dict[int, tuple[Relation, float]] = {start: ("verbatim", 1.0)}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        relation, score = found[here]
        for there, edge, edge_score in neighbours.get(here, ()):
            if there in found:
                continue
            joined: Relation = "translation" if "translation" in (relation, edge) else "cut"
            found[there] = (joined, min(score, edge_score))
            queue.append(there)
    return found


# -- tracing one text ------------------------------------------------------------------------------


def trace(
    text: str,
    corpus: Iterable[Occurrence] | Passages,
    vectors: Mapping[str, NDArray[np.float32]] | None = None,
) -> list[Match]:
    """Every occurrence of ``text`` in the corpus (occurrences, or their ``Passages`` made already):
    the same words (whole, cut or elided) or a translation.

    A traced text is matched even if it is a stock phrase: the user asked for it. ``vectors`` must
    hold the units of ``embedding_units(corpus)`` and of ``trace_units(text)``.
    """
    query = _passage(Occurrence("", "", "", text))
    if not query.words:
        return []
    prepared = _prepared(corpus)
    index = _Index(prepared.passages)
    if not query.short:
        query.shingles = index.shingles(query.segments)
    best: dict[int, tuple[Relation, float]] = {}
    if query.short:
        for i in index.containing(query.words):
            best[i] = _lexical(query, index.passages[i]) or ("cut", 1.0)
    else:
        for i, n in index.shingle_candidates(query.shingles).items():
            relation = (
                _lexical(query, index.passages[i]) if n >= min(MIN_SHARED_SHINGLES, len(query.shingles)) else None
            )
            if relation is not None:
                best[i] = relation
        # A short corpus quotation (a phrase that could link at all) inside the traced text's words:
        runs = {
            query.words[a:b] for a in range(len(query.words)) for b in range(a + 1, min(len(query.words), a + 40) + 1)
        }
        for i, p in enumerate(index.passages):
            if p.short and p.words in runs and index.linkable(i):
                best.setdefault(i, ("cut", 1.0))
    if vectors is not None and not query.short:
        units = prepared.units
        mine = _units(query, -1)
        if units:
            cosines = _matrix(mine, vectors) @ _matrix(units, vectors).T
            for r, c in zip(*np.nonzero(cosines >= COS_MIN), strict=True):
                owner, cosine = units[c].owner, round(float(cosines[r, c]), 3)
                if not _translation(mine[r], units[c], cosine, index, compared=1):
                    continue
                current = best.get(owner)
                if current is None or (current[0] == "translation" and cosine > current[1]):
                    best[owner] = ("translation", cosine)
    matches = [Match(o, *best[i]) for i in best for o in index.passages[i].occurrences]
    return sorted(matches, key=lambda m: reading_order(m.occurrence))


def trace_units(text: str) -> list[str]:
    """The texts ``trace`` needs vectors for on the traced text's side."""
    query = _passage(Occurrence("", "", "", text))
    return [] if query.short else [u.text for u in _units(query, -1)]


__all__ = [
    "COS_HIGH",
    "COS_MIN",
    "Family",
    "Match",
    "Member",
    "Occurrence",
    "Passages",
    "Relation",
    "embedding_key",
    "embedding_text",
    "embedding_units",
    "find_families",
    "reading_order",
    "sentences",
    "trace",
    "trace_units",
    "words",
]
