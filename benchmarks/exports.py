"""Export cost: ms of CPU per whole-corpus export, for every format, on the sample corpus.

    python benchmarks/exports.py [--rounds 5] [--db FILE]

Ingests examples/corpus into a temporary store (or uses --db), then renders each format over the
whole corpus ``--rounds`` times through ``quotegraph.export.render`` — store reads included, as the
CLI and the web UI pay them — and prints the median CPU time, the output size and the peak of the
Python heap during one export (tracemalloc: lxml's own C allocations are not counted).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from quotegraph.export import FORMATS, LIST_NAMES, render
from quotegraph.store import SQLiteStore

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def build(db: Path) -> None:
    from quotegraph.analyse import analyse
    from quotegraph.read import read_file

    with SQLiteStore(db) as store:
        for p in sorted(CORPUS.glob("*.txt")):
            doc = read_file(p)
            if not store.has_version(doc.content_hash):
                store.ingest(doc, analyse(doc))


def measure(store: SQLiteStore, fmt: str, list_name: str, rounds: int) -> tuple[float, int, int]:
    times = []
    size = 0
    for _ in range(rounds):
        t = time.process_time()
        size = len(render(store, fmt, list_name=list_name).content)
        times.append(time.process_time() - t)
    tracemalloc.start()
    render(store, fmt, list_name=list_name)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times) * 1000, size, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", type=Path, help="An existing store instead of the sample corpus.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if args.db is None:
            build(db)
        with SQLiteStore(db) as store:
            docs = store.documents()
            words = sum(len(store.get_document(d.id).document.text.split()) for d in docs)
            print(f"corpus: {len(docs)} documents, {words:,} words, {len(store.quotes())} quotations")
            print(f"{'format':<22}{'ms (median CPU)':>16}{'output KB':>12}{'py peak MB':>12}")
            jobs = [(f, "quotes") for f in FORMATS if f not in ("csv", "ndjson")]
            jobs += [(f, name) for f in ("csv", "ndjson") for name in LIST_NAMES]
            for fmt, list_name in jobs:
                label = f"{fmt} {list_name}" if fmt in ("csv", "ndjson") else fmt
                ms, size, peak = measure(store, fmt, list_name, args.rounds)
                print(f"{label:<22}{ms:>16.1f}{size / 1024:>12.1f}{peak / 1e6:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
