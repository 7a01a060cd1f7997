"""Load test of the web server: p50/p99 latency and errors under 50 concurrent clients.

The sample corpus is multiplied 100× (each copy gets a line of its own at the end, so it is a distinct
document with its own content hash and id) and stored once in a temporary store. Each original is
analysed once and its analysis reused for its copies: the added line lies after every span, so the
offsets stay exact, and the store holds what ingesting the copies would give it (minus the cost).
Then ``quotegraph serve`` runs on 127.0.0.1 and 50 clients, each with its own keep-alive connection,
send requests back to back, one endpoint at a time. The client is ``wrk`` (Debian package ``wrk``:
one C thread, a Lua script hands out the URLs and counts non-200 answers) when it is installed, else a
minimal asyncio HTTP/1.1 client (``--client raw``) or httpx (``--client httpx``); the output names it.

Each endpoint runs its URL list twice on the same server: **cold** is the first pass (the server's
caches hold none of these URLs yet, but a URL that comes back within the pass is served from them, as
a running server would), **warm** the second pass over the same list (every page from the response
cache, which only a store change empties).

- search: ``/search?q=…`` over a rotating list of common words and phrases (HTML page with facets);
- search-new: ``/search?q=…`` with a different word of the corpus on every request (its cold pass
  is the figure for searches nobody made before);
- reader: ``/doc/{id}`` for random documents (the whole text marked up);
- json: ``/quote/{doc}/{q}.json`` for random quotations;
- static: ``/static/favicon.svg``, the ceiling this machine gives any request (HTTP, ASGI, client).

In a closed loop the mean latency is about clients ÷ throughput, so with 50 clients a p99 under
200 ms needs some 300+ requests per second from the cores the clients share with the server.

    python benchmarks/load.py [--copies 100] [--clients 50] [--requests 1000] [--workers 2]
                              [--client auto|wrk|raw|httpx] [--only PHASE ...] [--db FILE] [--repeat N]

The clients run on the same machine as the server, so they share its cores; the CPU the client and
the server processes used during each run is printed as a share of one core. With wrk, the last
column is how many of its connections each server process held: the kernel spreads them by a hash,
and in a closed loop the busier process's clients wait longer. The figures of one run move with the
machine (and the split); ``--repeat N`` runs N times, each on a fresh server, and prints the median
of each figure with the range of the p99.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
QUERIES = ["Stalin", "Trotsky", "revolution", "bureaucracy", "Khrushchev speech", "party", '"secret speech"', "Lenin*"]


def build_store(path: Path, copies: int) -> None:
    from quotegraph.analyse import analyse
    from quotegraph.model import Document
    from quotegraph.read import read_file
    from quotegraph.store import open_store

    with open_store(path) as store:
        for source in sorted(CORPUS.glob("*.txt")):
            original = read_file(source)
            analysis = analyse(original)
            for n in range(copies):
                text = original.text + f"\n\nCopy {n + 1} of the sample corpus.\n"
                name = f"{original.stem}-copy{n + 1:03}.txt"
                doc = replace(
                    original,
                    name=name,
                    text=text,
                    source_path=None,
                    content_hash=Document.hash_bytes(text.encode("utf-8")),
                )
                store.ingest(doc, replace(analysis, document=name))
            print(f"  stored {copies} copies of {source.name}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    quotegraph = Path(sys.executable).parent / "quotegraph"
    command = [str(quotegraph), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # every worker listens (on a socket of its own) once it is ready: until then the connections
        # of a pass would all go to the workers that started first
        if listening(port) >= workers:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/documents.json?limit=1", timeout=5).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def listening(port: int) -> int:
    """How many sockets listen on ``port`` (Linux's /proc/net/tcp: state 0A is LISTEN); elsewhere, not
    knowing, as many as there are workers."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        return sys.maxsize
    lines = table.read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A")


async def run(base: str, urls: list[str], clients: int, client: str = "raw") -> tuple[list[float], int]:
    """Each client takes the next URL until none are left; returns latencies (ms) and the error count."""
    queue = list(reversed(urls))
    latencies: list[float] = []
    errors = 0

    async def with_httpx() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while queue:
                url = queue.pop()
                began = time.perf_counter()
                try:
                    response = await http.get(url)
                    await response.aread()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not ok

    async def raw() -> None:
        """HTTP/1.1 keep-alive over asyncio streams: the least client work per request, so that the
        cores the clients share with the server go to the server. Every response of this server has
        a Content-Length; one without it counts as an error."""
        nonlocal errors
        host, port = base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while queue:
                url = queue.pop()
                began = time.perf_counter()
                target = quote(url, safe="/?=&%*")
                writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if length:
                    await reader.readexactly(int(length.group(1)))
                latencies.append((time.perf_counter() - began) * 1000)
                errors += status != 200 or length is None
                if length is None:
                    break
        finally:
            writer.close()

    await asyncio.gather(*((raw if client == "raw" else with_httpx)() for _ in range(clients)))
    return latencies, errors


WRK_SCRIPT = """
-- hands out the URLs of urls.txt in turn, counts answers other than 200 and, after the last one,
-- interrupts wrk (SIGINT, as Ctrl-C would) so that its duration and rate cover the pass only
local ffi = require("ffi")
ffi.cdef("int kill(int pid, int sig); int getpid(void);")
local urls, i = {}, 0
for line in io.lines("%(urls)s") do urls[#urls + 1] = line end
answered, failed = 0, 0
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function request()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then failed = failed + 1 end
  if answered == %(total)d then
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2)
  end
end
function done(summary, latency, requests)
  local failed_total = 0
  for _, t in ipairs(threads) do failed_total = failed_total + t:get("failed") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%f %%f %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failed_total + e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    base: str, urls: list[str], clients: int, tmp: Path, server: int
) -> tuple[int, float, float, float, int, list[int]]:
    """One pass of ``urls`` with wrk (a single thread is enough for 50 connections and costs least);
    returns requests, seconds, p50 and p99 in ms, errors, and how many of wrk's connections each
    process of the ``server`` (pid) held once all were open (fewer if the pass ended first)."""
    listing, script = tmp / "urls.txt", tmp / "urls.lua"
    listing.write_text("".join(quote(u, safe="/?=&%*") + "\n" for u in urls))
    script.write_text(WRK_SCRIPT % {"urls": listing, "total": len(urls)})
    command = ["wrk", "-t1", f"-c{clients}", "-d300s", "--timeout", "30s", "-s", str(script), base]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as wrk:
        split: list[int] = []
        while wrk.poll() is None and sum(split) < clients:  # until every connection is open
            time.sleep(0.01)
            split = connections(server, int(base.rsplit(":", 1)[1]))
        out, _ = wrk.communicate()
    if wrk.returncode:
        raise SystemExit(f"wrk failed ({wrk.returncode}):\n{out}")
    fields = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
    if fields is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    requests, micros, p50, p99, errors = fields.groups()
    return int(requests), int(micros) / 1e6, float(p50), float(p99), int(errors), split


def connections(pid: int, port: int) -> list[int]:
    """How many established connections to ``port`` each process of the server holds, most first
    (Linux: sockets from /proc/net/tcp, matched to the processes' file descriptors). The kernel
    spreads connections over the workers' sockets by a hash, so a closed loop's connections are rarely
    split evenly, and the busier worker's clients wait longer."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        return []
    inodes = {
        fields[9]
        for fields in (line.split() for line in table.read_text().splitlines()[1:])
        if fields[1].endswith(f":{port:04X}") and fields[3] == "01"
    }
    counts = []
    for process in _tree_stats(pid):
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{process}/fd").iterdir()]
        except OSError:
            continue
        held = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in inodes)
        if held:
            counts.append(held)
    return sorted(counts, reverse=True)


def run_python(base: str, urls: list[str], clients: int, client: str) -> tuple[int, float, float, float, int]:
    began = time.perf_counter()
    latencies, errors = asyncio.run(run(base, urls, clients, client))
    elapsed = time.perf_counter() - began
    return len(latencies), elapsed, percentile(latencies, 50), percentile(latencies, 99), errors


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (the server and its workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = _tree_stats(pid)
    return sum((int(fields[11]) + int(fields[12])) / ticks for fields in stats.values())  # utime + stime


def peak_memory(pid: int) -> list[int]:
    """Peak resident memory (VmHWM, bytes) of each process of the server, largest first."""
    peaks = []
    for child in _tree_stats(pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peaks.append(int(found.group(1)) * 1024)
    return sorted(peaks, reverse=True)


def _tree_stats(pid: int) -> dict[int, list[str]]:
    """The /proc stat fields of a process and of its descendants, by pid."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree: dict[int, list[str]] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            tree[current] = stats[current]
        todo.extend(children.get(current, []))
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint and pass")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "raw", "httpx"],
        default="auto",
        help="auto: wrk if installed, else raw (a minimal asyncio HTTP/1.1 client)",
    )
    parser.add_argument("--only", nargs="*", help="run only these phases (search, search-new, reader, json, static)")
    parser.add_argument("--db", type=Path, help="keep the store here (built if missing) instead of a temp file")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs, each on a fresh server; then the median of each figure"
    )
    args = parser.parse_args()
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "raw")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        if not db.exists():
            print(f"building the store ({args.copies}× the sample corpus) in {db}", file=sys.stderr)
            build_store(db, args.copies)
        runs = []
        for run in range(args.repeat):
            if args.repeat > 1:
                print(f"-- run {run + 1} of {args.repeat}", flush=True)
            runs.append(measure(db, args, client, Path(tmp)))
    if args.repeat > 1:
        print(f"-- median of {args.repeat} runs (p99: lowest–highest), errors in all runs")
        print(f"{'endpoint':10} {'pass':4}  {'p50':>9}  {'p99':>9}  {'p99 range':>15}  errors    req/s")
        for key in runs[0]:
            rows = [figures[key] for figures in runs]
            p50, p99, rate = (statistics.median(row[i] for row in rows) for i in (0, 1, 3))
            low, high = min(row[1] for row in rows), max(row[1] for row in rows)
            errors = sum(row[2] for row in rows)
            spread = f"{low:.1f}–{high:.1f} ms"
            print(f"{key[0]:10} {key[1]:4}  {p50:6.1f} ms  {p99:6.1f} ms  {spread:>15}  {errors:6}  {rate:7.1f}")


def measure(
    db: Path, args: argparse.Namespace, client: str, tmp: Path
) -> dict[tuple[str, str], tuple[float, float, int, float]]:
    """One run on a fresh server: every endpoint's passes, printed as they end; returns, per (endpoint,
    pass), p50 and p99 in ms, errors and requests per second."""
    port = free_port()
    server = start_server(db, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    figures: dict[tuple[str, str], tuple[float, float, int, float]] = {}
    try:
        docs: list[str] = []
        url: str | None = "/documents.json?limit=200"
        while url:
            page = httpx.get(base + url, timeout=60).json()
            docs.extend(d["id"] for d in page["items"])
            url = page["next"]
        counts = {d["id"]: d["quote_count"] for d in httpx.get(base + "/documents.json?limit=200").json()["items"]}
        rng = random.Random(1956)
        quoted = [d for d, n in counts.items() if n]
        words = sorted({w for p in CORPUS.glob("*.txt") for w in re.findall(r"[A-Za-z]{5,}", p.read_text())})
        rng.shuffle(words)
        plan = {
            "search": [f"/search?q={QUERIES[i % len(QUERIES)]}" for i in range(args.requests)],
            "search-new": [f"/search?q={w}" for w in words[: args.requests]],
            "reader": [f"/doc/{rng.choice(docs)}" for _ in range(args.requests)],
            "json": [
                f"/quote/{d}/q{rng.randint(1, counts[d])}.json"
                for d in (rng.choice(quoted) for _ in range(args.requests))
            ],
            "static": ["/static/favicon.svg"] * args.requests,
        }
        head = f"{'endpoint':10} {'pass':4} {'requests':>8}  {'p50':>9}  {'p99':>9}  errors    req/s"
        print(head + "  CPU: client server  connections per worker")
        for name, urls in plan.items():
            if args.only and name not in args.only:
                continue
            for label in ("cold", "warm"):
                client_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
                server_cpu = tree_cpu(server.pid)
                split: list[int] = []
                if client == "wrk":
                    requests, elapsed, p50, p99, errors, split = run_wrk(base, urls, args.clients, tmp, server.pid)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    used = after.ru_utime + after.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime
                else:
                    before = time.process_time()
                    requests, elapsed, p50, p99, errors = run_python(base, urls, args.clients, client)
                    used = time.process_time() - before
                served = tree_cpu(server.pid) - server_cpu
                figures[name, label] = (p50, p99, errors, requests / elapsed)
                print(
                    f"{name:10} {label:4} {requests:8}  {p50:6.1f} ms  {p99:6.1f} ms  {errors:6}  "
                    f"{requests / elapsed:7.1f}  {used / elapsed:10.0%} {served / elapsed:6.0%}  "
                    f"{'/'.join(map(str, split))}",
                    flush=True,
                )
        print(
            f"({len(docs)} documents, {args.clients} clients ({client}), {args.workers} server workers, "
            f"{os.cpu_count()} cores shared by clients and server; CPU as a share of one core)"
        )
        peaks = ", ".join(f"{n / 2**20:.0f}" for n in peak_memory(server.pid))
        print(f"peak resident memory of the server's processes (MB): {peaks}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


if __name__ == "__main__":
    main()
