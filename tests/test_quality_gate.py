"""The CI quality gate on the dev gold. Floors can only be raised, never lowered."""

from __future__ import annotations

from typing import Any

import pytest

from quotegraph.evaluate import score

# Measured at the time of writing: quotes overlap F1 0.99, exact F1 0.99, speaker 0.98, source 1.0;
# dates relaxed F1 1.0, strict F1 1.0, value accuracy 1.0;
# entities recall 0.91, precision 0.94; variant merging F1 0.93.
FLOORS = {
    "quotes_overlap_f1": 0.95,
    "quotes_exact_f1": 0.93,
    "speaker_accuracy": 0.93,
    "source_accuracy": 0.93,
    "dates_relaxed_f1": 0.95,
    "dates_strict_f1": 0.93,
    "date_value_accuracy": 0.93,
    "entity_recall": 0.90,
    "entity_precision": 0.92,
    "variant_merging_f1": 0.90,
}

pytestmark = pytest.mark.slow


def test_dev_gold_floors(gold: dict[str, Any], dev_outputs: dict[str, Any], corpus_dir: Any) -> None:
    texts = {stem: (corpus_dir / g["document"]).read_text(encoding="utf-8") for stem, g in gold.items()}
    figures = score(gold, dev_outputs, texts).figures
    measured = {
        "quotes_overlap_f1": figures["quotes_overlap"]["f1"],
        "quotes_exact_f1": figures["quotes_exact"]["f1"],
        "speaker_accuracy": figures["speaker_accuracy"],
        "source_accuracy": figures["source_accuracy"],
        "dates_relaxed_f1": figures["dates_relaxed"]["f1"],
        "dates_strict_f1": figures["dates_strict"]["f1"],
        "date_value_accuracy": figures["date_value_accuracy"],
        "entity_recall": figures["entities"]["recall"],
        "entity_precision": figures["entities"]["precision"],
        "variant_merging_f1": figures["variant_merging"]["f1"],
    }
    below = {k: (measured[k], floor) for k, floor in FLOORS.items() if measured[k] < floor}
    assert not below, f"below the quality floor (measured, floor): {below}"


def test_every_span_is_anchored(dev_outputs: dict[str, Any], corpus_dir: Any) -> None:
    """Offsets are sacred: text[start:end] is exactly the quotation's text, for every document."""
    for out in dev_outputs.values():
        text = (corpus_dir / out["document"]).read_text(encoding="utf-8")
        for q in out["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
            for key in ("speaker_span", "cue_span"):
                if q[key]:
                    assert 0 <= q[key][0] < q[key][1] <= len(text)
            if q["source"] and q["source"]["citation"]:
                a, b = q["source"]["citation"]
                assert 0 <= a < b <= len(text)
        ids = {q["id"] for q in out["quotes"]}
        assert all(q["parent"] in ids for q in out["quotes"] if q["parent"])
