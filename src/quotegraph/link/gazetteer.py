"""The curated gazetteer of the communist movement and the Soviet Union, 1890–1991.

`lookup` resolves a written name (a mention as it appears in a document) to a gazetteer `Entry`,
in tiers, each tried only when the one before finds nothing:

1. exact: the name equals a canonical name or alias after `normalise` (case, quotes, dashes,
   spacing, a possessive 's and a leading "the" ignored). Short all-capital acronyms (US, CP, SRs
   excepted) are matched with their case, so "US" is the country and "us" is nothing.
2. A word derived from a name (Trotskyism, Stalinists, Bukharinite) stops here: it is never
   resolved to a person, nor to anything else by the fuzzier tiers below.
3. folded: the transliteration-folded key (`variants.fold`, spaces removed) equals an alias's
   (Bucharin → Bukharin, Krushchev → Khrushchev, Tukachevsky → Tukhachevsky).
4. fuzzy: people by surname (`variants.surnames_match`) with given names and initials checked
   (Kemenev → Lev Kamenev, G.K.Zhukhov → Georgy Zhukov; a bare surname only matches an entry that
   lists the bare surname as an alias, so namesakes are never guessed between); other entries by
   their whole folded name with a small edit budget and equal numbers (Ogonyuk → Ogonyok).

A name that fits two entries equally is not resolved (None) unless the gazetteer's
`shared_aliases` names the entry to prefer. Names listed under an entry's `context_aliases`
("Party", "October", "the Opposition", "Pavlov") are never returned by `lookup`: they refer to
the entry only in context; `candidates(name, context=True)` lists them for callers that have it.

The data file is `quotegraph/data/gazetteer.json`, documented in `quotegraph/data/GAZETTEER.md`;
it is loaded once per process (`load`). A lookup takes a few microseconds (results are cached).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, cast

from quotegraph.link.variants import (
    ParsedName,
    doubling_only,
    ending_class,
    fold,
    given_compatible,
    is_derived,
    parse_name,
    surnames_match,
    within_budget,
)
from quotegraph.model import ENTITY_TYPES, EntityType

__all__ = [
    "Entry",
    "Gazetteer",
    "SharedAlias",
    "candidates",
    "load",
    "lookup",
    "normalise",
]

RESOURCE = "data/gazetteer.json"


@dataclass(frozen=True, slots=True)
class Entry:
    """One person, organisation, publication, work, place or event."""

    id: str  # stable slug, never reused
    canonical: str  # standard English spelling
    type: EntityType
    aliases: tuple[str, ...]  # every other name that refers to it on its own
    years: str | None  # lifespan, dates or span ("1879–1940", "b. 1925", "1936–1938")
    source: str  # where the entry's facts come from
    note: str | None = None
    context_aliases: tuple[str, ...] = ()  # names that refer to it only in context

    @property
    def key(self) -> str:
        """The stable identifier (the same as `id`)."""
        return self.id

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.canonical, *self.aliases)


@dataclass(frozen=True, slots=True)
class SharedAlias:
    """A name listed by more than one entry, with the entry a bare lookup returns (if any)."""

    alias: str
    entries: tuple[str, ...]
    prefer: str | None
    reason: str


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201b": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\"'(\[{,;:!?*]+|[\s\"')\]},;:!?*]+$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE_S = re.compile(r"'s$")
_PLURAL_POSSESSIVE = re.compile(r"s'$")
_TRAILING_DOT = re.compile(r"(?<![\s.][A-Za-z])\.$")


@lru_cache(maxsize=65536)
def _clean(name: str) -> str:
    """Spacing, quotes, dashes, surrounding punctuation, a possessive and a leading "the" removed
    (the same for names in the file and names looked up, so both sides meet)."""
    text = unicodedata.normalize("NFC", name).translate(_QUOTES)
    text = _SPACE.sub(" ", text).strip()
    if text[:1].isalnum() and text[-1:].isalnum() and not text.endswith("'s") and text[:4].lower() != "the ":
        return text
    prev = None
    while prev != text:
        prev = text
        text = _EDGE.sub("", text)
        text = _POSSESSIVE_S.sub("", text)
        text = _PLURAL_POSSESSIVE.sub("s", text)
        text = _LEADING_THE.sub("", text)
        text = _TRAILING_DOT.sub("", text)
    return text


def normalise(name: str) -> str:
    """The exact-match key: `_clean`ed, then case-folded."""
    return _clean(name).casefold()


def _is_acronym(clean: str) -> bool:
    """Upper-case abbreviations (US, CP, KGB, U.S.S.R.) are matched with their case: a lower-case
    or capitalised word of the same letters is usually an ordinary word (us, Cp)."""
    if not clean.isupper():
        return False
    letters = [c for c in clean if c.isalpha()]
    return len(letters) <= 5 and all(c.isalpha() or c in ".&-() " for c in clean)


def _np_key(clean: str) -> str:
    """Folded key of a whole name without spaces (Brest-Litovsk = Brest Litovsk)."""
    return fold(clean).replace(" ", "")


def _folded_key(clean: str) -> str:
    """The folded-tier key: the folded name and, apart, its numbers, which folding would blur
    (World War I / World War II, II / III International)."""
    numbers = _numbers(clean)
    return _np_key(clean) + ("#" + ",".join(numbers) if numbers else "")


_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty first second third fourth fifth sixth seventh
    eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth
    eighteenth nineteenth twentieth""".split()
)
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


