"""People, organisations, publications, works, places and events, with every mention's offsets.

Gazetteer first: the curated list knows the names of the movement in all their spellings, and
looking a capitalised phrase up in it costs microseconds, where spaCy's NER costs more than the
whole quotation engine. NER runs only on a few words around the names nobody knows.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quotegraph.analyse.speakers import MONTHS, TITLES
from quotegraph.link.variants import is_derived
from quotegraph.model import Entity, EntityType, Span

# A capitalised phrase: capitalised words (initials, hyphens and apostrophes allowed) joined by
# spaces, with lower-case connectors inside ("Communist Party of the Soviet Union").
_WORD = r"(?:[A-Z]\.){0,3}[A-Z][\w’'-]*\w|(?:[A-Z]\.){1,3}"
_CONNECTOR = r"(?:of|the|and|for|de|von|van|der|la|le|du|in|on|to|by|a|&)"
# Joiners that stay inside an unknown name ("Communist Party of Great Britain", "Charles de Gaulle");
# at the others ("Zinoviev and Kamenev", "Yezhov for the KGB") an unknown phrase is split.
_KEEP_JOINED = {"of", "the", "de", "von", "van", "der", "la", "le", "du"}
_NOT_NAMES = frozenset(
    """page pages vol no nos op cit ibid edition emphasis chapter part section figure note notes submitted co
    posted add log comment comments privacy policy terms conditions cookies""".split()
)
_PHRASE = re.compile(
    rf"(?<![\w’'])(?:{_WORD})(?:(?:[ \t]+|(?<=\.))(?:{_CONNECTOR}[ \t]+)*(?:{_WORD}))*(?!\w)(?![’'][a-z])"
)
_ORDINAL_CONGRESS = re.compile(
    r"\b(?:(?:All[- ][Uu]nion\s+)?(?:\d{1,2}(?:st|nd|rd|th)\.?|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|"
    r"Ninth|Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|"
    r"Nineteenth|Twentieth|Twenty-first|Twenty-second)\s+(?:and\s+last\s+)?(?:All[- ][Uu]nion\s+)?"
    r"(?:Party\s+)?[Cc]ongress)"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_NER_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "GPE",
    "FAC": "GPE",
    "EVENT": "EVENT",
    "WORK_OF_ART": "WORK",
    "LAW": "WORK",
}


@dataclass(frozen=True, slots=True)
class Known:
    """What the gazetteer says of a name."""

    key: str  # stable id
    canonical: str
    type: EntityType


Lookup = Callable[[str], Known | None]


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: EntityType | None = None
    known: Known | None = None
    evidence: str = ""


@dataclass(slots=True)
class _Cluster:
    canonical: str
    type: EntityType
    key: str
    mentions: list[Mention] = field(default_factory=list)


def candidates(text: str, sentence_initial: Callable[[int], bool]) -> list[Mention]:
    """Capitalised phrases and congress names, possessive endings cut off (Healy's → Healy)."""
    out: list[Mention] = []
    for m in _ORDINAL_CONGRESS.finditer(text):
        out.append(Mention(m.start(), m.end(), m.group(), "EVENT", evidence="congress"))
    taken = [Span(c.start, c.end) for c in out]
    for m in _PHRASE.finditer(text):
        start, end = m.start(), m.end()
        phrase = m.group()
        cut = _POSSESSIVE.search(phrase)
        if cut:
            end -= len(cut.group())
            phrase = phrase[: len(phrase) - len(cut.group())]
        # a trailing connector is not part of the name
        while phrase and phrase.split()[-1] in {"of", "the", "and", "for", "in", "on", "to", "by", "a"}:
            cut_to = phrase.rfind(" ")
            end -= len(phrase) - cut_to
            phrase = phrase[:cut_to]
        span = Span(start, end)
        for t in taken:
            if t.overlaps(span) and t.end < end:
                # "Twentieth Congress of the Communist Party …": the party is named after the congress
                rest = re.match(r"[\s,]*(?:of\s+)?(?:the\s+)?", text[t.end : end])
                cut_at = t.end + (rest.end() if rest else 0)
                phrase, start, span = text[cut_at:end], cut_at, Span(cut_at, end)
        if not phrase or any(t.overlaps(span) for t in taken):
            continue
        lead = start
        while lead > 0 and text[lead - 1] in "‘“\"'(…[ ":
            lead -= 1
        after_mark = lead < start and bool(text[lead:start].strip())  # "‘Intended …" opens a quoted sentence
        initial = sentence_initial(start) or sentence_initial(lead) or after_mark
        out.append(Mention(start, end, phrase, evidence="initial" if initial else "capitalised"))
    out.sort(key=lambda x: x.start)
    return out


_INDEFINITE = re.compile(r"\b[Aa]n?\s+$")  # "an old Bolshevik" describes someone; a name takes no "a"


class LowercaseNames:
    """Finds names written with a lower-case first word ("first imperialist war", "1917 socialist
    revolution", "testament of Lenin", context names such as "the civil war"), which no capitalised
    phrase catches.

    Written by hand: one regular expression alternating over hundreds of names (or their first
    words) costs more than the rest of the tagger, while ``str.find`` per distinct key word is a
    fast C scan. Names are keyed by their first word, or by the second after a leading "the"."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_key: dict[str, list[str]] = {}
        for name in sorted(set(names), key=len, reverse=True):
            words = name.split()
            key = words[1] if words[0] == "the" and len(words) > 1 else words[0]
            self._by_key.setdefault(key, []).append(name)

    def find(self, text: str, exact: Lookup) -> list[Mention]:
        """Longest names first, never overlapping. A listed name is known at once; a context name
        (evidence ``context``) only joins an entity the document names, in ``cluster``."""
        found: list[Mention] = []
        for key in self._by_key.keys() & set(_LOWER_WORD.findall(text)):  # only key words the text has
            names = self._by_key[key]
            at = text.find(key)
            while at != -1:
                if at == 0 or not _continues_word(text[at - 1]):
                    hit = self._match(text, at, names)
                    if hit is not None:
                        found.append(hit)
                at = text.find(key, at + len(key))
        found.sort(key=lambda m: (m.start, -m.end))
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            known = exact(m.text)
            m.known, m.type, m.evidence = known, known.type if known else None, "gazetteer" if known else "context"
            out.append(m)
        return out

    @staticmethod
    def _match(text: str, at: int, names: Sequence[str]) -> Mention | None:
        for name in names:
            start = at - 4 if name.startswith("the ") else at
            end = start + len(name)
            if (
                start >= 0
                and text.startswith(name, start)
                and (start == 0 or not _continues_word(text[start - 1]))
                and (end == len(text) or not _continues_word(text[end]))
                and not _INDEFINITE.search(text, max(0, start - 4), start)
            ):
                return Mention(start, end, name)
        return None


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z0-9][\w’'-]*")


def _continues_word(char: str) -> bool:
    return char.isalnum() or char in "-’'_"


def add_unclaimed(mentions: list[Mention], extra: Iterable[Mention]) -> list[Mention]:
    """Add the ``extra`` mentions that overlap none already found, keeping reading order."""
    taken = _Overlaps(sorted(mentions, key=lambda x: x.start))
    return sorted([*mentions, *(e for e in extra if not taken.any(e))], key=lambda x: x.start)


def add_known(mentions: list[Mention], extra: Iterable[Mention]) -> list[Mention]:
    """Add mentions the pipeline already knows (speakers, cited works, titles), replacing the
    capitalised-phrase candidates they overlap: they carry better evidence of type and extent."""
    extra = sorted(extra, key=lambda x: x.start)

    def better(m: Mention, e: Mention) -> bool:  # a listed name containing the extra one stays
        return m.known is not None and m.start <= e.start and e.end <= m.end and (m.start, m.end) != (e.start, e.end)

    in_extra = _Overlaps(extra)
    kept = [m for m in mentions if all(better(m, e) for e in in_extra.of(m))]
    in_kept = _Overlaps(sorted(kept, key=lambda x: x.start))
    extra = [e for e in extra if not any(better(m, e) for m in in_kept.of(e))]
    seen: set[tuple[int, int]] = set()
    out: list[Mention] = []
    for m in sorted([*kept, *extra], key=lambda x: (x.start, -x.end)):
        if (m.start, m.end) in seen or (out and out[-1].end > m.start and out[-1].evidence != "congress"):
            continue
        seen.add((m.start, m.end))
        out.append(m)
    return out


class _Overlaps:
    """The mentions of a list (sorted by start) that overlap a span, found by bisection rather than
    by comparing every pair: long documents have thousands of mentions."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self._mentions = mentions
        self._starts = [m.start for m in mentions]
        self._reach = list(itertools.accumulate((m.end for m in mentions), max))  # furthest end so far

    def of(self, span: Mention) -> list[Mention]:
        out = []
        i = bisect.bisect_left(self._starts, span.end) - 1  # the last one starting before span ends
        while i >= 0 and self._reach[i] > span.start:
            if self._mentions[i].end > span.start:
                out.append(self._mentions[i])
            i -= 1
        return out

    def any(self, span: Mention) -> bool:
        k = bisect.bisect_left(self._starts, span.end)
        return k > 0 and self._reach[k - 1] > span.start


def resolve(
    mentions: Iterable[Mention],
    lookup: Lookup,
    common: Callable[[str], bool] = lambda w: False,
    exact: Lookup | None = None,
    text: str = "",
    in_context: Callable[[str], bool] = lambda name: False,
) -> list[Mention]:
    """Whole phrase first, then its longest known sub-phrases ("Marshal G.K.Zhukhov" → "G.K.Zhukhov");
    an unknown phrase is split at "and", "for" … and loses leading titles and common words, unless
    it is a name the gazetteer knows in context ("the General Secretary")."""
    out: list[Mention] = []
    exact = exact or lookup
    exact_only = exact  # a name for the closure below, which mypy cannot narrow through

    def listed(name: str) -> bool:  # "General Strike"; "General Secretary", but not "General Pavlov"
        titles_only = all(_is_title(w) for w in name.split() if w.lower() != "the")
        return exact_only(name) is not None or (titles_only and in_context(name))

    for m in _extend(_split_unknown(mentions, lookup, exact, common, listed), exact, text):
        if m.type == "EVENT" and m.evidence == "congress":
            m.known = lookup(m.text)
            out.append(m)
            continue
        hit = lookup(m.text)
        if hit is not None:
            m.known, m.type = hit, hit.type
            out.append(m)
            continue
        people = _hyphenated_people(m, lookup)  # "the Trotsky-Zinoviev-Bucharin traitors"
        if people:
            out += people
            continue
        words = list(re.finditer(r"\S+", m.text))
        found = False
        for size in range(len(words) - 1, 0, -1):
            for i in range(len(words) - size + 1):
                a, b = words[i].start(), words[i + size - 1].end()
                sub = m.text[a:b]
                if sub.split()[0] in {"of", "the", "and"} or sub.split()[-1] in {"of", "the", "and"}:
                    continue
                hit = lookup(sub)
                if hit is not None:
                    out.append(Mention(m.start + a, m.start + b, sub, hit.type, hit, "gazetteer"))
                    found = True
            if found:
                break
        if not found:
            out.append(m)
    return out


def _hyphenated_people(m: Mention, lookup: Lookup) -> list[Mention]:
    """Known people joined by hyphens into one word, each a mention of their own."""
    if " " in m.text or "-" not in m.text:
        return []
    out = []
    at = 0
    for part in m.text.split("-"):
        hit = lookup(part) if len(part) > 2 else None
        if hit is None or hit.type != "PERSON":
            return []
        out.append(Mention(m.start + at, m.start + at + len(part), part, "PERSON", hit, "gazetteer"))
        at += len(part) + 1
    return out


def _split_unknown(
    mentions: Iterable[Mention],
    lookup: Lookup,
    exact: Lookup,
    common: Callable[[str], bool],
    listed: Callable[[str], bool],
) -> list[Mention]:
    """Cut titles ("Marshal"), sentence-initial common words ("Now Zhukov") and possessives
    ("Lenin's Central Committee") off phrases, and split unknown ones at "and", "for" …"""
    out: list[Mention] = []
    seen: dict[tuple[str, str], _Trimmed] = {}
    for m in mentions:
        if m.evidence == "congress":
            out.append(m)
            continue
        trimmed = _trim(m, lookup, common, listed, seen)
        if trimmed is None:
            continue
        m = trimmed
        joined = re.search(r"[’']s\s|\s(?:and|&|for|in|on|to|by|a)\s", m.text)
        if (exact(m.text) if joined else lookup(m.text)) is not None:
            out.append(m)
            continue
        for part in re.finditer(r"\S+?(?:\s+\S+?)*?(?=[’']s\s|\s+(?:and|&|for|in|on|to|by|a)\s+|$)", m.text):
            piece = part.group()
            if piece.startswith(("’s ", "'s ")):
                continue
            sub = _trim(
                Mention(m.start + part.start(), m.start + part.end(), piece, m.type, None, m.evidence),
                lookup,
                common,
                listed,
                seen,
            )
            if sub is not None:
                out.append(sub)
    return out


_NEXT_WORD = re.compile(r"[ \t]+([\w’'-]+)")
_EXTEND_WORDS = 6
_COMPASS = re.compile(r"\b(western|eastern|northern|southern|central|far)[ \t]+$")


def _extend(mentions: list[Mention], exact: Lookup, text: str) -> list[Mention]:
    """Lower-case words the gazetteer knows as part of a name: "Moscow trials", "western Europe"."""
    if not text:
        return mentions
    for m in mentions:
        # the longest listed name that goes on after the capitalised phrase
        ends = []
        pos = m.end
        for _ in range(_EXTEND_WORDS):
            nxt = _NEXT_WORD.match(text, pos)
            if nxt is None:
                break
            pos = nxt.end()
            ends.append(pos)
        for end in reversed(ends):
            hit = exact(text[m.start : end])
            if hit is not None:
                m.end, m.text, m.known, m.type = end, text[m.start : end], hit, hit.type
                break
        before = _COMPASS.search(text, max(0, m.start - 12), m.start)
        if before:
            hit = exact(text[before.start() : m.end])
            if hit is not None:
                m.start, m.text, m.known, m.type = before.start(), text[before.start() : m.end], hit, hit.type
    return mentions


_Trimmed = tuple[int, int, str] | None  # start and end within the phrase, evidence; None: no name


def _trim(
    m: Mention,
    lookup: Lookup,
    common: Callable[[str], bool],
    listed: Callable[[str], bool],
    seen: dict[tuple[str, str], _Trimmed],
) -> Mention | None:
    """``_trim_phrase`` for one mention; the same phrase recurs often in a document, so ``seen`` keeps
    each answer."""
    key = (m.text, m.evidence)
    if key not in seen:
        seen[key] = _trim_phrase(m.text, m.evidence, lookup, common, listed)
    cut = seen[key]
    if cut is None:
        return None
    a, b, evidence = cut
    if evidence == "month":
        return Mention(m.start + a, m.start + b, m.text[a:b], None, None, evidence)
    return Mention(m.start + a, m.start + b, m.text[a:b], m.type, m.known, evidence)


def _trim_phrase(
    phrase: str, evidence: str, lookup: Lookup, common: Callable[[str], bool], listed: Callable[[str], bool]
) -> _Trimmed:
    words = list(re.finditer(r"\S+", phrase))
    while words and words[0].group()[:1].islower():
        words = words[1:]
    # "Old Bolsheviks", "General Strike": a name the gazetteer lists keeps its first word
    kept_whole = bool(words) and listed(phrase[words[0].start() :])
    while words and (
        (_is_title(words[0].group()) and not kept_whole)
        or (len(words) > 1 and evidence == "initial" and words[0].start() == 0 and common(words[0].group()))
        or words[0].group()[:1].islower()
        or words[0].group() in {"&", "’s", "'s"}
    ):
        words = words[1:]
    if words and words[0].group() in {"The", "A", "An"} and len(words) > 1:
        hit = lookup(phrase[words[0].start() :])
        if hit is None or not hit.canonical.startswith(words[0].group() + " "):
            words = words[1:]  # "The Soviet Union" → "Soviet Union"; "The Revolution Betrayed" stays
    while words and words[-1].group() in _KEEP_JOINED:
        words = words[:-1]
    if not words:
        return None
    a, b = words[0].start(), words[-1].end()
    text = phrase[a:b]
    if len(words) == 1 and text.lower() in MONTHS:
        # "the leaders of October": a month alone may name an event the document names; the
        # caller drops it where it is part of a date, ``cluster`` where nothing it may stand for is named
        return a, b, "month"
    noise = _NOT_NAMES | MONTHS | _KEEP_JOINED
    if all(w.lower().strip(".") in noise for w in text.split()):
        return None
    if len(text) < 2 or (len(words) == 1 and text.endswith(".") and len(text) <= 3):
        return None
    return a, b, evidence


def _is_title(word: str) -> bool:
    return word.lower().strip(".") in TITLES and word[:1].isupper()


def tag_unknown(
    mentions: list[Mention],
    text: str,
    sentences: Sequence[tuple[int, int]],
    nlp: Any,
    common: Callable[[str], bool] = lambda w: False,
) -> None:
    """Type the names nobody knows with spaCy's NER, run on a few words around each of them only
    (whole sentences would cost more than everything else quotegraph does to a document).

    Single words that open a sentence, occur in lower case too, or are made from a name
    (Stalinist, Russian) are not worth asking about: they are dropped untyped."""
    unknown = [
        m
        for m in mentions
        if m.type is None
        and m.evidence not in {"context", "month"}  # these only ever join a named entity
        and not (" " not in m.text and (m.evidence == "initial" or common(m.text) or is_derived(m.text)))
    ]
    windows: list[tuple[int, int]] = []
    sentence_starts = [s[0] for s in sentences]
    for m in unknown:
        k = bisect.bisect_right(sentence_starts, m.start) - 1
        s = sentences[k] if k >= 0 and m.start < sentences[k][1] else (m.start, m.end)
        a = max(s[0], _word_boundary(text, m.start - _NER_CONTEXT, forward=True))
        b = min(s[1], _word_boundary(text, m.end + _NER_CONTEXT, forward=False))
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(b, windows[-1][1]))
        else:
            windows.append((a, max(b, m.end)))
    labels: dict[tuple[int, int], EntityType] = {}
    # the NER model carries its own token embedding, so the shared tok2vec need not run
    docs = nlp.pipe((text[a:b] for a, b in windows), disable=["tok2vec", "parser", "tagger", "attribute_ruler"])
    for (a, _), doc in zip(windows, docs, strict=True):
        for ent in doc.ents:
            kind = _NER_TYPES.get(ent.label_)
            if kind is not None:
                labels[(a + ent.start_char, a + ent.end_char)] = kind
    for m in unknown:
        for (a, b), kind in labels.items():
            if a <= m.start < b or m.start <= a < m.end:
                m.type, m.evidence = kind, "ner"
                break


