"""Who the document presents as originating quoted words: cue words, their subjects, pronouns.

The parser runs on short windows only (the words that introduce or follow a quotation, or the
sentences before a pronoun), with the quotations inside a window masked so that their words are
not mistaken for the attribution. Offsets in a window map one to one onto the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from quotegraph.model import Span

# Word forms (not lemmas: the lemmatizer is not loaded) of verbs that report words.
_CUE_STEMS = {
    "say": "say says said saying",
    "write": "write writes wrote written writing",
    "declare": "declare declares declared declaring",
    "explain": "explain explains explained explaining",
    "continue": "continue continues continued continuing",
    "describe": "describe describes described describing",
    "reply": "reply replies replied replying",
    "comment": "comment comments commented commenting",
    "report": "report reports reported reporting",
    "add": "add adds added adding",
    "state": "state states stated stating",
    "conclude": "conclude concludes concluded concluding",
    "note": "note notes noted noting",
    "argue": "argue argues argued arguing",
    "insist": "insist insists insisted insisting",
    "ask": "ask asks asked asking",
    "answer": "answer answers answered answering",
    "tell": "tell tells told telling",
    "remark": "remark remarks remarked remarking",
    "demand": "demand demands demanded demanding",
    "denounce": "denounce denounces denounced denouncing",
    "boast": "boast boasts boasted boasting",
    "proclaim": "proclaim proclaims proclaimed proclaiming",
    "warn": "warn warns warned warning",
    "complain": "complain complains complained complaining",
    "admit": "admit admits admitted admitting",
    "reveal": "reveal reveals revealed revealing",
    "recall": "recall recalls recalled recalling",
    "assert": "assert asserts asserted asserting",
    "claim": "claim claims claimed claiming",
    "announce": "announce announces announced announcing",
    "observe": "observe observes observed observing",
    "speak": "speak speaks spoke spoken speaking",
    "exclaim": "exclaim exclaims exclaimed exclaiming",
    "cry": "cry cries cried crying",
    "shout": "shout shouts shouted shouting",
    "urge": "urge urges urged urging",
    "charge": "charge charges charged charging",
    "testify": "testify testifies testified testifying",
    "confess": "confess confesses confessed confessing",
    "predict": "predict predicts predicted predicting",
    "affirm": "affirm affirms affirmed affirming",
    "respond": "respond responds responded responding",
    "retort": "retort retorts retorted retorting",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "maintain": "maintain maintains maintained maintaining",
    "criticise": "criticise criticises criticised criticising criticize criticizes criticized criticizing",
    "analyse": "analyse analyses analysed analysing analyze analyzes analyzed analyzing",
    "put": "put puts putting",
    "pronounce": "pronounce pronounces pronounced pronouncing",
    "thunder": "thunder thunders thundered thundering",
    "protest": "protest protests protested protesting",
    "proceed": "proceed proceeds proceeded proceeding",
    "return": "return returns returned returning",
    "quote": "quote quotes quoted quoting",
    "read": "read reads reading",
    "cite": "cite cites cited citing",
    "ask_": "inquire inquires inquired enquire enquires enquired",
    "suggest": "suggest suggests suggested suggesting",
    # verbs of thinking report a stance in the words that follow: "Lardner suspects that “…”"
    "suspect": "suspect suspects suspected",
    "believe": "believe believes believed",
    "think": "think thinks thought",
    "feel": "feel feels felt",
    "fear": "fear fears feared",
    "wonder": "wonder wonders wondered",
    "hope": "hope hopes hoped",
    "doubt": "doubt doubts doubted",
    "agree": "agree agrees agreed",
    "consider": "consider considers considered",
    "find": "find finds",
    "want": "want wants wanted",
    "promise": "promise promises promised promising",
    "assure": "assure assures assured assuring",
    "repeat": "repeat repeats repeated repeating",
    "hail": "hail hails hailed hailing",
    "praise": "praise praises praised praising",
}
CUE_FORMS: dict[str, str] = {form: stem for stem, forms in _CUE_STEMS.items() for form in forms.split()}
_ANY_CUE = re.compile(r"\b(?:" + "|".join(sorted(CUE_FORMS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# Verbs that report the act of quoting someone else: their object names the speaker.
_QUOTING_STEMS = {"quote", "read", "cite"}
# Verbs that only lead on to the real cue ("proceeds to criticise", "returns to …").
_WEAK_STEMS = {"proceed", "return", "continue", "put"}

_CUE_PHRASES = re.compile(
    r"\b(?:had|has|have)\s+(?:this|the\s+following|these\s+words|much|something|a\s+lot)\s+to\s+say\b"
    r"|\baccording\s+to\b|\bin\s+the\s+words\s+of\b|\bas\s+follows\b|\bin\s+this\s+way\b"
    r"|\bwith\s+a\s+statement\b|\bso\s+(?:says|said|wrote|writes|declared|spoke)\b",
    re.IGNORECASE,
)

TITLES = frozenset(
    [
        "comrade",
        "comrades",
        "marshal",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "admiral",
        "sergeant",
        "president",
        "premier",
        "chairman",
        "secretary",
        "professor",
        "prof",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "sir",
        "lord",
        "lady",
        "dame",
        "madame",
        "monsieur",
        "herr",
        "frau",
        "citizen",
        "minister",
        "commissar",
        "academician",
        "historian",
        "playwright",
        "writer",
        "author",
        "poet",
        "editor",
        "journalist",
        "novelist",
        "economist",
        "philosopher",
        "critic",
        "director",
        "ambassador",
        "senator",
        "governor",
        "mayor",
        "judge",
        "justice",
        "prince",
        "princess",
        "tsar",
        "czar",
        "tsarina",
        "king",
        "queen",
        "emperor",
        "pope",
        "father",
        "saint",
        "st",
        "bishop",
        "cardinal",
        "rabbi",
        "reverend",
        "rev",
        "deputy",
        "delegate",
        "chief",
        "comrade-in-arms",
        "fitter",
        "worker",
        "peasant",
        "engineer",
        "teacher",
        "student",
        "old",
        "young",
        "late",
        "former",
    ]
)
_STOP_CAPITALISED = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "as",
        "at",
        "in",
        "on",
        "of",
        "for",
        "from",
        "by",
        "to",
        "with",
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "until",
        "though",
        "although",
        "because",
        "where",
        "whereas",
        "then",
        "there",
        "here",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "what",
        "who",
        "whom",
        "which",
        "whose",
        "how",
        "why",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "not",
        "no",
        "yes",
        "now",
        "today",
        "yesterday",
        "tomorrow",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
        "last",
        "next",
        "every",
        "each",
        "all",
        "some",
        "many",
        "most",
        "more",
        "few",
        "both",
        "either",
        "neither",
        "such",
        "even",
        "only",
        "also",
        "just",
        "still",
        "already",
        "indeed",
        "perhaps",
        "meanwhile",
        "moreover",
        "however",
        "therefore",
        "thus",
        "hence",
        "further",
        "again",
        "once",
        "later",
        "earlier",
        "above",
        "below",
        "between",
        "among",
        "under",
        "over",
        "during",
        "against",
        "without",
        "within",
        "upon",
        "into",
        "onto",
        "about",
        "around",
        "through",
        "throughout",
        "across",
        "along",
        "toward",
        "towards",
        "near",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "let",
    ]
)
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_FIRST_PERSON = {"i", "we", "me", "us"}
PRONOUN_WORDS = frozenset({*_PRONOUNS, *_FIRST_PERSON, "they", "them", "it"})
_RELATIVE = {"who", "that", "which", "whom"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
# Heads of organisation names: "the Stalinist Party" is not who "he" refers to.
_ORG_HEADS = frozenset(
    [
        "party",
        "committee",
        "union",
        "congress",
        "international",
        "opposition",
        "league",
        "bureau",
        "government",
        "army",
        "worker",
        "press",
        "pravda",
        "izvestia",
        "politburo",
        "presidium",
        "soviet",
        "soviets",
        "movement",
        "group",
        "front",
        "bloc",
        "trust",
        "institute",
        "academy",
        "tribune",
        "herald",
        "times",
        "news",
        "line",
        "daily",
        "weekly",
        "review",
    ]
)
_GROUP_NOUNS = frozenset(
    [
        "clique",
        "sect",
        "group",
        "party",
        "paper",
        "newspaper",
        "journal",
        "magazine",
        "organ",
        "daily",
        "weekly",
        "monthly",
        "review",
        "organisation",
        "organization",
        "committee",
        "tendency",
        "faction",
        "league",
        "union",
        "movement",
        "press",
        "bulletin",
        "editors",
        "editorial",
        "board",
        "leadership",
        "bureau",
        "presidium",
        "congress",
        "conference",
    ]
)
MONTHS = frozenset("january february march april may june july august september october november december".split())

# A name as written: initials (glued or spaced) and capitalised words, e.g. "G.K.Zhukhov",
# "Y.G. Plimak", "Leona Gubanov", "Klementi Voroshilov".
_NAME = re.compile(
    r"(?<![\w.])(?:(?:[A-Z]\.\s?){1,3})?[A-Z][a-zà-ÿ'’-]*[a-zà-ÿ]"
    r"(?:\s+(?:(?:[A-Z]\.\s?){1,3})?[A-Z][a-zà-ÿ'’-]*[a-zà-ÿ])*"
)


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None  # the fullest form of the name the document gives, titles dropped
    speaker_span: Span | None  # where the name (or the pronoun's antecedent) is written
    cue: str | None
    cue_span: Span | None
    pronoun: str | None = None  # "he", "she", "they": the speaker is resolved from the text before
    first_person: bool = False  # the document's own author ("as I wrote …")


class NameBook:
    """The names a document writes, so that a surname can be expanded to its fullest form.

    A capitalised word that opens a sentence ("Suddenly Stalin says") is no evidence of a given
    name, so such forms are confirmed with ``is_name`` (the tagger) before they are used.
    """

    def __init__(self, text: str, is_name: Callable[[str], bool]) -> None:
        self._by_last: dict[str, list[str]] = {}
        self._unconfirmed: set[str] = set()
        self._is_name = is_name
        for m in _NAME.finditer(text):
            words = _strip_titles(m.group().split())
            if not words:
                continue
            name = " ".join(words)
            if len(words) > 1 and _opens_sentence(text, m.start()) and not _is_initials(words[0]):
                self._unconfirmed.add(name)
            self.add(name)

    def add(self, name: str) -> None:
        """Add a name (one the parser read as a name is confirmed by that)."""
        words = name.split()
        if not words:
            return
        forms = self._by_last.setdefault(_surname_key(words[-1]), [])
        if name not in forms:
            forms.append(name)

    def confirm(self, name: str) -> None:
        self._unconfirmed.discard(name)
        self.add(name)

    def fullest(self, name: str) -> str:
        words = _strip_titles(name.split())
        if not words:
            return name
        best = " ".join(words)
        for form in self._by_last.get(_surname_key(words[-1]), []):
            fw = form.split()
            if len(fw) > len(best.split()) and _compatible(words, fw) and self._confirmed(form):
                best = form
        return best

    def _confirmed(self, form: str) -> bool:
        if form in self._unconfirmed:
            if not self._is_name(form):
                return False
            self._unconfirmed.discard(form)
        return True


def _opens_sentence(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t‘“\"'(…":
        k -= 1
    return k < 0 or text[k] in ".!?:\n"


def _is_initials(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+(?:[A-Z][a-z]+)?", word))


_FEMININE_SURNAME = ("aya", "ova", "eva", "yova", "ina", "ska", "skaja", "kaja")


def looks_female(name: str) -> bool:
    """Crude, for pronoun agreement only: Slavic feminine surnames (Krupskaya, Andreyeva) or a
    given name in -a before a surname (Anna Mirkina, Rosa Luxemburg)."""
    words = [w for w in name.split() if len(w) > 2 and not w.endswith(".")]
    if not words:
        return False
    if words[-1].lower().endswith(_FEMININE_SURNAME):
        return True
    return len(words) > 1 and words[0].lower().endswith("a")


def _surname_key(word: str) -> str:
    word = re.sub(r"^(?:[A-Z]\.)+", "", word)
    return word.rstrip("’'s").lower() if word.endswith(("’s", "'s")) else word.lower()


def _compatible(short: list[str], long: list[str]) -> bool:
    """``short`` is a tail of ``long`` once initials glued to the surname are split off."""
    if len(long) <= len(short):
        return False
    if any(w.lower() in _STOP_CAPITALISED or w.lower() in MONTHS for w in long):
        return False
    return [w.lower() for w in long[len(long) - len(short) :]] == [w.lower() for w in short]


def _strip_titles(words: list[str]) -> list[str]:
    while words and (words[0].lower().strip(".") in TITLES or words[0].lower() in _STOP_CAPITALISED):
        words = words[1:]
    if words and words[-1].endswith(("’s", "'s")):
        words = [*words[:-1], words[-1][:-2]]
    return words


def mask(text: str, start: int, end: int, hidden: Iterable[tuple[int, int]]) -> str:
    """``text[start:end]`` with bracketed asides blanked and other quotations reduced to xxx.

    Same length as the original, so window offsets are document offsets minus ``start``.
    """
    chars = list(text[start:end])
    for a, b in hidden:
        a, b = max(a, start), min(b, end)
        for k in range(a, b):
            chars[k - start] = "x"  # one token, so the parser sees a single noun
    window = "".join(chars)
    return re.sub(r"\[[^\]\n]{0,200}\]|\((?!\s*\))[^)\n]{0,300}\)", lambda m: " " * len(m.group()), window)


def may_attribute(window: str) -> bool:
    """Cheap test before parsing: a window with no cue word or phrase cannot name a speaker."""
    return bool(_ANY_CUE.search(window) or _CUE_PHRASES.search(window))


def is_cue_token(tok: Any) -> bool:
    return tok.lower_ in CUE_FORMS and tok.pos_ in {"VERB", "AUX", "NOUN", "PROPN"}


def _name_chain(tok: Any) -> list[Any]:
    """The proper-noun tokens that make up the name headed by ``tok``."""
    parts = [tok]
    for child in tok.lefts:
        if child.dep_ in {"compound", "flat", "nmod"} and child.pos_ in {"PROPN", "NOUN"} and child.text[:1].isupper():
            parts.extend(t for t in child.subtree if t.text[:1].isupper())
    for child in tok.rights:
        if child.dep_ in {"flat", "compound"} and child.pos_ == "PROPN":
            parts.extend(child.subtree)
    parts.sort(key=lambda t: t.i)
    # keep the contiguous run that ends with the head
    run = [tok]
    for t in reversed([p for p in parts if p.i < tok.i]):
        if t.i == run[0].i - 1:
            run.insert(0, t)
        else:
            break
    for t in [p for p in parts if p.i > tok.i]:
        if t.i == run[-1].i + 1:
            run.append(t)
    return run


def _is_name(tok: Any) -> bool:
    if not tok.text[:1].isupper():
        return False
    return bool(tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.i > 0))


@dataclass(frozen=True, slots=True)
class _Found:
    tokens: list[Any]
    pronoun: str | None = None
    first_person: bool = False


def _subject_of(cue: Any) -> _Found | None:
    """The subject of a cue verb, climbing through "had this to say", "continues to analyse" …"""
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.dep_ == "agent":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return _found(objs[0])
        subjects = sorted(
            (c for c in verb.children if c.dep_ == "nsubj"),
            key=lambda c: (not (_is_name(c) or c.lower_ in _PRONOUNS), abs(verb.i - c.i)),
        )
        for child in subjects[:1]:
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return _found(verb.head)
            return _found(child)
        if verb.dep_ in {"xcomp", "conj", "advcl", "ccomp", "acl"} and verb.head is not verb:
            if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
                return None
            verb = verb.head
            continue
        if verb.dep_ == "relcl":
            return _found(verb.head)
        break
    return None


def _found(tok: Any) -> _Found | None:
    low = tok.lower_
    if low in _PRONOUNS or low == "they":
        return _Found([tok], pronoun=low)
    if low in _FIRST_PERSON:
        return _Found([tok], first_person=True)
    if low in _RELATIVE or tok.pos_ in {"PRON", "DET", "NUM"}:
        return None
    if _is_name(tok):
        return _Found(_name_chain(tok))
    for child in tok.children:  # "another member of the panel, Temushkin, commented"
        edge = child.left_edge
        if child.dep_ in {"appos", "conj"} and _is_name(child) and edge.i > 0 and edge.nbor(-1).text == ",":
            return _Found(_name_chain(child))
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in tok.children):
        # "this disoriented little clique had the following to say": refers back like a pronoun
        return _Found([tok], pronoun="this:they" if low in _GROUP_NOUNS else "this:he")
    return None


def attribute_window(doc: Any, offset: int, prefer_last: bool) -> Attribution | None:
    """Find a cue and its speaker in a parsed window (``offset``: where the window starts)."""
    text = doc.text
    phrases = list(_CUE_PHRASES.finditer(text))
    cues = [t for t in doc if is_cue_token(t)]
    ordered = list(reversed(cues)) if prefer_last else cues
    for cue in ordered:
        if CUE_FORMS[cue.lower_] in _WEAK_STEMS and any(
            c is not cue and c.head is cue and c.dep_ in {"xcomp", "ccomp"} for c in cues
        ):
            continue
        found = _subject_of(cue)
        if CUE_FORMS[cue.lower_] in _QUOTING_STEMS:
            quoted = _quoted_author(cue)
            if quoted is not None:
                found = quoted
        if found is None:
            continue
        return _attribution(found, cue.text, Span(offset + cue.idx, offset + cue.idx + len(cue.text)), offset)
    for m in phrases if not prefer_last else reversed(phrases):
        phrase = m.group().lower()
        target = _after_phrase(doc, m.end()) if phrase.startswith(("according", "in the words", "so ")) else None
        if target is None and not phrase.startswith(("according", "in the words")):
            target = _nearest_subject(doc, m.start()) or _demonstrative_before(doc, m.start())
        if target is None:
            continue
        return _attribution(target, m.group(), Span(offset + m.start(), offset + m.end()), offset)
    return None


def colon_subject(doc: Any, offset: int) -> Attribution | None:
    """ "He dials the telephone number: “…”": a colon makes the clause's subject the source."""
    roots = [t for t in doc if t.dep_ == "ROOT" and t.pos_ in {"VERB", "AUX"}]
    if not roots:
        return None
    for child in roots[-1].children:
        if child.dep_ == "nsubj":
            found = _found(child)
            if found is not None and not found.first_person:
                return _attribution(
                    found,
                    roots[-1].text,
                    Span(offset + roots[-1].idx, offset + roots[-1].idx + len(roots[-1].text)),
                    offset,
                )
    return None


