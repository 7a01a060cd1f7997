"""The metrics of the reference scorer (shared/eval/score.py), as a library.

Kept metric for metric in step with the reference: a test runs both on the same files and
requires identical figures. Gold and system files are both in docs/gold-format.md's format.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

QUOTE_KINDS = {"speech", "block"}
TRIM = " \t\r\n.,;:!?…'\"“”‘’«»()[]-–—"

Json = dict[str, Any]


def norm(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().replace("’", "'").split())


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def match(gold: list[tuple[int, int]], system: list[tuple[int, int]], threshold: float) -> dict[int, int]:
    """One-to-one matching of gold to system spans, best overlap first (gold index → system index)."""
    pairs = sorted(
        ((jaccard(g, s), gi, si) for gi, g in enumerate(gold) for si, s in enumerate(system)),
        reverse=True,
    )
    used_g: set[int] = set()
    used_s: set[int] = set()
    out: dict[int, int] = {}
    for j, gi, si in pairs:
        if j < threshold or gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out[gi] = si
    return out


def prf(tp: int, n_sys: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_sys if n_sys else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "sys": n_sys, "gold": n_gold}


class Aliases:
    """Canonical entity names of one gold file, with their mention strings."""

    def __init__(self, entities: Iterable[Json]) -> None:
        self.of: dict[str, str] = {}
        for e in entities:
            canon = norm(e.get("canonical"))
            self.of.setdefault(canon, canon)
            for m in e.get("mentions", []):
                self.of.setdefault(norm(m), canon)

    def same(self, gold_name: str | None, system_name: str | None) -> bool:
        if not gold_name and not system_name:
            return True
        if not gold_name or not system_name:
            return False
        g, s = norm(gold_name), norm(system_name)
        return self.of.get(g, g) == self.of.get(s, s) or g == s


def tokens(s: str | None) -> set[str]:
    words = norm(s).replace(",", " ").replace(".", " ").split()
    return {t for t in words if len(t) > 1 and t not in {"the", "of", "and", "a"}}


def same_work(gold_work: str, system_work: str | None, aliases: Aliases) -> bool:
    if not system_work:
        return False
    if aliases.same(gold_work, system_work):
        return True
    g, s = tokens(gold_work), tokens(system_work)
    return bool(g and s) and len(g & s) / max(len(g), len(s)) >= 0.6


@dataclass
class _Counts:
    n: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, value: int) -> None:
        self.n[key] = self.n.get(key, 0) + value

    def __getitem__(self, key: str) -> int:
        return self.n.get(key, 0)


def _quotations(doc: Json, text: str | None, system: bool) -> list[Json]:
    out = []
    for q in doc.get("quotes", []):
        kind = q.get("kind")
        if kind in QUOTE_KINDS or (system and kind is None):
            span = (q["start"], q["end"])
            if text is not None:
                span = trimmed(text, *span)
            out.append({**q, "_span": span})
    return out


def _mention_sets(entities: list[Json], with_canonical: bool) -> list[set[str]]:
    out = []
    for e in entities:
        names = {norm(m) for m in e.get("mentions", [])}
        if with_canonical and e.get("canonical"):
            names.add(norm(e["canonical"]))
        out.append(names)
    return out


def _score_doc(gold: Json, system: Json, text: str | None, acc: _Counts) -> None:
    aliases = Aliases(gold.get("entities", []))
    gq, sq = _quotations(gold, text, False), _quotations(system, text, True)
    acc.add("q_exact_tp", sum(1 for g in gq for s in sq if g["_span"] == s["_span"]))
    m = match([g["_span"] for g in gq], [s["_span"] for s in sq], 0.5)
    acc.add("q_tp", len(m))
    acc.add("q_sys", len(sq))
    acc.add("q_gold", len(gq))
    for gi, si in m.items():
        g, s = gq[gi], sq[si]
        ok = aliases.same(g.get("speaker"), s.get("speaker"))
        acc.add("spk_n", 1)
        acc.add("spk_ok", int(ok))
        acc.add("attr_tp", int(ok))
        gwork = (g.get("source") or {}).get("work")
        if gwork:
            acc.add("src_n", 1)
            acc.add("src_ok", int(same_work(gwork, (s.get("source") or {}).get("work"), aliases)))
    acc.missed.extend((gold["document"], g["text"][:70]) for gi, g in enumerate(gq) if gi not in m)

    gd, sd = gold.get("dates", []), system.get("dates", [])
    acc.add("d_strict_tp", sum(1 for g in gd for s in sd if (g["start"], g["end"]) == (s["start"], s["end"])))
    dm = match([(g["start"], g["end"]) for g in gd], [(s["start"], s["end"]) for s in sd], 1e-9)
    acc.add("d_tp", len(dm))
    acc.add("d_sys", len(sd))
    acc.add("d_gold", len(gd))
    for gi, si in dm.items():
        if gd[gi].get("value") is not None:
            acc.add("dv_n", 1)
            acc.add("dv_ok", int(str(gd[gi]["value"]) == str(sd[si].get("value"))))

    gold_entities, sys_entities = gold.get("entities", []), system.get("entities", [])
    gents, sents = _mention_sets(gold_entities, True), _mention_sets(sys_entities, True)
    gents_m, sents_m = _mention_sets(gold_entities, False), _mention_sets(sys_entities, False)
    acc.add("e_gold", len(gents))
    acc.add("e_found", sum(1 for g in gents_m if any(g & s for s in sents)))
    acc.add("e_sys", len(sents))
    acc.add("e_sys_ok", sum(1 for s in sents_m if any(s & g for g in gents)))
    gold_pairs = {frozenset((a, b)) for e in gents_m for a in e for b in e if a < b}
    sys_pairs = {frozenset((a, b)) for e in sents_m for a in e for b in e if a < b}
    known: set[str] = set().union(*gents_m) if gents_m else set()
    sys_pairs = {p for p in sys_pairs if p <= known}
    acc.add("v_gold", len(gold_pairs))
    acc.add("v_sys", len(sys_pairs))
    acc.add("v_tp", len(gold_pairs & sys_pairs))


def _ratio(ok: int, n: int) -> float | None:
    return round(ok / n, 4) if n else None


@dataclass(frozen=True)
class Report:
    figures: Json
    missed: list[tuple[str, str]]


def score(gold: Mapping[str, Json], system: Mapping[str, Json], texts: Mapping[str, str]) -> Report:
    """Score system files against gold files; all three maps are keyed by file stem.

    A gold document with no system file counts as an empty output, as in the reference.
    """
    acc = _Counts()
    for stem in sorted(gold):
        g = gold[stem]
        _score_doc(g, system.get(stem, {"document": g["document"]}), texts.get(stem), acc)
    figures: Json = {
        "documents": len(gold),
        "quotes_exact": prf(acc["q_exact_tp"], acc["q_sys"], acc["q_gold"]),
        "quotes_overlap": prf(acc["q_tp"], acc["q_sys"], acc["q_gold"]),
        "speaker_accuracy": _ratio(acc["spk_ok"], acc["spk_n"]),
        "attribution": prf(acc["attr_tp"], acc["q_sys"], acc["q_gold"]),
        "source_accuracy": _ratio(acc["src_ok"], acc["src_n"]),
        "dates_strict": prf(acc["d_strict_tp"], acc["d_sys"], acc["d_gold"]),
        "dates_relaxed": prf(acc["d_tp"], acc["d_sys"], acc["d_gold"]),
        "date_value_accuracy": _ratio(acc["dv_ok"], acc["dv_n"]),
        "entities": {
            "recall": _ratio(acc["e_found"], acc["e_gold"]),
            "precision": _ratio(acc["e_sys_ok"], acc["e_sys"]),
        },
        "variant_merging": prf(acc["v_tp"], acc["v_sys"], acc["v_gold"]),
    }
    return Report(figures, acc.missed)


def format_report(report: Report, show_missed: bool = False) -> str:
    lines = [f"{k:22} {v}" for k, v in report.figures.items()]
    if show_missed:
        lines += [f"missed  {doc}  {t}" for doc, t in report.missed]
    return "\n".join(lines)
