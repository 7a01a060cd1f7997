"""End-to-end `extract` throughput: read → analyse → gold JSON, on the sample corpus repeated.

Prints words per second per core (CPU time of this one process) and peak memory. The corpus is
repeated until it holds at least --words words; every copy is a separate document, so nothing is
cached across copies.

    python benchmarks/throughput.py [--words 1000000] [--single]

With --single the copies are joined into ONE long document, which shows that the engine's cost
grows linearly with a document's length, not with the square of its quotations.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from quotegraph.analyse import analyse
from quotegraph.analyse.nlp import load
from quotegraph.goldjson import to_json
from quotegraph.read import read_bytes

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=1_000_000, help="at least this many words (default 1,000,000)")
    ap.add_argument("--single", action="store_true", help="join the copies into one long document")
    args = ap.parse_args()
    if args.single:
        return _single(args.words)
    files = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))]
    load()  # model loading is a once-per-process cost, not throughput
    words = quotes = docs = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    copy = 0
    while words < args.words:
        copy += 1
        for name, raw in files:
            # a distinct document per copy (its own name and content hash)
            doc = read_bytes(raw + f"\n\n[copy {copy}]\n".encode(), f"{copy:05d}_{name}")
            out = to_json(analyse(doc))
            json.dumps(out)
            words += len(doc.text.split())
            quotes += len(out["quotes"])
            docs += 1
        print(f"  {words:>9,} words, {docs} documents", file=sys.stderr, end="\r")
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(file=sys.stderr)
    print(f"documents            {docs}")
    print(f"words                {words:,}")
    print(f"quotations           {quotes:,}")
    print(f"wall time            {wall:.1f} s")
    print(f"cpu time             {cpu:.1f} s (one process, one core)")
    print(f"words/s per core     {words / cpu:,.0f}")
    print(f"ms per quotation     {1000 * cpu / max(quotes, 1):.2f}")
    print(f"peak memory          {peak_mb:,.0f} MB")
    return 0


def _single(target: int) -> int:
    parts = [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))]
    words_each = sum(len(p.split()) for p in parts)
    raw = b"\n\n".join(parts * max(1, -(-target // words_each)))
    load()
    cpu0 = time.process_time()
    doc = read_bytes(raw, "long.txt")
    analysis = analyse(doc)
    cpu = time.process_time() - cpu0
    words = len(doc.text.split())
    print(f"one document         {len(doc.text):,} characters, {words:,} words, {len(analysis.quotes):,} quotations")
    print(f"cpu time             {cpu:.1f} s")
    print(f"words/s per core     {words / cpu:,.0f}")
    print(f"peak memory          {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
