"""Rendered responses kept per store revision, so a page is built once for as long as the store stays
the same: in each server process's memory and, when ``quotegraph serve`` runs several processes, in
one SQLite file they share, so that a page one worker built is not built again by the others.

The store is read-only to the server and every page is a function of its revision and URL, so a
response can be kept until the revision changes. The shared file is a cache: losing it loses
nothing, so it is written without waiting for the disk, and a write that finds the file busy is
skipped rather than waited for (the event loop asks, and must not block).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

Headers = list[tuple[bytes, bytes]]
Key = tuple[str, bytes, bool]  # path, query string, htmx fragment or whole page

MEMORY_BYTES = 128 * 1024 * 1024  # per process
SHARED_BYTES = 512 * 1024 * 1024  # in the shared file
_TRIM_EVERY = 64  # writes between two checks of the shared file's size

_SCHEMA = """
CREATE TABLE IF NOT EXISTS page (
    revision TEXT NOT NULL,
    key BLOB NOT NULL,
    headers BLOB NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (revision, key)
);
"""


def _key_bytes(key: Key) -> bytes:
    path, query, fragment = key
    return (b"F" if fragment else b"P") + path.encode("utf-8", "surrogateescape") + b"?" + query


def _headers_bytes(headers: Headers) -> bytes:
    # HTTP header names and values hold neither NUL nor newline, so these separators cannot clash
    return b"\n".join(name + b"\x00" + value for name, value in headers)


def _headers_from(data: bytes) -> Headers:
    return [(name, value) for name, _, value in (line.partition(b"\x00") for line in data.split(b"\n"))] if data else []


def _size(headers: Headers, body: bytes) -> int:
    return len(body) + sum(len(k) + len(v) for k, v in headers)


class PageCache:
    """Responses (headers and body) by revision and key: memory first (least recently used leaves
    first), then the shared file when there is one."""

    def __init__(self, shared: Path | None = None, memory_bytes: int = MEMORY_BYTES) -> None:
        self._lock = threading.Lock()
        self._memory: OrderedDict[tuple[str, Key], tuple[Headers, bytes]] = OrderedDict()
        self._memory_bytes = 0
        self._budget = memory_bytes
        self._revision = ""
        self._writes = 0
        self._trimmed = ""  # the revision whose older pages this process last dropped from the shared file
        self._shared: sqlite3.Connection | None = None
        if shared is not None:
            # created while the workers start, so waiting for another worker's creation is fine here
            self._shared = sqlite3.connect(shared, timeout=5, isolation_level=None, check_same_thread=False)
            self._shared.execute("PRAGMA journal_mode=WAL")
            self._shared.execute("PRAGMA synchronous=OFF")
            self._shared.executescript(_SCHEMA)
            # Then never wait: SQLite's busy handler sleeps 1, 2, 5, 10 ms … on the event loop, which
            # answers nothing meanwhile; a page another worker is writing is built here instead.
            self._shared.execute("PRAGMA busy_timeout=0")

    def get(self, revision: str, key: Key) -> tuple[Headers, bytes] | None:
        with self._lock:
            self._forget_other_revisions(revision)
            found = self._memory.get((revision, key))
            if found is not None:
                self._memory.move_to_end((revision, key))
                return found
            if self._shared is None:
                return None
            try:
                row = self._shared.execute(
                    "SELECT headers, body FROM page WHERE revision = ? AND key = ?", (revision, _key_bytes(key))
                ).fetchone()
            except sqlite3.OperationalError:
                return None
        if row is None:
            return None
        found = (_headers_from(row[0]), bytes(row[1]))
        self._remember(revision, key, found)
        return found

    def put(self, revision: str, key: Key, headers: Headers, body: bytes) -> None:
        """Keep a response built for ``revision`` (the caller made sure the store did not change while
        building it); a response of more than a sixteenth of the memory budget is not kept."""
        if _size(headers, body) > self._budget // 16:
            return
        self._remember(revision, key, (headers, body))
        if self._shared is None:
            return
        with self._lock:
            try:
                self._shared.execute(
                    "INSERT OR IGNORE INTO page (revision, key, headers, body) VALUES (?, ?, ?, ?)",
                    (revision, _key_bytes(key), _headers_bytes(headers), body),
                )
                self._writes += 1
                if self._writes % _TRIM_EVERY == 1:
                    self._trim_shared(revision)
            except sqlite3.OperationalError:  # busy with another worker's write: the page stays in memory
                pass

    def _remember(self, revision: str, key: Key, response: tuple[Headers, bytes]) -> None:
        with self._lock:
            self._forget_other_revisions(revision)
            if (revision, key) in self._memory:
                return
            self._memory[(revision, key)] = response
            self._memory_bytes += _size(*response)
            while self._memory_bytes > self._budget:
                _, old = self._memory.popitem(last=False)
                self._memory_bytes -= _size(*old)

    def _forget_other_revisions(self, revision: str) -> None:
        """Pages of an older revision are never asked for again (the revision only moves on)."""
        if revision != self._revision:
            self._memory.clear()
            self._memory_bytes = 0
            self._revision = revision

    def _trim_shared(self, revision: str) -> None:
        """Drop other revisions' pages (once per revision), then the oldest half of the pages while the
        file's pages in use hold more than its budget: counted from two numbers SQLite keeps, where
        summing the pages' lengths read every row, every 64 writes."""
        assert self._shared is not None
        if revision != self._trimmed:
            self._shared.execute("DELETE FROM page WHERE revision != ?", (revision,))
            self._trimmed = revision
        pages = self._shared.execute("PRAGMA page_count").fetchone()[0]
        free = self._shared.execute("PRAGMA freelist_count").fetchone()[0]
        total = (pages - free) * self._shared.execute("PRAGMA page_size").fetchone()[0]
        if total > SHARED_BYTES:
            count = self._shared.execute("SELECT count(*) FROM page").fetchone()[0]
            self._shared.execute(
                "DELETE FROM page WHERE rowid IN (SELECT rowid FROM page ORDER BY rowid LIMIT ?)", (count // 2,)
            )

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