_NER_CONTEXT = 30  # characters of context on each side of an unknown name


def _word_boundary(text: str, pos: int, forward: bool) -> int:
    pos = max(0, min(len(text), pos))
    step = 1 if forward else -1
    while 0 < pos < len(text) and not text[pos].isspace():
        pos += step
    return pos


def cluster(
    mentions: Iterable[Mention],
    same: Callable[[str, str], bool],
    common: Callable[[str], bool] = lambda w: False,
    context: Callable[[str], Sequence[Known]] = lambda name: (),
) -> tuple[Entity, ...]:
    """One entity per real referent: by gazetteer key, else by spelling variants and surnames.

    ``context`` gives the entries a name may stand for in context ("the Party", "October"): such a
    name joins the one of them the document has already named, the latest first."""
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    by_head: dict[str, _Cluster] = {}  # last word of a multi-word mention → the latest entity with it

    def add(c: _Cluster, m: Mention) -> None:
        c.mentions.append(m)
        if " " in m.text:
            by_head[m.text.split()[-1]] = c

    later: list[Mention] = []  # joined once the whole document is read: they may come before the name
    given = _GivenNames()
    for m in mentions:
        if m.known is None and m.evidence in {"context", "month"}:
            later.append(m)
            continue
        if m.known is None and m.evidence in {"capitalised", "initial", "ner", "cited"}:
            meant = context(m.text)
            named = [by_key[k.key] for k in meant if k.key in by_key]
            if named:
                add(max(named, key=lambda c: c.mentions[-1].start), m)
                continue
            if len(meant) == 1 and m.evidence != "cited" and (meant[0].type != "PERSON" or " " in m.text):
                # a capitalised name with only one possible referent ("Thermidor", "General Strike")
                m.known, m.type = meant[0], meant[0].type
        if m.known is None and " " not in m.text and m.evidence in {"capitalised", "initial"}:
            if common(m.text):
                # "the Congress" after "the 20th Congress"; a common word naming nothing named before goes
                if m.text in by_head:
                    add(by_head[m.text], m)
                continue
            person = given.referent(m.text)  # "Lavrentiy" for the Beria already named
            if person is not None:
                add(person, m)
                continue
            if m.type is None:
                later.append(m)  # or named later in the document
                continue
        if m.type is None or (m.known is None and is_derived(m.text.split()[-1]) and m.text[:1].isupper()):
            continue
        key = m.known.key if m.known is not None else _congress_key(m)
        if key is not None:
            c = by_key.get(key)
            if c is None:
                c = _Cluster(m.known.canonical if m.known else m.text, m.known.type if m.known else m.type, key)
                by_key[key] = c
                clusters.append(c)
                given.register(c)
            add(c, m)
            continue
        target = next((c for c in clusters if c.key.startswith("doc:") and _same_referent(c, m, same)), None)
        if target is None:
            target = _Cluster(m.text, m.type, f"doc:{m.text}")
            clusters.append(target)
        add(target, m)
        if len(m.text.split()) > len(target.canonical.split()):
            target.canonical = m.text  # the fullest name the document gives
        given.register(target)
    for m in later:
        if m.evidence in {"context", "month"}:
            target = _nearest(m, [by_key[k.key] for k in context(m.text) if k.key in by_key])
        else:
            target = given.referent(m.text)
        if target is not None:
            target.mentions.append(m)
    _add_named_in_events(clusters, same)
    out = []
    for c in clusters:
        c.mentions.sort(key=lambda x: x.start)
        names: list[str] = []
        for m in c.mentions:
            if m.text not in names:
                names.append(m.text)
        kind = c.type if not c.key.startswith("doc:") else _vote(c)
        out.append(Entity(c.canonical, kind, tuple(names), tuple(Span(m.start, m.end) for m in c.mentions)))
    return tuple(out)


