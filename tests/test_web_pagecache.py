"""The page cache (kept per store revision, shared between server processes through one file) and the
corpus-wide views built once per revision."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from quotegraph.web import pagecache
from quotegraph.web.pagecache import PageCache

HEADERS = [(b"content-type", b"text/html; charset=utf-8"), (b"vary", b"HX-Request"), (b"x-empty", b"")]


def test_a_page_is_found_again_with_its_headers() -> None:
    pages = PageCache()
    key = ("/doc/abc", b"version=1", False)
    assert pages.get("r1", key) is None
    pages.put("r1", key, HEADERS, b"<html>")
    assert pages.get("r1", key) == (HEADERS, b"<html>")
    assert pages.get("r1", ("/doc/abc", b"version=1", True)) is None  # the htmx fragment is another page
    assert pages.get("r1", ("/doc/abc", b"", False)) is None


def test_a_new_revision_forgets_the_old_pages() -> None:
    pages = PageCache()
    key = ("/", b"", False)
    pages.put("r1", key, HEADERS, b"old")
    assert pages.get("r2", key) is None
    assert pages.get("r1", key) is None  # not asked for again once the store moved on


def test_memory_keeps_the_most_recently_used_pages_within_its_budget() -> None:
    pages = PageCache(memory_bytes=16 * 1000)
    body = b"x" * 900
    for n in range(30):
        pages.put("r", (f"/doc/{n}", b"", False), [], body)
        pages.get("r", ("/doc/0", b"", False))  # used again and again: stays
    kept = [n for n in range(30) if pages.get("r", (f"/doc/{n}", b"", False)) is not None]
    assert 0 in kept and 29 in kept and 1 not in kept
    assert len(kept) * len(body) <= 16 * 1000
    pages.put("r", ("/huge", b"", False), [], b"y" * 1001)  # over a sixteenth of the budget: not kept
    assert pages.get("r", ("/huge", b"", False)) is None


def test_processes_share_pages_through_the_file(tmp_path: Path) -> None:
    shared = tmp_path / "pages.db"
    first, second = PageCache(shared), PageCache(shared)  # two server processes
    key = ("/search", "q=Léon".encode(), False)
    first.put("r1", key, HEADERS, b"built once")
    assert second.get("r1", key) == (HEADERS, b"built once")
    assert second.get("r2", key) is None
    first.close()
    second.close()
    assert PageCache(shared).get("r1", key) == (HEADERS, b"built once")  # a cache, but a file one


def test_the_shared_file_forgets_older_revisions(tmp_path: Path) -> None:
    shared = tmp_path / "pages.db"
    writer, reader = PageCache(shared), PageCache(shared)
    writer.put("r1", ("/a", b"", False), [], b"one")
    writer.put("r2", ("/a", b"", False), [], b"two")
    for n in range(70):  # the file is trimmed every so many writes
        writer.put("r2", (f"/doc/{n}", b"", False), [], b"page")
    assert reader.get("r1", ("/a", b"", False)) is None
    assert reader.get("r2", ("/a", b"", False)) == ([], b"two")


def test_the_shared_file_keeps_to_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond its budget, the file drops its oldest half; the newest pages stay."""
    monkeypatch.setattr(pagecache, "SHARED_BYTES", 200_000)
    writer = PageCache(tmp_path / "pages.db")
    body = bytes(range(256)) * 40  # 10 KB: 200 pages write 2 MB
    for n in range(200):
        writer.put("r1", (f"/doc/{n}", b"", False), [], body)
    reader = PageCache(tmp_path / "pages.db")
    kept = [n for n in range(200) if reader.get("r1", (f"/doc/{n}", b"", False)) is not None]
    assert kept and len(kept) < 100 and kept[-1] == 199 and kept == list(range(kept[0], 200))


@pytest.mark.slow
def test_serve_with_workers_shares_pages_and_cleans_up(tmp_path: Path, sample_db: Path) -> None:
    """``quotegraph serve --workers 2``: the workers share built pages through a file in a temporary
    folder of their own, which is gone once the server stops."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    quotegraph = Path(sys.executable).parent / "quotegraph"
    command = [str(quotegraph), "serve", "--db", str(sample_db), "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env={**os.environ, "TMPDIR": str(tmp_path)}, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                first = httpx.get(f"http://127.0.0.1:{port}/documents.json", timeout=10)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert first.status_code == 200
        folders = list(tmp_path.glob("quotegraph-pages-*"))
        assert len(folders) == 1
        with sqlite3.connect(folders[0] / "pages.db") as db:
            keys = [bytes(k) for (k,) in db.execute("SELECT key FROM page")]
        assert b"P/documents.json?" in keys
        assert httpx.get(f"http://127.0.0.1:{port}/documents.json", timeout=10).json() == first.json()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not list(tmp_path.glob("quotegraph-pages-*"))


@pytest.mark.slow
def test_the_network_is_built_once_when_many_ask_at_once(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from quotegraph.store import open_store
    from quotegraph.web import corpus as corpus_module

    builds: list[int] = []
    original = corpus_module.build_network

    def slow_build(*args: object) -> object:
        builds.append(1)
        time.sleep(0.2)  # long enough for every thread to ask while it is being built
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "build_network", slow_build)
    with open_store(sample_db, read_only=True) as store:
        view = corpus_module.Corpus().view(store)
    results: list[object] = []

    def ask() -> None:
        with open_store(sample_db, read_only=True) as own:  # one connection per thread, as the server has
            results.append(view.network(own))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len(results) == 4 and all(r is results[0] for r in results)
