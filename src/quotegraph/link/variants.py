"""Spelling variants of one name: transliteration folding and same-name decisions.

The names this project meets were Cyrillic (or Georgian, Hungarian, Polish …) before they were
English, and every language and decade spelled them its own way: Khrushchev, Khrushchov,
Chruschtschow (German), Chruszczow (Polish), Khrouchtchev (French), and the scrape's own
Krushchev. No library folds Slavic transliteration schemes for matching (Unidecode and friends go
the other way: from one script to ASCII, never from several Latin schemes to one key), so the
rules below are written by hand. Each is commented with what it collapses and why.

`fold` maps a name to a comparison key; `same_name` decides whether two written names are
spellings of one name, comparing surnames by their folded keys with a small, length-dependent
edit budget and given names by known equivalents (Lev/Leon, Iosif/Joseph) and initials. The
rules are kept conservative: different people with look-alike names (Trotsky/Tomsky,
Zhukov/Zhdanov, Kamenev/Kameneva, Ignatiev/Ignatov) stay apart, and a word derived from a name
(Trotskyism, Stalinist, Bukharinite) is never the name's bearer.

All functions are pure; the expensive ones are cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

__all__ = [
    "Given",
    "ParsedName",
    "doubling_only",
    "ending_class",
    "fold",
    "fold_token",
    "given_compatible",
    "given_names_equivalent",
    "is_derived",
    "name_score",
    "parse_name",
    "same_name",
    "surnames_match",
    "within_budget",
]

# ---------------------------------------------------------------------------------------------
# Letters outside ASCII
# ---------------------------------------------------------------------------------------------

# Cyrillic, in case a name arrives unromanised: a plain English-style romanisation, which the
# Latin rules below then fold like any other spelling. ё is taken as е because English writes
# Khrushchev, not Khrushchyov; ъ and ь (hard and soft signs) leave no trace, as in English usage.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
    "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip

# Latin letters whose diacritic changes the sound in a way the other schemes spell with a
# digraph: Czech/Serbo-Croat š ž č are English sh zh ch (Ranković's ć is left to NFKD → c);
# Polish ż is zh (Żdanow = Zhdanov). Letters that are not a base letter plus a combining mark
# (ł, ß, æ, ø, đ) would survive NFKD, so they are spelled out here. Everything else (é, ő, ü, ą,
# ś, ń, ó …) loses its mark through NFKD: English usage drops them (László → Laszlo, Gerő → Gero).
_SPECIAL = {
    "š": "sh", "ž": "zh", "ż": "zh", "č": "ch", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe",
    "ø": "o", "đ": "dj", "ð": "d", "þ": "th", "ı": "i", "ř": "r",
}  # fmt: skip

# Marks for the soft and hard signs (Il'ich, Zinov'ev, Ob”edinenie) and ordinary apostrophes
# (O'Callaghan): no scheme agrees on them, so they are dropped. Hyphens are dropped too, joining
# the parts (Antonov-Ovseyenko, Bonch-Bruyevich): one surname, whether written with a hyphen,
# a space or neither.
_DROP = re.compile(
    r"[\u0027\u2018\u2019\u201b\u02b9\u02ba\u02bc\u02bb\u0060\u00b4\u201c\u201d\"\u00ab\u00bb\-\u2010\u2011\u2012\u2013\u2014\u00ad]"
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


_TO_LATIN = str.maketrans({**_CYRILLIC, **_SPECIAL})
_ASCII_DROP = str.maketrans("", "", "'`\"-")


@lru_cache(maxsize=65536)
def _latin(text: str) -> str:
    """Lower-case ASCII letters and digits, other characters as spaces (see the tables above)."""
    text = text.lower()
    if text.isascii():
        text = text.translate(_ASCII_DROP)
    else:
        text = unicodedata.normalize("NFC", text).translate(_TO_LATIN)
        text = unicodedata.normalize("NFKD", text)
        text = _DROP.sub("", "".join(ch for ch in text if not unicodedata.combining(ch)))
    return _NON_ALNUM.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Folding one word
# ---------------------------------------------------------------------------------------------

# The folded alphabet is a b d e f g h i k l m n o p r s t u v plus digits, with "sh" the one
# digraph left (for ш and ж). c j q w x y z never appear in a key, so folding a key again leaves
# it unchanged (fold is idempotent; `fold_token` iterates to that fixed point to be sure).

_POLISH_CKI = re.compile(r"ck(?=(?:i|a|y|ij|iy|ii|ie)$)")
_FINAL_FF = re.compile(r"([eo])ff$")
_UMLAUT_E = re.compile(r"([aou])e")
_PALATAL = re.compile(r"(?<=[^aeiou])i(?=[ou])")
_DOUBLE = re.compile(r"([a-z])\1+")


# The digraphs of the schemes, longest first so that one left-to-right pass finds them as the
# rules below describe (German "tsch" before "sch", which it contains, and both before "ch").
_DIGRAPH_KEYS = {
    # щ: English shch, German schtsch, Polish szcz, French chtch (Khrouchtchev), older English
    # shtch. All become "sh" + the ч key below, so Khrushchev = Chruschtschow = Chruszczow.
    "schtsch": "shk", "szcz": "shk", "shtch": "shk", "chtch": "shk", "shch": "shk",
    # ч: German tsch, French tch, Polish cz, English ch. х: English kh, German/Polish ch, French
    # kh. The two cannot be told apart (German ch is х, English ch is ч), so both fold to k, with
    # к: Kaganovich = Kaganowitsch = Kaganowicz, Bukharin = Bucharin, Tukhachevsky = Tukachevsky
    # (the dropped h of the scrape's spelling no longer matters).
    "tsch": "k", "tch": "k", "cz": "k", "kh": "k", "ch": "k",
    # ж and ш: English zh/sh, Polish ż/sz, and German "sch" for both (Schukow = Zhukov,
    # Schdanow = Zhdanov). One key, "sh". "hz" is never a digraph in any scheme: it is "zh"
    # typed the wrong way round (Vohzd = Vozhd).
    "sch": "sh", "zh": "sh", "sz": "sh", "hz": "sh",
    # ph and th are Greek spellings of f and t (Theodore, Raphael); gh is the Georgian ღ that
    # English mostly writes g (Jughashvili / Dzhugashvili).
    "ph": "f", "th": "t", "gh": "g",
}  # fmt: skip
_DIGRAPHS = re.compile("|".join(sorted(_DIGRAPH_KEYS, key=len, reverse=True)))
# Latin x and q are never used by the Slavic schemes; x is ks (Feliks/Felix, Aleksei/Alexei),
# q is k.
_BEFORE = str.maketrans({"x": "ks", "q": "k"})
# German and Polish w is v (Molotow, Sinowjew); y, j and i all spell the й/ы/и sounds and the
# iotation of е ё ю я (Yezhov, Jeschow; Trotskii, Trotskij, Trotskiy, Trotsky); German writes з
# as s (Sinowjew = Zinoviev), so z and s are one key (ж has already become "sh").
_AFTER = str.maketrans({"w": "v", "y": "i", "j": "i", "z": "s"})
_C = re.compile(r"tz|c")


def _digraph(m: re.Match[str]) -> str:
    return _DIGRAPH_KEYS[m.group()]


def _c_key(m: re.Match[str]) -> str:
    # ц: English ts, German tz (Trotzki), Polish/Czech c (Trocki). A c before e/i/y is ц in the
    # Slavic schemes and soft in English (Francis); any other c is k (Nicolai, Victor).
    if m.group() == "tz":
        return "ts"
    return "ts" if m.string[m.end() : m.end() + 1] in ("e", "i", "y") and m.end() < len(m.string) else "k"


def _fold_once(t: str) -> str:
    t = t.translate(_BEFORE)
    t = _DIGRAPHS.sub(_digraph, t)
    # Polish -cki/-cka is the -tsky/-tskaya ending (Trocki = Trotsky), but elsewhere "ck" is the
    # English/German k (Black, Brockway).
    if "ck" in t:
        t = _POLISH_CKI.sub("tsk", t).replace("ck", "k")
    if "c" in t or "tz" in t:
        t = _C.sub(_c_key, t)
    t = t.translate(_AFTER)
    # Final -off/-eff is the old French/English spelling of -ov/-ev (Molotoff, Rakovsky's
    # contemporaries wrote Romanoff); a single final f is left alone (Josef).
    if t.endswith("ff"):
        t = _FINAL_FF.sub(r"\1v", t)
    # French ou is u (Boukharine, Toukhatchevski); German ae/oe/ue spell ä/ö/ü (Thaelmann).
    t = t.replace("ou", "u")
    if "e" in t:
        t = _UMLAUT_E.sub(r"\1", t)
        # е is written ye, ie, je or e (Yezhov/Ezhov, Andreyeva/Andreeva, Koniev/Konev,
        # Zinoviev/Zinovev); keep only the e.
        t = t.replace("ie", "e")
    # ё and ю after a consonant are yo/io/jo and yu/iu/ju, or plain o/u (Ogonyok/Ogoniok/Ogonek,
    # Fyodor/Fiodor, Lyubyanka/Lubianka); the i that marks the softening goes.
    if "i" in t:
        t = _PALATAL.sub("", t)
    # Doubled letters come and go between schemes and typists (Pollitt, Rossija/Rossiya, -skii);
    # one of each.
    t = _DOUBLE.sub(r"\1", t)
    # French adds -e to names ending in -n (Staline, Lénine, Boukharine, Eltsine). Only after n:
    # a general final-e rule would make Crime the German Krim and Hardie hard.
    if len(t) >= 5 and t.endswith("ne"):
        t = t[:-1]
    return t


# What one more pass of `_fold_once` could still change in a string of the folded alphabet
# (c j q w x y z gone): if none of these is there, the key is final.
_UNSTABLE = re.compile(r"[ptgk]h|ou|[aou]e|ie|[^aeiou]i[ou]|([a-z])\1|ne$")


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """The comparison key of one word already reduced to lower-case ASCII letters and digits."""
    t = _fold_once(token)
    for _ in range(5):
        if not _UNSTABLE.search(t):
            break
        nxt = _fold_once(t)
        if nxt == t:
            break
        t = nxt
    return t


# Roman numerals of i and v stand apart as words (World War I / II, Nicholas II): folding would
# merge them by the doubled-letter rule, so they are kept as they are.
_SMALL_ROMAN = frozenset("i ii iii iv v vi vii viii".split())


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The transliteration-folded comparison key of a name: its words folded, joined by spaces.

    >>> fold("Khrushchev"), fold("Chruschtschow"), fold("G.K.Zhukhov")
    ('krushkev', 'krushkov', 'g k shukov')
    """
    return " ".join(w for w in (t if t in _SMALL_ROMAN else fold_token(t) for t in _latin(name).split()) if w)


