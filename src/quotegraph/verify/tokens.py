"""Word tokens with character offsets and a key that forgets what is form only.

Two quotations of one passage may differ in curly or straight marks, dashes, white space, line-end
hyphenation ("re-\\nvolution") and case without saying anything different; the ``key`` of a token is
the same for all of them, so the diff only ever sees changes of words. Written by hand: tokenisers
in libraries either drop offsets or split "didn't" and "1,000" in ways that make them two changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A word: letters/digits, kept whole over inner apostrophes ("didn’t", "o'clock"), digit groups
# ("1,000", "3.5") and a hyphen that ends a line ("re-\nvolution"). Other hyphens and dashes split.
_WORD = re.compile(
    r"\d+(?:[.,]\d+)*(?:[^\W_]+)?"
    r"|[^\W\d_][^\W_]*(?:(?:['’ʼ]|-[ \t]*\r?\n[ \t]*)[^\W_]+)*",
)
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n[ \t]*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
# Elision marks: an ellipsis (one character or three dots, spaced or not), bracketed or not.
ELISION = re.compile(r"[\[(]\s*(?:…|\.\s?\.\s?\.)\s*[\])]|…|\.\s?\.\s?\.")

NEGATIONS = frozenset(
    "not no never nothing none nobody nowhere neither nor without cannot hardly scarcely barely".split()
)
NUMBER_WORDS = frozenset(
    (
        "zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
        "thousand million billion dozen dozens hundreds thousands millions billions half twice thrice "
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth "
        "hundredth thousandth millionth"
    ).split()
)


# Function words: they anchor nothing on their own and weigh little in how much of a quotation was found.
STOPWORDS = frozenset(
    (
        "a an the and or but if then than so as of to in on at by for from with into onto upon about over "
        "under after before between through during against among is are was were be been being am do does "
        "did doing have has had having it its it's this that these those there here which who whom whose what "
        "when where why how i me my we us our you your he him his she her they them their all any some each "
        "every such very too also only just more most much many other same own can could will would shall "
        "should may might must let not no nor"
    ).split()
)
STOPWORD_WEIGHT = 0.2


def weight(key: str) -> float:
    """How much a word says about which passage is quoted: function words little, others one."""
    return STOPWORD_WEIGHT if key in STOPWORDS else 1.0


AMBIGUOUS_NUMBERS = frozenset({"one", "once", "second"})
NUMBER_WORDS -= AMBIGUOUS_NUMBERS


@dataclass(frozen=True, slots=True)
class Token:
    """One word: ``text[start:end]`` as written, and the ``key`` it is compared by."""

    start: int
    end: int
    key: str

    @property
    def negation(self) -> bool:
        return self.key in NEGATIONS or self.key.endswith("n't")  # "didn't", "won't"

    @property
    def number(self) -> bool:
        return self.key[:1].isdigit() or self.key in NUMBER_WORDS

    @property
    def maybe_number(self) -> bool:
        """ "one", "once", "second" are numbers only where another number stands against them."""
        return self.key in AMBIGUOUS_NUMBERS


def word_key(word: str) -> str:
    """The form-free key of one written word: NFKC, case folded, apostrophes straight, no line-end hyphen."""
    joined = _LINE_END_HYPHEN.sub("", word)
    return unicodedata.normalize("NFKC", joined).translate(_APOSTROPHES).casefold()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]`` with offsets into ``text`` itself."""
    stop = len(text) if end is None else end
    return [Token(m.start(), m.end(), word_key(m.group())) for m in _WORD.finditer(text, start, stop)]


def elisions(text: str) -> list[tuple[int, int]]:
    """Spans of the elision marks ("…", "...", "[…]", "[...]") a quotation uses to say words are left out."""
    return [(m.start(), m.end()) for m in ELISION.finditer(text)]