def _quoted_author(cue: Any) -> _Found | None:
    """ "I quote from Khrushchev's report" / "quotations from Khrushchev's speech": Khrushchev."""
    for tok in cue.subtree:
        if tok.dep_ == "poss" and _is_name(tok):
            return _Found(_name_chain(tok))
        if tok.dep_ == "pobj" and tok.head.lower_ == "from" and _is_name(tok):
            return _Found(_name_chain(tok))
    return None


def _after_phrase(doc: Any, char_end: int) -> _Found | None:
    for tok in doc:
        if tok.idx >= char_end and not tok.is_space:
            if tok.lower_ in _PRONOUNS:
                return _Found([tok], pronoun=tok.lower_)
            if _is_name(tok):
                head = tok
                while head.dep_ in {"compound", "flat"} and head.head is not head:
                    head = head.head
                return _Found(_name_chain(head))
            if tok.pos_ in {"DET", "ADJ"}:
                continue
            return None
    return None


_DEMONSTRATIVE_NP = re.compile(r"\b(?:this|that|these|those)\s+(?:[\w-]+\s+){0,3}?([a-z]+)\s*$")


def _demonstrative_before(doc: Any, char_start: int) -> _Found | None:
    """ "this disoriented little clique had the following to say": a phrase referring back."""
    m = _DEMONSTRATIVE_NP.search(doc.text[:char_start])
    if m is None:
        return None
    span = doc.char_span(m.start(), m.end(1), alignment_mode="expand")
    if span is None:
        return None
    return _Found(list(span), pronoun="this:they" if m.group(1) in _GROUP_NOUNS else "this:he")