_NUMBER_LIKE = re.compile(
    r"(?<![a-z0-9])(?:[0-9][a-z0-9]*|[ivxlcdm]+|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)


@lru_cache(maxsize=65536)
def _numbers(clean: str) -> tuple[str, ...]:
    """The numbers in a name (20th, Twentieth, XX, 1956, World War I): these must agree exactly."""
    found = _NUMBER_LIKE.findall(clean.lower())
    return tuple(t for t in found if t[0] not in "ivxlcdm" or t in _NUMBER_WORDS or _ROMAN.match(t))


# ---------------------------------------------------------------------------------------------
# The gazetteer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PersonAlias:
    entry: Entry
    parsed: ParsedName


@dataclass(slots=True)
class _SurnameGroup:
    aliases: list[_PersonAlias] = field(default_factory=list)
    yo_raw: str = ""  # one raw spelling with a German/Polish or ё ending, if any


@dataclass(frozen=True, slots=True)
class _OtherKey:
    key: str
    numbers: tuple[str, ...]
    entry: Entry


_YO_ENDING = re.compile(r"(?:ow|ew|yov|iov|jov|yow|jow|ëv|ёв)$")
_CACHE_LIMIT = 200_000


class Gazetteer:
    """Entries with their lookup indexes; build one with `load()` or from parsed entries."""

    def __init__(self, entries: Iterable[Entry], shared: Iterable[SharedAlias] = ()) -> None:
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._by_id: dict[str, Entry] = {}
        for e in self._entries:
            if e.id in self._by_id:
                raise ValueError(f"duplicate gazetteer id {e.id!r}")
            self._by_id[e.id] = e
        self.shared: tuple[SharedAlias, ...] = tuple(shared)
        self._prefer: dict[str, str] = {}
        for s in self.shared:
            if s.prefer is not None:
                clean = _clean(s.alias)
                self._prefer[clean.casefold()] = s.prefer
                self._prefer["\0" + _folded_key(clean)] = s.prefer
        self._exact: dict[str, list[Entry]] = {}
        self._exact_case: dict[str, list[Entry]] = {}
        self._folded: dict[str, list[tuple[Entry, str]]] = {}  # with the spelling folded
        self._context: dict[str, list[Entry]] = {}
        # fuzzy candidates by first letter, last letter and length: the matching rules require the
        # first two to agree and the length to be within two
        self._surnames: dict[tuple[str, str, int], dict[str, _SurnameGroup]] = {}
        self._others: dict[tuple[str, str, int], list[_OtherKey]] = {}
        self._cache: dict[str, Entry | None] = {}
        for e in self._entries:
            self._index(e)

    # -- building --------------------------------------------------------------------------

    def _index(self, e: Entry) -> None:
        context = {normalise(n) for n in e.context_aliases}
        for n in e.context_aliases:
            _add(self._context, normalise(n), e)
            key = _folded_key(_clean(n))
            if key:
                _add(self._context, "\0" + key, e)
        for name in e.names:
            clean = _clean(name)
            if not clean or clean.casefold() in context:
                continue
            if _is_acronym(clean):
                _add(self._exact_case, clean, e)
                continue
            _add(self._exact, clean.casefold(), e)
            if "(" in clean:
                continue  # a qualifier ("Daily Worker (London)") is for exact matching only
            key = _np_key(clean)
            if len(key) >= 4:
                self._folded.setdefault(_folded_key(clean), []).append((e, clean))
            if e.type == "PERSON":
                parsed = parse_name(clean)
                if parsed.surname and not parsed.derived and self._foldable(e, parsed):
                    sk = parsed.surname
                    groups = self._surnames.setdefault((sk[0], sk[-1], len(sk)), {})
                    group = groups.setdefault(parsed.surname, _SurnameGroup())
                    group.aliases.append(_PersonAlias(e, parsed))
                    if not group.yo_raw and _YO_ENDING.search(parsed.raw_surname):
                        group.yo_raw = parsed.raw_surname
            elif len(key) >= 6:
                self._others.setdefault((key[0], key[-1], len(key)), []).append(_OtherKey(key, _numbers(clean), e))

    @staticmethod
    def _foldable(e: Entry, alias: ParsedName) -> bool:
        """Whether an alias's surname is a spelling the folding rules bring to the canonical one.

        Only those take part in fuzzy matching: pseudonyms and birth names (Koba, Bronstein) and
        spellings the rules cannot fold (French Jdanov, with j for ж, which would come close to
        Ivanov) are matched exactly or folded only."""
        canonical = parse_name(e.canonical)
        return surnames_match(canonical.surname, alias.surname, canonical.raw_surname, alias.raw_surname)

    # -- access ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return self._by_id.get(entry_id)

    # -- lookup ----------------------------------------------------------------------------

    def lookup(self, name: str) -> Entry | None:
        """The one entry a written name refers to on its own, or None (see the module docstring)."""
        try:
            return self._cache[name]
        except KeyError:
            pass
        result = self._lookup(name)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[name] = result
        return result

    def _lookup(self, name: str) -> Entry | None:
        clean = _clean(name)
        if not clean:
            return None
        # 1. exact
        if _is_acronym(clean):
            hits = self._exact_case.get(clean)
            if hits:
                return self._resolve(hits, clean.casefold())
        hits = self._exact.get(clean.casefold())
        if hits:
            return self._resolve(hits, clean.casefold())
        # 2. derived words go no further
        if is_derived(clean):
            return None
        # 3. folded, from a spelling of about the same length (Beijing folds like "being") that is
        # not a short word with a letter doubled (Canon is not Cannon)
        key = _np_key(clean)
        if len(key) >= 4:
            fkey = _folded_key(clean)
            spellings = self._folded.get(fkey)
            if spellings:
                n = _letters(clean)
                tolerance = max(1, n // 4)
                hits = [
                    e
                    for e, spelling in spellings
                    if abs(_letters(spelling) - n) <= tolerance and not doubling_only(clean, spelling)
                ]
                if hits:
                    return self._resolve(hits, "\0" + fkey)
        # 4. fuzzy
        found: dict[str, tuple[int, Entry]] = {}
        self._fuzzy_person(clean, found)
        if len(key) >= 6:
            self._fuzzy_other(clean, key, found)
        if not found:
            return None
        best = max(strength for strength, _ in found.values())
        top = [e for strength, e in found.values() if strength == best]
        return top[0] if len(top) == 1 else None

    def _resolve(self, hits: Sequence[Entry], key: str) -> Entry | None:
        unique = list(dict.fromkeys(hits))
        if len(unique) == 1:
            return unique[0]
        prefer = self._prefer.get(key)
        return next((e for e in unique if e.id == prefer), None)

    def _fuzzy_person(self, clean: str, found: dict[str, tuple[int, Entry]]) -> None:
        p = parse_name(clean)
        if not p.surname or not p.personal:
            return
        bare = not p.given
        n = len(p.surname)
        strength: dict[str, tuple[int, Entry]] = {}
        conflict: set[str] = set()
        matched = [
            (skey == p.surname, group)
            for length in range(n - 2, n + 3)
            for skey, group in self._surnames.get((p.surname[0], p.surname[-1], length), {}).items()
            if surnames_match(p.surname, skey, p.raw_surname, group.yo_raw)
        ]
        for equal, group in matched:
            for a in group.aliases:
                if equal and doubling_only(p.raw_surname, a.parsed.raw_surname):
                    continue
                if bare:
                    if a.parsed.given:
                        continue
                    s = 1
                elif not a.parsed.given:
                    s = 1
                elif given_compatible(p.given, a.parsed.given):
                    s = 2
                else:
                    conflict.add(a.entry.id)
                    continue
                if s > strength.get(a.entry.id, (0, a.entry))[0]:
                    strength[a.entry.id] = (s, a.entry)
        for entry_id, (s, e) in strength.items():
            if s == 2 or entry_id not in conflict:
                found[entry_id] = (s, e)

    def _fuzzy_other(self, clean: str, key: str, found: dict[str, tuple[int, Entry]]) -> None:
        numbers: tuple[str, ...] | None = None
        n = len(key)
        for length in range(n - 2, n + 3):
            for other in self._others.get((key[0], key[-1], length), ()):
                if other.entry.id in found or not _other_match(key, other.key):
                    continue
                if numbers is None:
                    numbers = _numbers(clean)
                if other.numbers == numbers:
                    found[other.entry.id] = (1, other.entry)

    def candidates(self, name: str, *, context: bool = False) -> tuple[Entry, ...]:
        """Every entry the name matches exactly or folded, context aliases included if asked,
        for callers that can decide between them (no fuzzy matching)."""
        clean = _clean(name)
        if not clean:
            return ()
        key = _folded_key(clean)
        out: list[Entry] = []
        out += self._exact_case.get(clean, []) if _is_acronym(clean) else []
        out += self._exact.get(clean.casefold(), [])
        out += [e for e, _ in self._folded.get(key, ())] if len(_np_key(clean)) >= 4 else []
        if context:
            out += self._context.get(clean.casefold(), [])
            out += self._context.get("\0" + key, [])
        return tuple(dict.fromkeys(out))


_NON_LETTER = re.compile(r"[\W\d_]+")


def _letters(text: str) -> int:
    return len(_NON_LETTER.sub("", text))


def _add(index: dict[str, list[Entry]], key: str, e: Entry) -> None:
    hits = index.setdefault(key, [])
    if e not in hits:
        hits.append(e)


def _other_match(a: str, b: str) -> bool:
    """Whole folded names of non-person entries: same first and last letter and kind of ending,
    not a plural of the other (Bolsheviks / Bolshevik), and at most one edit
    from 6 letters, two from 15 (Ogonyuk / Ogonyok)."""
    if a == b:
        return True
    if a[0] != b[0] or a[-1] != b[-1] or ending_class(a) != ending_class(b) or a + "s" == b or b + "s" == a:
        return False
    n = min(len(a), len(b))
    budget = 0 if n < 6 else 1 if n < 15 else 2
    return budget > 0 and within_budget(a, b, budget)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def parse(data: Mapping[str, Any]) -> Gazetteer:
    """Build a gazetteer from the parsed JSON document (see GAZETTEER.md for the format)."""
    entries = []
    for raw in data["entries"]:
        typ = raw["type"]
        if typ not in ENTITY_TYPES:
            raise ValueError(f"gazetteer entry {raw.get('id')!r}: unknown type {typ!r}")
        entries.append(
            Entry(
                id=str(raw["id"]),
                canonical=str(raw["canonical"]),
                type=cast(EntityType, typ),
                aliases=tuple(str(a) for a in raw.get("aliases", ())),
                years=raw.get("years"),
                source=str(raw["source"]),
                note=raw.get("note"),
                context_aliases=tuple(str(a) for a in raw.get("context_aliases", ())),
            )
        )
    shared = [
        SharedAlias(str(s["alias"]), tuple(s["entries"]), s.get("prefer"), str(s.get("reason", "")))
        for s in data.get("shared_aliases", ())
    ]
    return Gazetteer(entries, shared)


def read_data() -> dict[str, Any]:
    """The gazetteer file as parsed JSON."""
    text = resources.files("quotegraph").joinpath(RESOURCE).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def load() -> Gazetteer:
    """The packaged gazetteer, loaded and indexed once per process."""
    return parse(read_data())


def lookup(name: str) -> Entry | None:
    """`Gazetteer.lookup` on the packaged gazetteer."""
    return load().lookup(name)


def candidates(name: str, *, context: bool = False) -> tuple[Entry, ...]:
    """`Gazetteer.candidates` on the packaged gazetteer."""
    return load().candidates(name, context=context)