_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}


def _congress_key(m: Mention) -> str | None:
    """ "19th Party Congress", "All Union 19th. Party Congress", "Nineteenth Congress": one event."""
    if m.evidence != "congress":
        return None
    num = re.search(r"(\d{1,2})(?:st|nd|rd|th)", m.text)
    if num:
        return f"congress:{int(num.group(1))}"
    word = re.search(r"(?i)\b(twenty-\w+|\w+)\s+(?:and\s+last\s+)?(?:all[- ]union\s+)?(?:party\s+)?congress", m.text)
    if word:
        w = word.group(1).lower()
        n = _ORDINALS.get(w) or (20 + _ORDINALS.get(w.split("-")[-1], 0) if w.startswith("twenty-") else None)
        if n:
            return f"congress:{n}"
    return f"congress:{m.text.lower()}"


def _vote(c: _Cluster) -> EntityType:
    """The type most of a cluster's mentions were given (speakers count as people)."""
    votes: dict[EntityType, int] = {}
    for m in c.mentions:
        if m.type is not None:
            votes[m.type] = votes.get(m.type, 0) + (3 if m.evidence == "speaker" else 1)
    return max(votes, key=lambda t: votes[t]) if votes else c.type


def _nearest(m: Mention, named: Sequence[_Cluster]) -> _Cluster | None:
    """Of the entities a context name may stand for, the one named last before it, else first after."""
    before = [c for c in named if any(x.start < m.start for x in c.mentions)]
    if before:
        return max(before, key=lambda c: max(x.start for x in c.mentions if x.start < m.start))
    return min(named, key=lambda c: min(x.start for x in c.mentions), default=None)