# ---------------------------------------------------------------------------------------------
# Derived words
# ---------------------------------------------------------------------------------------------

# Trotskyism, Trotskyists, Stalinist, Bukharinite, Titoism, Stalinian, de-Stalinisation: the
# suffixes that make a doctrine, a follower or an adjective out of a name.
_DERIVED_SUFFIX = re.compile(
    r"(?:isms?|ists?|istic|istical|ites?|ians?|isations?|izations?)$",
)
# Names (given names, surnames) that end like a derived word but are not one. Armenian surnames
# in -ian are the largest group; Scandinavian -qvist/-kvist surnames another.
_NOT_DERIVED = frozenset(
    """christian christians khristian kristian krystian julian valerian adrian brian damian sebastian
    vivian lilian marian kilian emilian emelian lucian maximilian cyprian florian fabian gratian ian
    kassian cassian oktavian octavian vissarian marguerite margarite christ feist geist priest twist
    shaumian shahumian bagramian bagramyan ter-petrosian petrosian mikoian khachaturian sarkisian
    avakian demirchian karapetian nazaretian isahakian""".split()
)
_NORDIC_IST = re.compile(r"(?:qvist|kvist|quist|vist)$")
_NOT_STEM_LETTER = re.compile(r"[^a-z\u00c0-\u024f]")


