"""Load test of the web server: p50/p99 latency and errors under 50 concurrent clients.

The sample corpus is multiplied 100× (each copy gets a line of its own at the end, so it is a distinct
document with its own content hash and id) and stored once in a temporary store. Each original is
analysed once and its analysis reused for its copies: the added line lies after every span, so the
offsets stay exact, and the store holds what ingesting the copies would give it (minus the cost).
Then ``quotegraph serve`` runs on 127.0.0.1 and 50 clients (asyncio, each with its own
connection; a minimal HTTP/1.1 client by default, ``--client httpx`` for httpx) send requests back
to back, one endpoint at a time:

- search: ``/search?q=…`` over a rotating list of common words and phrases (HTML page with facets;
  after the first round these come from the server's per-revision result cache);
- search-new: ``/search?q=…`` with a different word of the corpus on every request (never cached);
- reader: ``/doc/{id}`` for random documents (the whole text marked up);
- json: ``/quote/{doc}/{q}.json`` for random quotations;
- static: ``/static/favicon.svg``, the ceiling this machine gives any request (HTTP, ASGI, client).

In a closed loop the mean latency is about clients ÷ throughput, so with 50 clients a p99 under
200 ms needs some 300+ requests per second from the cores the clients share with the server.

    python benchmarks/load.py [--copies 100] [--clients 50] [--requests 1000] [--workers 2]
                              [--client raw|httpx] [--only PHASE ...] [--db FILE]

The clients run on the same machine as the server, so they share its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
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
        try:
            if httpx.get(f"http://127.0.0.1:{port}/documents.json?limit=1", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


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


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw", help="raw: minimal HTTP/1.1 client")
    parser.add_argument("--only", nargs="*", help="run only these phases (search, search-new, reader, json, static)")
    parser.add_argument("--db", type=Path, help="keep the store here (built if missing) instead of a temp file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        if not db.exists():
            print(f"building the store ({args.copies}× the sample corpus) in {db}", file=sys.stderr)
            build_store(db, args.copies)
        port = free_port()
        server = start_server(db, port, args.workers)
        base = f"http://127.0.0.1:{port}"
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
                "search-new": [f"/search?q={w}" for w in words[args.clients : args.clients + args.requests]],
                "reader": [f"/doc/{rng.choice(docs)}" for _ in range(args.requests)],
                "json": [
                    f"/quote/{d}/q{rng.randint(1, counts[d])}.json"
                    for d in (rng.choice(quoted) for _ in range(args.requests))
                ],
                "static": ["/static/favicon.svg"] * args.requests,
            }
            for name, urls in plan.items():
                if args.only and name not in args.only:
                    continue
                if name != "search-new":
                    # warm the caches and connections
                    asyncio.run(run(base, urls[: args.clients], args.clients, args.client))
                else:
                    asyncio.run(run(base, [f"/search?q={w}" for w in words[: args.clients]], args.clients, args.client))
                began, client_cpu = time.perf_counter(), time.process_time()
                latencies, errors = asyncio.run(run(base, urls, args.clients, args.client))
                elapsed = time.perf_counter() - began
                client_cpu = time.process_time() - client_cpu
                print(
                    f"{name:10} {len(latencies):5} requests  p50 {percentile(latencies, 50):7.1f} ms  "
                    f"p99 {percentile(latencies, 99):7.1f} ms  errors {errors}  "
                    f"{len(latencies) / elapsed:6.1f} req/s  clients used {client_cpu / elapsed:4.0%} of a core",
                    flush=True,
                )
            print(
                f"({len(docs)} documents, {args.clients} {args.client} clients, {args.workers} server workers, "
                f"{os.cpu_count()} cores shared by clients and server)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
