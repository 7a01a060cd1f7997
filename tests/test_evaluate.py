"""quotegraph's evaluation module must give the reference scorer's figures, to the digit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quotegraph.evaluate import score

REFERENCE = Path(__file__).parent / "fixtures" / "reference_score.py"


def _reference(gold: Path, system: Path, corpus: Path) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(REFERENCE),
            "--gold",
            str(gold),
            "--system",
            str(system),
            "--corpus",
            str(corpus),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _ours(gold: Path, system: Path, corpus: Path) -> dict[str, Any]:
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold.glob("*.json"))}
    systems = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in system.glob("*.json")}
    texts = {s: (corpus / g["document"]).read_text(encoding="utf-8") for s, g in golds.items()}
    return score(golds, systems, texts).figures


def test_gold_against_itself_is_perfect(gold_dir: Path, corpus_dir: Path) -> None:
    figures = _ours(gold_dir, gold_dir, corpus_dir)
    assert figures == _reference(gold_dir, gold_dir, corpus_dir)
    assert figures["quotes_exact"]["f1"] == 1.0
    assert figures["speaker_accuracy"] == 1.0


def test_agrees_with_reference_on_perturbed_output(gold_dir: Path, corpus_dir: Path, tmp_path: Path) -> None:
    """Drop, shift, re-attribute and re-type quotations and dates; both scorers must agree."""
    for i, p in enumerate(sorted(gold_dir.glob("*.json"))):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["quotes"] = [q for j, q in enumerate(d["quotes"]) if j % 4 != i % 4]
        for j, q in enumerate(d["quotes"]):
            if j % 3 == 0:
                q["end"] = max(q["start"] + 1, q["end"] - 7)
            if j % 5 == 1:
                q["speaker"] = "Somebody Else"
            if j % 7 == 2:
                q["kind"] = "term"
            if j % 6 == 3:
                q["source"] = {"work": "Another Book"}
        d["dates"] = [dict(x, start=x["start"] + 1) for x in d["dates"][::2]]
        d["entities"] = d["entities"][1::2]
        (tmp_path / p.name).write_text(json.dumps(d), encoding="utf-8")
    assert _ours(gold_dir, tmp_path, corpus_dir) == _reference(gold_dir, tmp_path, corpus_dir)


@pytest.mark.slow
def test_agrees_with_reference_on_quotegraph_output(
    gold_dir: Path, corpus_dir: Path, tmp_path: Path, dev_outputs: dict[str, Any]
) -> None:
    for stem, out in dev_outputs.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    assert _ours(gold_dir, tmp_path, corpus_dir) == _reference(gold_dir, tmp_path, corpus_dir)