@lru_cache(maxsize=65536)
def is_derived(word: str) -> bool:
    """True for a word made from a name (Trotskyism, Stalinists, Bukharinite, Titoist, anti-Stalinist).

    Only the last word of a phrase is looked at ("Tito-Stalinist Yugoslavia" ends in a name).
    The stem left by the suffix must be at least three letters (White, Kite are not derived),
    four before -ian.
    """
    words = word.split()
    if not words:
        return False
    w = unicodedata.normalize("NFC", words[-1]).lower().strip(".,;:!?\"'’‘“”()[]")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    last = w.split("-")[-1]
    m = _DERIVED_SUFFIX.search(last)
    if m is None or w in _NOT_DERIVED or last in _NOT_DERIVED or _NORDIC_IST.search(w):
        return False
    stem = _NOT_STEM_LETTER.sub("", last[: m.start()])
    # -ian needs a longer stem: pinyin syllables end in -ian (Sun Yixian, Qian), derived words
    # rarely have a stem under four letters (Marxian, Hegelian)
    return len(stem) >= (4 if m.group().startswith("ian") else 3)


# ---------------------------------------------------------------------------------------------
# Parsing a personal name
# ---------------------------------------------------------------------------------------------

# Words that stand before a name without being part of it (Marshal Zhukov, Comrade Stalin).
_TITLES = frozenset(
    """comrade comrades marshal marshall general gen colonel col major captain capt lieutenant lt
    admiral commissar commander mr mrs ms miss mister dr prof professor sir lord lady tsar czar tsarina
    president premier chairman secretary academician citizen saint st brother sister father
    comrades""".split()
)
# Sentence-initial words and role nouns that the caller's capitalised phrase may begin with
# ("If Stalin", "Historian Y.G. Plimak", "Poor Beria"): dropped like titles.
_LEADING_WORDS = frozenset(
    """a an the if while when whereas as in on at of for from by with without after before since until
    but and or nor so then yet though although even also only just what which who whom whose how why
    that this these those his her their our my your its poor old young late dear great little historian
    playwright writer editor poet author journalist minister leader ambassador dictator tyrant
    revolutionary marxist communist socialist bolshevik menshevik stalinist trotskyist""".split()
)
_SUFFIXES = frozenset("jr jnr junior sr snr senior ii iii iv".split())
# Particles that belong to the surname (Charles de Gaulle, Daniel De Leon, Jean van Heijenoort).
_PARTICLES = frozenset("de del della der di da du la le van von ter dos das".split())
# A capital inside a word starts a new one when the text lost a space (LeonTrotsky), except
# after the prefixes of Scottish, Irish, Dutch and French surnames (MacDonald, DeLeon).
_CAMEL = re.compile(r"(?<=[a-z\u00df-\u00ff]{3})(?=[A-Z\u00c0-\u00de])")
_CAMEL_KEEP = re.compile(r"^(?:Mac|Mc|Fitz|Van|Von|Des|Del|Della|Dos|Das|La|Le|De|Di|Da|Du|O)[A-Z]")
_POSSESSIVE = re.compile(r"(?:[’']s|s[’'])$")
_JR = re.compile(r",?\s+(?:Jr|Jnr|Sr|Snr)\.?$")
_HAS_INNER_CAPITAL = re.compile(r".[A-Z\u00c0-\u00de]")


