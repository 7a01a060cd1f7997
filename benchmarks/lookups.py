"""Gazetteer lookup speed: CPU time per lookup of names never seen before and of repeated ones.

    python benchmarks/lookups.py

Kinds of lookup: names the gazetteer lists, the sample corpus's capitalised phrases in reading
order (repeats cached, as in the pipeline), misspelt names (every fuzzy tier), repeated names.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

from quotegraph.link import variants
from quotegraph.link.gazetteer import parse, read_data

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def per_lookup(gaz: Any, names: list[str], *, cold: bool) -> float:
    if cold:
        for fn in (variants.fold, variants.fold_token, variants.parse_name, variants.is_derived):
            fn.cache_clear()
        gaz._cache.clear()
    start = time.process_time()
    for n in names:
        gaz.lookup(n)
    return (time.process_time() - start) / len(names)


def main() -> int:
    t = time.process_time()
    gaz = parse(read_data())
    print(f"load and index       {1000 * (time.process_time() - t):.0f} ms ({len(gaz)} entries)")
    listed = [n for e in gaz for n in e.names][:3000]
    phrases: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        phrases += re.findall(r"[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+)*", path.read_text(encoding="utf-8"))
    misspelt = sorted({n[:3] + n[4:] for e in gaz for n in e.names if len(n) > 6})[:3000]
    print(f"listed names         {1e6 * per_lookup(gaz, listed, cold=True):.1f} µs per lookup")
    print(f"corpus phrases       {1e6 * per_lookup(gaz, phrases, cold=True):.1f} µs per lookup")
    print(f"misspelt names       {1e6 * per_lookup(gaz, misspelt, cold=True):.1f} µs per lookup")
    print(f"repeated names       {1e6 * per_lookup(gaz, misspelt, cold=False):.2f} µs per lookup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
