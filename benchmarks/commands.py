"""What a user waits for: wall and CPU time of whole `quotegraph` commands, start-up included.

    python benchmarks/commands.py [--db quotegraph.db] [--runs 5] [--skip-all]

Runs each command ``--runs`` times as a child process and prints the median and the range of its
wall time and of its CPU time (user + system, from the children's resource usage). The commands:
`--help` (start-up: what the CLI imports before it knows what to do), `verify` of one stored
quotation (the first that cites a work), `verify --text` of one sentence of a document against that
document (the words are in the cited source: nothing else needs reading) and `verify --all`. Needs
a store: `make demo` builds quotegraph.db from the sample corpus. `verify` saves its verdicts there.
``--skip-all`` leaves out `verify --all` (on a large store it verifies every quotation against every
document).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from quotegraph.store import open_store
from quotegraph.verify.corpus import CorpusVerifier

QUOTEGRAPH = Path(sys.executable).with_name("quotegraph")


def run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(QUOTEGRAPH), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(db: str, every: bool) -> list[tuple[str, list[str]]]:
    with open_store(db, read_only=True) as store:
        quote = next(CorpusVerifier(store).verifiable(), None)
        first = store.documents()[0]
        text = store.texts([first.id])[first.id]
    sentence = max(text.split(". ")[:20], key=len)  # a long sentence near the start, as written
    jobs = [("--help", ["--help"])]
    if quote is not None:
        jobs.append((f"verify {quote.permalink}", ["verify", quote.permalink, "--db", db]))
    jobs.append(
        (f"verify --text … --source {first.name}", ["verify", "--text", sentence, "--source", first.id, "--db", db])
    )
    if every:
        jobs.append(("verify --all", ["verify", "--all", "--db", db]))
    return jobs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="quotegraph.db", help="the store to verify against (make demo builds it)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-all", action="store_true", help="do not time `verify --all`")
    args = ap.parse_args()
    if not Path(args.db).exists():
        print(f"no store {args.db}: run `make demo` first", file=sys.stderr)
        return 2
    print(f"{'command':<48}{'wall ms (median, range)':>28}{'CPU ms (median, range)':>28}")
    for label, argv in commands(args.db, not args.skip_all):
        walls, cpus = zip(*(run(argv) for _ in range(args.runs)), strict=True)
        wall = f"{statistics.median(walls) * 1000:.0f} ({min(walls) * 1000:.0f}–{max(walls) * 1000:.0f})"
        cpu = f"{statistics.median(cpus) * 1000:.0f} ({min(cpus) * 1000:.0f}–{max(cpus) * 1000:.0f})"
        print(f"{label[:47]:<48}{wall:>28}{cpu:>28}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