class Given(NamedTuple):
    """A given name or patronymic, or its initial."""

    key: str  # folded
    initial: bool


class ParsedName(NamedTuple):
    """A written name split into given names (or initials) and a surname, each folded."""

    given: tuple[Given, ...]
    surname: str  # folded; "" when the name has no letters
    raw_surname: str  # as written, lower-case
    key: str  # the whole name folded, spaces removed
    derived: bool
    personal: bool = True  # False when a word inside is lower-case ("Lenin and Trotsky")


def _split_camel(token: str) -> list[str]:
    if _CAMEL_KEEP.match(token):
        return [token]
    parts = _CAMEL.split(token)
    return [p for p in parts if p]


@lru_cache(maxsize=65536)
def parse_name(name: str) -> ParsedName:
    """Split a written personal name: titles, "Jr." and possessive dropped, initials recognised.

    The surname is the last word (with any particle before it); words before it are given names
    or patronymics, or initials when written as one or two letters with a full stop or as one
    capital ("G.K.Zhukhov", "Y.G. Plimak", "Ye. G. Plimak").
    """
    text = unicodedata.normalize("NFC", name).strip()
    if "r" in text:
        text = _JR.sub("", text)
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)
    derived = is_derived(text)
    tokens: list[tuple[str, str, bool]] = []  # (word, its lower-case ASCII, written as an initial)
    for chunk in text.replace(".", ". ").split():
        for part in _split_camel(chunk) if _HAS_INNER_CAPITAL.search(chunk) else (chunk,):
            letters = _latin(part).replace(" ", "")
            if not letters:
                continue
            is_initial = (part.endswith(".") and len(letters) <= 2) or (len(letters) == 1 and part[:1].isupper())
            tokens.append((part.rstrip(".,;:"), letters, is_initial))
    # titles and sentence-initial words before, suffixes after
    while len(tokens) > 1 and not tokens[0][2] and (tokens[0][1] in _TITLES or tokens[0][1] in _LEADING_WORDS):
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1][1] in _SUFFIXES:
        tokens.pop()
    if not tokens:
        return ParsedName((), "", "", "", derived)
    # the surname, with particles before it
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1][1] in _PARTICLES and not tokens[i - 1][2]:
        i -= 1
    surname_raw = "".join(w for w, _, _ in tokens[i:])
    surname = fold(surname_raw).replace(" ", "")
    folded = [(fold(w).replace(" ", ""), ini) for w, _, ini in tokens[:i]]
    given = tuple(Given(k, ini) for k, ini in folded if k)
    key = "".join(g.key for g in given) + surname
    personal = all(
        w[:1].isupper() or not w[:1].isalpha() or letters in _PARTICLES for w, letters, _ in tokens[:i] + tokens[-1:]
    )
    return ParsedName(given, surname, surname_raw.lower(), key, derived, personal)


