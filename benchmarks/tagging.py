"""Entity and date tagging cost, in ms of CPU per 10 KB of text, on the sample corpus.

    python benchmarks/tagging.py [--rounds 5]

Times the two steps inside the pipeline (the rest of `analyse` is the quotation engine): entity
tagging (gazetteer, rules, and spaCy NER on the few words around names nobody knows) and date
finding. Each round analyses every sample document as a new document (nothing cached across
rounds but the gazetteer's per-process lookup cache).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quotegraph.analyse import pipeline
from quotegraph.analyse.nlp import load
from quotegraph.read import read_bytes

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
spent: dict[str, float] = {"entities": 0.0, "dates": 0.0, "total": 0.0}


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - t

    return wrapper


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    pipeline._entities = timed("entities", pipeline._entities)  # type: ignore[assignment]
    pipeline.find_dates = timed("dates", pipeline.find_dates)  # type: ignore[assignment]
    files = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))]
    load()
    pipeline.analyse(read_bytes(files[0][1], "warm-up.txt"))  # loads the gazetteer once
    for k in spent:
        spent[k] = 0.0
    size = 0
    for r in range(args.rounds):
        for name, raw in files:
            doc = read_bytes(raw + f"\n\n[round {r}]\n".encode(), f"{r}_{name}")
            t = time.process_time()
            pipeline.analyse(doc)
            spent["total"] += time.process_time() - t
            size += len(doc.text.encode("utf-8"))
    per = 10_240 / size * 1000
    print(f"text analysed        {size / 1024:,.0f} KB in {args.rounds * len(files)} documents")
    print(f"entity tagging       {spent['entities'] * per:.1f} ms per 10 KB")
    print(f"date tagging         {spent['dates'] * per:.1f} ms per 10 KB")
    print(f"entities + dates     {(spent['entities'] + spent['dates']) * per:.1f} ms per 10 KB")
    print(f"whole analysis       {spent['total'] * per:.1f} ms per 10 KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