_NAMED_EVENT = re.compile(r"([A-Z][\w’'-]*\w)\s+(?:trials?|affair|case|plot|purges?)$")


def _add_named_in_events(clusters: list[_Cluster], same: Callable[[str, str], bool]) -> None:
    """ "the Rajk trial" names Rajk too: the person the document names gets a mention inside the event."""
    people = [c for c in clusters if c.type == "PERSON"]
    for c in clusters:
        if c.type != "EVENT":
            continue
        for m in list(c.mentions):
            named = _NAMED_EVENT.match(m.text)
            if named is None:
                continue
            word = named.group(1)
            hits = [p for p in people if any(same(x.text.split()[-1], word) for x in p.mentions)]
            if len(hits) == 1:
                hits[0].mentions.append(Mention(m.start, m.start + len(word), word, "PERSON", None, "in-event"))


class _GivenNames:
    """The people a document names with a given name ("Lavrentiy" → Lavrentiy Beria), kept up to date
    as people are found and renamed, rather than searched for among all entities at every word."""

    def __init__(self) -> None:
        self._by_given: dict[str, list[_Cluster]] = {}

    def register(self, c: _Cluster) -> None:
        words = c.canonical.split()
        if c.type == "PERSON" and len(words) > 1:
            people = self._by_given.setdefault(words[0].lower(), [])
            if not any(p is c for p in people):
                people.append(c)

    def referent(self, word: str) -> _Cluster | None:
        """The one person whose (current) given name this is."""
        w = word.lower()
        hits = [c for c in self._by_given.get(w, ()) if c.canonical.split()[0].lower() == w]
        return hits[0] if len(hits) == 1 else None


def _same_referent(c: _Cluster, m: Mention, same: Callable[[str, str], bool]) -> bool:
    if any(x.text == m.text for x in c.mentions):
        return True
    people = {"PERSON"} | ({m.type} if m.evidence == "speaker" else set())
    if c.type in people or m.type in people or any(x.evidence == "speaker" for x in c.mentions):
        return any(same(x.text, m.text) for x in c.mentions)
    if c.type == "WORK" and m.type == "WORK":
        # "testament" and "testament of Lenin": a described work and its head noun
        return any(x.text.split()[0].lower() == m.text.split()[0].lower() for x in c.mentions)
    return False