# ---------------------------------------------------------------------------------------------
# Given names
# ---------------------------------------------------------------------------------------------

# Known equivalents that folding alone does not join: translations (Lev/Leon, Iosif/Joseph),
# other languages' forms (Włodzimierz, Józef, Gueorgui) and the few familiar forms that print
# uses (Nye Bevan, Klim Voroshilov, Mike Banda). Only consulted when the surnames already match.
_GIVEN_CLASSES = (
    "Lev Leon Leo Lew Léon Lyova",
    "Iosif Joseph Josef Józef Josip Giuseppe Osip Yosif Ioseb Iossif José Joe Soso",
    "Vladimir Wladimir Włodzimierz Vladimír Volodya",
    "Nikolai Nikolay Nicholas Nicolas Nikolaus Mikołaj Nicolai Nikola Nicolae Miklós Kolya",
    "Aleksandr Alexander Aleksander Alexandre Alexandr Aleksandar Sasha",
    "Grigory Gregory Grigol Grzegorz Grégoire Gregor Grisha",
    "Georgy George Georg Georges Jerzy Giorgio György Gheorghe Gueorgui Georgios",
    "Mikhail Michael Michel Michał Mihail Mihály Michele Mike Misha",
    "Fyodor Fedor Theodore Feodor Teodor Théodore Fédor",
    "Pyotr Petr Peter Pierre Piotr Pietro Péter",
    "Aleksei Alexei Alexey Aleksey Alexis Alexej Aleksiej Alexius",
    "Dmitry Dmitri Dimitri Dmitrij Dimitar Dymitr Demetrius",
    "Yevgeny Evgeny Eugene Evgenii Jewgeni Eugen Eugeniusz Eugène",
    "Ivan Iwan Vanya",
    "Yan Jan Jānis Janis",
    "Pavel Paul Paweł Pál Paolo Pablo Pavle",
    "Andrei Andrey Andrew André Andrzej Andreas Andrea Andrés Andreu Andrej Andreï",
    "Sergei Sergey Serge Sergiusz Sergio Sergej",
    "Konstantin Constantine Konstanty Constantin",
    "Kliment Klementi Klementy Clement Klement Klim",
    "Lavrenty Lavrentiy Lavrenti Lawrenti Ławrientij Lavrentii",
    "Vyacheslav Viacheslav Wjatscheslaw Wiaczesław Vjačeslav",
    "Yakov Jacob Jakob Iakov Jakow Jacques Jakub",
    "Semyon Semen Simon Szymon Siemion Semjon",
    "Lazar Lazarus Lasar Łazar Lazare",
    "Christian Khristian Kristian Krystian Krastyo Christo Hristo",
    "Felix Feliks Félix",
    "Yuri Yury Yurii Juri Jurij Iouri",
    "Matvei Matvey Matthew Mateusz",
    "Valerian Walerian",
    "Vitaly Vitali Vitalii Witali Witalij",
    "Maxim Maksim Maksym Maxime",
    "Anastas Anastase",
    "Yemelyan Emelyan Emilian Jemeljan",
    "Vasily Vasili Vasilii Wassili Wasilij Basil",
    "Ilya Ilia Ilja Elijah",
    "Anatoly Anatoli Anatolii Anatole",
    "Nadezhda Nadeschda Nadieżda Nadejda",
    "Natalia Natalya Nataliya Natalja Natalie Natalie",
    "Aleksandra Alexandra",
    "Yekaterina Ekaterina Catherine Katharina",
    "Maria Mariya Marie Mary",
    "Rosa Róża Rose",
    "Karl Carl Karol Carlo Károly",
    "Friedrich Frederick Fryderyk",
    "Ernst Ernest Ernő Ernesto",
    "László Laszlo Lazlo Ladislaus Ladislav",
    "Mátyás Matthias Mathias",
    "Stanislav Stanisław Stanislas",
    "Henri Henry Heinrich Henryk Enrico Genrikh Genrich",
    "Maurice Moritz Maurycy",
    "William Bill Wilhelm Willi Willy Guillaume",
    "Isaac Isaak Izaak",
    "Aneurin Nye",
    "Edward Ted Eduard Edvard Édouard",
    "Thomas Tom Tomasz Foma",
    "Vissarion Wissarion",
    "Avel Abel",
    "Avgust August",
    "Ieronim Hieronim Jerome",
    "Iona Jona Jonah",
)