def _nearest_subject(doc: Any, char_start: int) -> _Found | None:
    """For "X had this to say": the subject nearest before the phrase."""
    best: _Found | None = None
    for tok in doc:
        if tok.idx >= char_start:
            break
        if tok.dep_ in {"nsubj"}:
            best = _found(tok)
    return best


def _attribution(found: _Found, cue: str, cue_span: Span, offset: int) -> Attribution:
    toks = found.tokens
    span = Span(offset + toks[0].idx, offset + toks[-1].idx + len(toks[-1].text))
    if found.pronoun or found.first_person:
        return Attribution(None, span, cue, cue_span, pronoun=found.pronoun, first_person=found.first_person)
    words = _strip_titles([t.text for t in toks])
    if not words or any(set(w) == {"x"} and len(w) > 2 for w in words):
        return Attribution(None, None, cue, cue_span)
    return Attribution(" ".join(words), span, cue, cue_span)


def trailing_name(doc: Any, offset: int) -> Attribution | None:
    """A name standing right after a closing mark ("…” Henry Barbusse."): the speaker."""
    toks = [t for t in doc if not t.is_space and t.text not in {"”", "’", '"', "'", ",", "–", "—", "-"}]
    if not toks or not _is_name(toks[0]):
        return None
    run = [toks[0]]
    for t in toks[1:]:
        if _is_name(t) and t.i == run[-1].i + 1:
            run.append(t)
        else:
            break
    after = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
    if after is not None and after.text not in {".", ",", ";", "(", ")"} and not after.is_space:
        return None
    if len(run) > 4:
        return None
    words = _strip_titles([t.text for t in run])
    if not words:
        return None
    return Attribution(" ".join(words), Span(offset + run[0].idx, offset + run[-1].idx + len(run[-1].text)), None, None)


