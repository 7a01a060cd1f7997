"""The verification benchmark's generator and scorer (not its timing: benchmarks/verification.py)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from quotegraph.model import Span
from quotegraph.verify import SourceText, verify
from quotegraph.verify.diff import Edit

ROOT = Path(__file__).resolve().parent.parent


def load_set() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verification_set", ROOT / "benchmarks" / "verification_set.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["verification_set"] = module
    spec.loader.exec_module(module)
    return module


VS = load_set()
TEXT = (ROOT / "examples" / "corpus" / "002_36e75da0bb443b46.txt").read_text(encoding="utf-8")


def test_generated_edits_are_where_the_ground_truth_says() -> None:
    cases = VS.Generator(TEXT, seed=7).cases(VS.ALTERATIONS + VS.CONTROLS, 3)
    assert len(cases) == 3 * (len(VS.ALTERATIONS) + len(VS.CONTROLS))
    assert cases == VS.Generator(TEXT, seed=7).cases(VS.ALTERATIONS + VS.CONTROLS, 3)  # deterministic
    for case in cases:
        start, end = case.passage
        assert case.quoted != TEXT[start:end] or case.kind == "verbatim"
        for edit in case.edits:
            assert start <= edit.passage[0] <= edit.passage[1] <= end
            assert 0 <= edit.quoted[0] <= edit.quoted[1] <= len(case.quoted)
            if edit.type == "omission" and edit.marked:
                assert case.quoted[edit.quoted[0] : edit.quoted[1]] in ("…", "[…]", "...", "[...]")
        assert case.altered == bool(case.kind in VS.ALTERATIONS)
        if case.kind in ("negation", "number"):
            assert all(e.severe for e in case.edits)


def test_scorer_rewards_right_answers_and_counts_wrong_ones() -> None:
    source = SourceText("002", TEXT)
    cases = VS.Generator(TEXT, seed=11).cases(("substitution", "verbatim"), 2)
    results = [verify(c.quoted, source) for c in cases]
    perfect = VS.score(cases, results)
    assert (perfect.alteration_recall, perfect.false_alarm_rate, perfect.typed_f1) == (1.0, 0.0, 1.0)
    # One substitution reported one word off, one verbatim control reported altered.
    shifted = results[0].edits[0]
    wrong_edit = replace(shifted, passage=Span(shifted.passage.start + 1, shifted.passage.end + 1))
    assert results[0].comparison is not None
    results[0] = replace(results[0], comparison=replace(results[0].comparison, edits=(wrong_edit,)))
    extra = Edit("insertion", Span(0, 3), Span(0, 0), "abc", "")
    assert results[2].comparison is not None
    results[2] = replace(
        results[2], verdict="altered", comparison=replace(results[2].comparison, edits=(extra,), verbatim=False)
    )
    scores = VS.score(cases, results)
    assert scores.alteration_recall == 1.0
    assert scores.false_alarm_rate == 0.5
    # Two substitutions expected; found one right, one shifted and one extra: tp 1, fp 2, fn 1.
    assert scores.typed_f1 == 2 * 1 / (2 * 1 + 2 + 1)