def _build_given_classes() -> dict[str, int]:
    out: dict[str, int] = {}
    for i, row in enumerate(_GIVEN_CLASSES):
        for name in row.split():
            out.setdefault(fold(name).replace(" ", ""), i)
    return out


_GIVEN_CLASS = _build_given_classes()
_GIVEN_MEMBERS: dict[int, frozenset[str]] = {}
for _k, _c in _GIVEN_CLASS.items():
    _GIVEN_MEMBERS[_c] = _GIVEN_MEMBERS.get(_c, frozenset()) | {_k}


def _initial_class(ch: str) -> str:
    # е/ё/ю/я/и/й initials are Y, Ye, E, Yu, Ya, J or I by scheme; х/ч/к are Kh, Ch, H, C or K.
    return {"e": "i", "h": "k"}.get(ch, ch)


def _given_forms(key: str) -> frozenset[str]:
    cls = _GIVEN_CLASS.get(key)
    return _GIVEN_MEMBERS[cls] if cls is not None else frozenset({key})


def given_names_equivalent(a: Given, b: Given) -> bool:
    """Same given name, a known equivalent (Lev/Leon), or a compatible initial (G./Georgy)."""
    if not a.key or not b.key:
        return True
    if a.initial and b.initial:
        return _initial_class(a.key[0]) == _initial_class(b.key[0])
    if a.initial or b.initial:
        ini, full = (a, b) if a.initial else (b, a)
        want = _initial_class(ini.key[0])
        return any(_initial_class(form[0]) == want for form in _given_forms(full.key) if form)
    if a.key == b.key:
        return True
    ca, cb = _GIVEN_CLASS.get(a.key), _GIVEN_CLASS.get(b.key)
    if ca is not None and ca == cb:
        return True
    if ca is not None and cb is not None:
        return False  # two different known names (Lev, Leonid)
    return (
        min(len(a.key), len(b.key)) >= 6
        and a.key[0] == b.key[0]
        and Levenshtein.distance(a.key, b.key, score_cutoff=1) <= 1
    )