def _agrees(name: str, pronoun: str, is_group: Callable[[str], bool]) -> bool:
    group = is_group(name) or name.split()[-1].lower() in _ORG_HEADS
    if (pronoun == "they") != group:
        return False
    if pronoun in {"she", "her", "hers"}:
        return looks_female(name)
    if pronoun in {"he", "him", "his"}:
        return not looks_female(name.split()[-1])
    return True


def antecedent(docs: list[tuple[Any, int]], is_group: Callable[[str], bool], pronoun: str) -> tuple[str, Span] | None:
    """Resolve a pronoun from the parsed sentences before it (nearest first).

    Prefers the grammatical subject of the nearest sentence that has a named subject, then the
    nearest named person in any role; organisations and publications answer only "it"/"they".
    A demonstrative phrase ("this disoriented little clique", ``this:they``) takes subjects only.
    """
    strict = pronoun.startswith("this:")
    pronoun = pronoun.removeprefix("this:")
    for doc, offset in docs:
        subjects = [t for t in doc if t.dep_ in {"nsubj", "nsubjpass"} and _is_name(t)]
        for tok in reversed(subjects):
            chain = _name_chain(tok)
            name = " ".join(_strip_titles([t.text for t in chain]))
            if name and _agrees(name, pronoun, is_group):
                return name, Span(offset + chain[0].idx, offset + chain[-1].idx + len(chain[-1].text))
    for doc, offset in docs if not strict else []:
        names = [t for t in doc if _is_name(t) and t.dep_ not in {"compound", "flat"}]
        for tok in reversed(names):
            chain = _name_chain(tok)
            name = " ".join(_strip_titles([t.text for t in chain]))
            if name and _agrees(name, pronoun, is_group) and not name.isupper():
                return name, Span(offset + chain[0].idx, offset + chain[-1].idx + len(chain[-1].text))
    return None
