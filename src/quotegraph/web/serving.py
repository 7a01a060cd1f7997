"""Running the application: one process, or several sharing the port and the pages they build.

The CLI's ``serve`` is a thin call to ``serve`` here; uvicorn is imported only when a server starts.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from collections.abc import Callable

import uvicorn
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from quotegraph.errors import CannotListen
from quotegraph.store import open_store
from quotegraph.web.app import create_app

# asyncio's own event loop, not uvloop: libuv accepts one connection per turn of its loop, and a turn
# lasts as long as the pages built on it (the pages of a store's single items are built on the loop, see
# app.twin). Under a burst of new connections the last ones waited a second or more before being
# accepted: in the load benchmark's cold reader pass, with 50 new connections, p99 0.6–1.3 s with
# uvloop, 0.14–0.2 s with asyncio's loop, which accepts every waiting connection at once.
LOOP = "asyncio"


def serve(db: str, host: str, port: int, workers: int, progress: Callable[[str], None]) -> None:
    """Serve ``db`` read-only on ``host:port`` with ``workers`` processes until interrupted."""
    if workers == 1:
        app = create_app(db)  # checks the store before listening
    else:
        open_store(db, read_only=True).close()  # a missing or foreign store fails here, not in each worker
    sockets = listening_sockets(host, port, workers)
    port = sockets[0].getsockname()[1]
    many = f", {workers} workers" if workers > 1 else ""
    progress(f"quotegraph on http://{host}:{port}/ over {db} (read-only{many}); Ctrl-C stops it")
    if workers == 1:
        uvicorn.Server(uvicorn.Config(app, loop=LOOP, log_level="warning", access_log=False)).run(sockets=sockets)
        return
    os.environ["QUOTEGRAPH_DB"] = os.path.abspath(db)
    with tempfile.TemporaryDirectory(prefix="quotegraph-pages-") as pages:  # the workers share what they build
        os.environ["QUOTEGRAPH_PAGES"] = os.path.join(pages, "pages.db")
        config = uvicorn.Config(
            "quotegraph.web:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,  # no line per request: it would be dropped at this level, but formatted first
            loop=LOOP,
        )
        _Workers(config, sockets).run()


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets bound to the same address, one per server process (SO_REUSEPORT), on Linux.

    With one socket shared by the processes, whichever wakes first accepts most of a burst of new
    connections: the load benchmark's 50 keep-alive clients were split 41/9, 38/12 or 7/43, and the
    busier process's clients waited three to five times as long as the others'. Given sockets of their
    own, the kernel spreads connections over them by a hash of their addresses. Elsewhere (where the
    option does not balance connections) the processes share one socket.
    """
    balanced = count > 1 and sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    if balanced:
        # Sockets with SO_REUSEPORT may join a port that another server of the same user listens on,
        # and would take a share of its connections: a plain socket first finds the port in use.
        probe = _bound(family, host, port, reuse_port=False)
        port = probe.getsockname()[1]  # asked for port 0: the sockets join the port the probe was given
        probe.close()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count if balanced else 1):
            sockets.append(_bound(family, host, port, reuse_port=balanced))
    except CannotListen:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _bound(family: socket.AddressFamily, host: str, port: int, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Without TCP_NODELAY every response would wait ~40 ms for a delayed ACK (Nagle's algorithm):
    # uvicorn opens sockets without naming TCP, so asyncio leaves it on, and accepted sockets inherit
    # the option from the listening one (Linux).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.set_inheritable(True)
    return sock


class _Workers(Multiprocess):
    """uvicorn's supervisor, each server process started on a listening socket of its own when there is
    one per process (``listening_sockets``). uvicorn starts a process again after one dies with every
    socket, so the replacement also answers the socket of the process it replaces."""

    def init_processes(self) -> None:
        if len(self.sockets) != self.processes_num:
            super().init_processes()
            return
        for sock in self.sockets:
            process = Process(self.config, [sock])
            process.start()
            self.processes.append(process)