def given_compatible(g1: tuple[Given, ...], g2: tuple[Given, ...]) -> bool:
    """Given names agree where both are written: pairwise from the front (Georgy / G.K.), or,
    written out in full and equal, at the back, where the shorter's words are part of a compound
    surname (Palme Dutt / Rajani Palme Dutt, Broz Tito / Josip Broz Tito)."""
    if not g1 or not g2:
        return True
    short, long = (g1, g2) if len(g1) <= len(g2) else (g2, g1)
    if all(given_names_equivalent(a, b) for a, b in zip(short, long, strict=False)):
        return True
    if len(long) > len(short) and not any(g.initial for g in short):
        tail = long[len(long) - len(short) :]
        return all(a.key == b.key and not b.initial for a, b in zip(short, tail, strict=True))
    return False


# ---------------------------------------------------------------------------------------------
# Surnames
# ---------------------------------------------------------------------------------------------

_VOWELS = frozenset("aeiou")
_DIGITS = re.compile(r"\d+")
# Russian ё in the -ёв ending is -ev in English, -ow/-ew in German and Polish, -yov/-iov/-jov
# in careful transliteration (Khrushchev, Chruschtschow, Khrushchyov); after ж ш ч щ (folded
# sh and k) English itself writes either (Khrushchov, Gorbachov). Elsewhere -ov and -ev are
# different surnames (Ignatov, Ignatiev).
_YO_RAW = re.compile(r"(?:ow|ew|yov|iov|jov|yow|jow|ëv|ёв)$")


def ending_class(key: str) -> str:
    """ "a", "v" (another vowel) or "c" (a consonant): the kind of ending two spellings must share."""
    # A final -a makes a woman's form (Kameneva, Khrushcheva, Andreyeva) or another word; a
    # final vowel added to a name makes a place (Stalino, Trotsk without the -y). So the keys'
    # endings must agree: -a, another vowel, or a consonant.
    last = key[-1]
    if last == "a":
        return "a"
    return "v" if last in _VOWELS else "c"


def surnames_match(s1: str, s2: str, raw1: str = "", raw2: str = "") -> bool:
    """Folded surnames that are spellings of one surname (raw spellings help with -ov/-ev).

    Equal keys match, unless the spellings are short and differ only by a doubled letter. Otherwise
    the first and last letters and the kind of ending must agree, a plural is not a spelling,
    digits must be equal, and the keys may differ by at most one edit of the kinds in
    `within_budget` when the shorter has 6–10 letters, two from 11 letters; shorter keys must be
    equal (Lenin ≠ Lennon, Rykov ≠ Rakov).
    """
    if s1 == s2:
        return not (raw1 and raw2 and doubling_only(raw1, raw2))
    if not s1 or not s2 or s1[0] != s2[0]:
        return False
    if ending_class(s1) != ending_class(s2) or _DIGITS.findall(s1) != _DIGITS.findall(s2):
        return False
    if s1 + "s" == s2 or s2 + "s" == s1:
        return False  # a plural ("the little Stalins", "the Fosters") is not a spelling
    if s1[-1] != s2[-1]:
        return False  # misspellings keep the grammatical ending; Crushed is not Kruschev
    n = min(len(s1), len(s2))
    budget = 0 if n <= 5 else 1 if n <= 10 else 2
    if budget == 0:
        return False
    if len(s1) == len(s2) and s1[:-2] == s2[:-2] and {s1[-2:], s2[-2:]} == {"ov", "ev"}:
        stem = s1[:-2]
        return stem.endswith(("sh", "k")) or bool(_YO_RAW.search(raw1) or _YO_RAW.search(raw2))
    return within_budget(s1, s2, budget)


