"""A labelled set of (quotation, source) pairs for the verification benchmark, and its scorer.

Passages are cut from a source text at random (fixed seed) and edited in known ways: an unmarked
omission, a marked one ("…", "[…]", "...", "[...]"), inserted words, a changed word, a run of words
moved, negation added or removed, a number changed, a changed word and an omission in one quotation;
controls are quoted verbatim, differ only in form (straight/curly marks, dashes, white space,
line-end hyphenation, case at the start) or only by marked elisions. Every edit is recorded with its
type and its spans on both sides, in the convention of ``quotegraph.verify.diff.Edit``: words' spans,
and where a side has no words the gap between the neighbouring words (the elision mark for a marked omission).

Edits fall inside the passage (a word kept on each side): leaving words out at either end is
quoting a shorter passage, not an alteration. A moved run jumps over more words than it holds, so
that "which run moved" has one answer.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from quotegraph.verify import Verification
from quotegraph.verify.tokens import Token, tokenize

ALTERATIONS = ("omission", "insertion", "substitution", "reordering", "negation", "number", "two_edits")
CONTROLS = ("verbatim", "form", "marked_omission")
FORMS = ("marks", "dashes", "white_space", "hyphenation", "case")
MARKS = (" … ", " […] ", " ... ", " [...] ")
NEW_WORDS = (
    "brutally secretly deliberately entirely abuses forged capricious treacherous heroic shameful "
    "glorious allegedly vast hidden sacred fraudulent"
).split()
AUXILIARIES = frozenset("is was are were has have had can could will would should must does did do".split())
NEGATIONS = ("not", "never", "no")
NUMBER_WORDS = "two three four five six seven eight nine ten twelve twenty fifty hundred thousand".split()
TRANSLATION = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and in "
    "contacts among us Communists, becomes a defect which cannot be tolerated in one holding the "
    "position of the Secretary General"
)


@dataclass(frozen=True, slots=True)
class ExpectedEdit:
    type: str
    quoted: tuple[int, int]
    passage: tuple[int, int]  # offsets in the source text
    marked: bool = False
    severe: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    kind: str  # one of ALTERATIONS or CONTROLS (form cases: "form")
    detail: str  # e.g. the form changed, or the mark used
    quoted: str
    passage: tuple[int, int]  # the passage quoted, in the source text
    edits: tuple[ExpectedEdit, ...] = field(default=())

    @property
    def altered(self) -> bool:
        return self.kind in ALTERATIONS


class Generator:
    """Cuts passages from ``text`` (only from ``[lo, hi)``) and edits them."""

    def __init__(self, text: str, seed: int, lo: int = 0, hi: int | None = None) -> None:
        self.text = text
        self.tokens = tokenize(text, lo, hi)
        self.rng = random.Random(seed)

    def passage(self, need: str | None = None) -> tuple[list[Token], int, int]:
        """A run of 12–30 words inside one paragraph, holding a word of kind ``need`` inside it."""
        while True:
            length = self.rng.randint(12, 30)
            i = self.rng.randrange(0, len(self.tokens) - length)
            run = self.tokens[i : i + length]
            words = self.text[run[0].start : run[-1].end]
            if "\n\n" in words or self.text.count(words) > 1:
                continue  # one paragraph, and one place in the source where it is right
            if need == "negation" and not any(t.key in NEGATIONS or t.key in AUXILIARIES for t in run[1:-1]):
                continue
            if need == "number" and not any(t.key.isdigit() or t.key in NUMBER_WORDS for t in run[1:-1]):
                continue
            return run, run[0].start, run[-1].end

    def case(self, kind: str) -> Case | None:
        """One case of ``kind``, or None when the passage drawn cannot take that edit unambiguously."""
        need = kind if kind in ("negation", "number") else None
        run, start, end = self.passage(need)
        make = getattr(self, "_" + kind)
        result: Case | None = make(run, start, end)
        return result

    def cases(self, kinds: Sequence[str], per_kind: int) -> list[Case]:
        out: list[Case] = []
        for kind in kinds:
            made = 0
            while made < per_kind:
                case = self.case(kind)
                if case is not None:
                    out.append(case)
                    made += 1
        return out

    # -- alterations ------------------------------------------------------------------------------

    def _omission(self, run: list[Token], start: int, end: int) -> Case | None:
        n = self.rng.randint(1, 4)
        k = self.rng.randint(1, len(run) - n - 1)
        if _slides(run, k, k + n):
            return None
        quoted = self.text[start : run[k].start] + self.text[run[k + n].start : end]
        gap = (run[k - 1].end - start, run[k].start - start)
        edit = ExpectedEdit("omission", gap, (run[k].start, run[k + n - 1].end), False, _severe(run[k : k + n]))
        return Case("omission", f"{n} words", quoted, (start, end), (edit,))

    def _marked_omission(self, run: list[Token], start: int, end: int) -> Case | None:
        n = self.rng.randint(1, 6)
        k = self.rng.randint(1, len(run) - n - 1)
        if _slides(run, k, k + n) or _severe(run[k : k + n]):
            return None
        mark = self.rng.choice(MARKS)
        head = self.text[start : run[k - 1].end]
        quoted = head + mark + self.text[run[k + n].start : end]
        span = (len(head) + 1, len(head) + len(mark) - 1)
        edit = ExpectedEdit("omission", span, (run[k].start, run[k + n - 1].end), True, False)
        return Case("marked_omission", mark.strip(), quoted, (start, end), (edit,))

    def _insertion(self, run: list[Token], start: int, end: int) -> Case | None:
        words = self.rng.sample(NEW_WORDS, self.rng.randint(1, 3))
        k = self.rng.randint(1, len(run) - 1)
        if {w for w in words} & {t.key for t in run}:
            return None
        head = self.text[start : run[k].start]
        added = " ".join(words)
        quoted = head + added + " " + self.text[run[k].start : end]
        edit = ExpectedEdit("insertion", (len(head), len(head) + len(added)), (run[k - 1].end, run[k].start))
        return Case("insertion", f"{len(words)} words", quoted, (start, end), (edit,))

    def _substitution(self, run: list[Token], start: int, end: int) -> Case | None:
        k = self.rng.randint(1, len(run) - 2)
        word = self.rng.choice(NEW_WORDS)
        if word in {t.key for t in run} or _severe(run[k : k + 1]):
            return None
        head = self.text[start : run[k].start]
        quoted = head + word + self.text[run[k].end : end]
        edit = ExpectedEdit("substitution", (len(head), len(head) + len(word)), (run[k].start, run[k].end))
        return Case("substitution", "1 word", quoted, (start, end), (edit,))

    def _reordering(self, run: list[Token], start: int, end: int) -> Case | None:
        size = self.rng.randint(2, 3)
        k = self.rng.randint(1, len(run) - 2 * size - 4)
        j = self.rng.randint(k + 2 * size + 1, len(run) - 2)  # the run lands after token j
        keys = [t.key for t in run]
        moved = keys[k : k + size]
        rest = keys[:k] + keys[k + size : j + 1] + moved + keys[j + 1 :]
        if any(keys.count(m) > 1 for m in moved) or rest == keys:
            return None  # a moved word found elsewhere in the passage could align either way
        head = self.text[start : run[k].start] + self.text[run[k + size].start : run[j].end] + " "
        words = self.text[run[k].start : run[k + size - 1].end]
        quoted = head + words + self.text[run[j].end : end]
        edit = ExpectedEdit(
            "reordering",
            (len(head), len(head) + len(words)),
            (run[k].start, run[k + size - 1].end),
            False,
            _severe(run[k : k + size]),
        )
        return Case("reordering", f"{size} words", quoted, (start, end), (edit,))

    def _negation(self, run: list[Token], start: int, end: int) -> Case | None:
        inner = range(1, len(run) - 1)
        present = [k for k in inner if run[k].key in NEGATIONS and not _slides(run, k, k + 1)]
        if present:
            k = self.rng.choice(present)
            quoted = self.text[start : run[k].start] + self.text[run[k + 1].start : end]
            gap = (run[k - 1].end - start, run[k].start - start)
            edit = ExpectedEdit("omission", gap, (run[k].start, run[k].end), False, True)
            return Case("negation", "removed", quoted, (start, end), (edit,))
        places = [k for k in inner if run[k].key in AUXILIARIES and run[k + 1].key != "not"]
        if not places:
            return None
        k = self.rng.choice(places)
        head = self.text[start : run[k].end] + " "
        quoted = head + "not" + self.text[run[k].end : end]
        edit = ExpectedEdit("insertion", (len(head), len(head) + 3), (run[k].end, run[k + 1].start), False, True)
        return Case("negation", "added", quoted, (start, end), (edit,))

    def _number(self, run: list[Token], start: int, end: int) -> Case | None:
        places = [k for k in range(1, len(run) - 1) if run[k].key.isdigit() or run[k].key in NUMBER_WORDS]
        k = self.rng.choice(places)
        old = run[k].key
        if old.isdigit():
            new = str(int(old) + self.rng.randint(1, 9))
        else:
            new = self.rng.choice([w for w in NUMBER_WORDS if w != old])
        head = self.text[start : run[k].start]
        quoted = head + new + self.text[run[k].end : end]
        edit = ExpectedEdit("substitution", (len(head), len(head) + len(new)), (run[k].start, run[k].end), False, True)
        return Case("number", f"{old} → {new}", quoted, (start, end), (edit,))

    def _two_edits(self, run: list[Token], start: int, end: int) -> Case | None:
        """A changed word and, further on, words left out: two edits in one quotation."""
        k = self.rng.randint(1, len(run) - 8)
        n = self.rng.randint(1, 3)
        m = self.rng.randint(k + 3, len(run) - n - 1)
        word = self.rng.choice(NEW_WORDS)
        if word in {t.key for t in run} or _severe(run[k : k + 1]) or _slides(run, m, m + n):
            return None
        head = self.text[start : run[k].start] + word
        middle = self.text[run[k].end : run[m].start]
        quoted = head + middle + self.text[run[m + n].start : end]
        shift = len(head) - (run[k].end - start)  # where the quotation's offsets after the change stand
        edits = (
            ExpectedEdit("substitution", (len(head) - len(word), len(head)), (run[k].start, run[k].end)),
            ExpectedEdit(
                "omission",
                (run[m - 1].end - start + shift, run[m].start - start + shift),
                (run[m].start, run[m + n - 1].end),
                False,
                _severe(run[m : m + n]),
            ),
        )
        return Case("two_edits", f"1 word changed, {n} left out", quoted, (start, end), edits)

    # -- controls ---------------------------------------------------------------------------------

    def _verbatim(self, run: list[Token], start: int, end: int) -> Case | None:
        return Case("verbatim", "", self.text[start:end], (start, end))

    def _form(self, run: list[Token], start: int, end: int) -> Case | None:
        form = self.rng.choice(FORMS)
        words = self.text[start:end]
        if form == "marks":
            swapped = words.translate(str.maketrans({"’": "'", "“": '"', "”": '"', "‘": "'"}))
            quoted = swapped if swapped != words else words.replace("'", "’")
        elif form == "dashes":
            quoted = words.replace("—", " -- ").replace("–", "-") if "—" in words or "–" in words else None
            if quoted is None and ", " in words:
                quoted = words.replace(", ", " – ", 1)
        elif form == "white_space":
            k = self.rng.randint(1, len(run) - 1)
            quoted = self.text[start : run[k - 1].end] + "\n  " + self.text[run[k].start : end]
        elif form == "hyphenation":
            long = [t for t in run if t.end - t.start >= 8 and self.text[t.start : t.end].isalpha()]
            if not long:
                return None
            t = self.rng.choice(long)
            cut = t.start + (t.end - t.start) // 2
            quoted = self.text[start:cut] + "-\n" + self.text[cut:end]
        else:
            first = words[0]
            quoted = (first.lower() if first.isupper() else first.upper()) + words[1:]
        if quoted is None or quoted == words:
            return None
        return Case("form", form, quoted, (start, end))


def _slides(run: list[Token], i: int, j: int) -> bool:
    """Removing ``run[i:j]`` could be read as removing the same words one place over."""
    return run[i - 1].key == run[j - 1].key or (j < len(run) and run[j].key == run[i].key)


def _severe(tokens: Sequence[Token]) -> bool:
    return any(t.negation or t.number or t.maybe_number for t in tokens)


@dataclass(frozen=True, slots=True)
class Scores:
    alteration_recall: float
    false_alarm_rate: float
    typed_f1: float
    severe_recall: float  # negation and number changes flagged severe
    altered: int
    controls: int


def score(cases: Sequence[Case], results: Sequence[Verification]) -> Scores:
    """Alteration recall, false alarms on controls, and F1 of typed edits (type and both spans exact)."""
    altered = [r for c, r in zip(cases, results, strict=True) if c.altered]
    controls = [r for c, r in zip(cases, results, strict=True) if not c.altered]
    true_pos = false_pos = false_neg = 0
    severe_hit = severe_all = 0
    for case, result in zip(cases, results, strict=True):
        found = {
            (e.type, (e.quoted.start, e.quoted.end), (e.passage.start, e.passage.end)): e.severe for e in result.edits
        }
        wanted = {(e.type, e.quoted, e.passage): e.severe for e in case.edits}
        true_pos += len(found.keys() & wanted.keys())
        false_pos += len(found.keys() - wanted.keys())
        false_neg += len(wanted.keys() - found.keys())
        if case.kind in ("negation", "number"):
            severe_all += 1
            severe_hit += any(e.severe for e in result.edits)
    f1 = 2 * true_pos / (2 * true_pos + false_pos + false_neg) if true_pos else 0.0
    return Scores(
        alteration_recall=sum(r.verdict == "altered" for r in altered) / len(altered) if altered else 1.0,
        false_alarm_rate=sum(r.verdict not in ("verbatim", "faithful") for r in controls) / len(controls)
        if controls
        else 0.0,
        typed_f1=f1,
        severe_recall=severe_hit / severe_all if severe_all else 1.0,
        altered=len(altered),
        controls=len(controls),
    )