# Vowels that spelling confuses: Russian unstressed о and а sound alike, as do е and и; ё is
# written e or o, ю u or (after fold) o; and a/e (Kemenev for Kamenev). Other vowel swaps make
# other names (Kulakov / Kulikov).
_VOWEL_SWAPS = frozenset({("a", "e"), ("a", "o"), ("e", "o"), ("o", "u"), ("e", "i")})


def _silent_letter(key: str, pos: int) -> bool:
    """Whether the letter at `pos` is one transliterations write or leave out: an h (Ehrenburg /
    Erenburg, Mandelstam / Mandelshtam), the k of щ after sh (Khrushchev / Kruschev), the t of ц
    before s (Solzhenitsyn / Solschenizyn)."""
    c = key[pos]
    if c == "h":
        return True
    if c == "k":
        return key[max(0, pos - 2) : pos] == "sh"
    if c == "t":
        return key[pos + 1 : pos + 2] == "s"
    return False


def within_budget(a: str, b: str, budget: int) -> bool:
    """At most `budget` edits from one key to the other, of the kinds spellings differ by: a
    confusable vowel swapped (Kemenev, Ogonyuk) or a letter that transliterations write or omit
    (see `_silent_letter`). Any other edit makes another name: a consonant swapped (Ligachev /
    Likhachev, Kirilenko / Kirichenko, Muralov / Muranov), a vowel or consonant added or dropped
    (Krylenko / Kirilenko, Foster / Forster, Browder / Broder)."""
    if Levenshtein.distance(a, b, score_cutoff=budget) > budget:
        return False
    for op in Levenshtein.editops(a, b):
        if op.tag == "replace":
            x, y = a[op.src_pos], b[op.dest_pos]
            if x not in _VOWELS or y not in _VOWELS or ((x, y) not in _VOWEL_SWAPS and (y, x) not in _VOWEL_SWAPS):
                return False
        elif op.tag == "insert":
            if not _silent_letter(b, op.dest_pos):
                return False
        elif op.tag == "delete" and not _silent_letter(a, op.src_pos):
            return False
    return True


_DOUBLED = re.compile(r"([a-z])\1+")


def doubling_only(raw_a: str, raw_b: str) -> bool:
    """Two short spellings that differ only by doubled letters (Canon / Cannon, Man / Mann): in a
    name under six letters a doubled letter is distinctive, so these are different names."""
    a, b = _latin(raw_a).replace(" ", ""), _latin(raw_b).replace(" ", "")
    return a != b and min(len(a), len(b)) < 6 and _DOUBLED.sub(r"\1", a) == _DOUBLED.sub(r"\1", b)


# ---------------------------------------------------------------------------------------------
# Whole names
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def same_name(a: str, b: str) -> bool:
    """True when two written names are spellings of one name.

    Zhukov / G.K.Zhukhov, Kamenev / Kemenev, Khrushchev / Chruschtschow, Leon Trotsky / Lev
    Trotsky, Nina Andreyeva / Andreyeva are; Trotsky / Tomsky, Roy Medvedev / Zhores Medvedev,
    Kamenev / Kameneva are not, nor is a derived word and a name (Trotskyism / Trotsky). The
    decision is about names, not people: namesakes (two Smirnovs) are "the same name".
    """
    if a == b:
        return True
    if b < a:
        a, b = b, a
    pa, pb = parse_name(a), parse_name(b)
    if pa.derived or pb.derived:
        return pa.derived and pb.derived and pa.key == pb.key
    if not pa.surname or not pb.surname or not (pa.personal and pb.personal):
        return pa.key == pb.key
    if not surnames_match(pa.surname, pb.surname, pa.raw_surname, pb.raw_surname):
        return False
    return given_compatible(pa.given, pb.given)


def name_score(a: str, b: str) -> float:
    """A 0–100 similarity for ranking: rapidfuzz's ratio of the folded surnames, 0 when given
    names conflict or one word is derived from a name. Use `same_name` for the decision."""
    pa, pb = parse_name(a), parse_name(b)
    if pa.derived != pb.derived or not given_compatible(pa.given, pb.given):
        return 0.0
    if not pa.surname and not pb.surname:
        return 100.0 if pa.key == pb.key else 0.0
    return float(fuzz.ratio(pa.surname, pb.surname))
