"""How ``quotegraph serve`` listens: a socket per worker on Linux, and a clear error for a taken port."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.cli import cli
from quotegraph.errors import CannotListen
from quotegraph.web.serving import listening_sockets

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT balances connections on Linux only")


@linux_only
def test_each_worker_gets_a_socket_of_its_own_on_one_port() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 3)
    try:
        assert len(sockets) == 3
        assert len({s.getsockname() for s in sockets}) == 1  # port 0: all on the port the first was given
        assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in sockets)
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
        for s in sockets:
            s.listen()
        # the kernel hands each new connection to one of them: every connection is accepted by some socket
        clients = [socket.create_connection(sockets[0].getsockname()) for _ in range(12)]
        accepted = 0
        for s in sockets:
            s.setblocking(False)
            while True:
                try:
                    conn, _ = s.accept()
                except BlockingIOError:
                    break
                conn.close()
                accepted += 1
        assert accepted == 12
        for c in clients:
            c.close()
    finally:
        for s in sockets:
            s.close()


@linux_only
def test_one_worker_lets_no_other_server_join_its_port() -> None:
    (only,) = listening_sockets("127.0.0.1", 0, 1)
    with only:
        assert only.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("reuse_port", [False, True])
def test_a_port_in_use_is_refused(workers: int, reuse_port: bool) -> None:
    """Also when the server holding it listens with SO_REUSEPORT (another ``serve --workers``): joining its
    port would take a share of that server's connections."""
    if reuse_port and not hasattr(socket, "SO_REUSEPORT"):
        pytest.skip("no SO_REUSEPORT here")
    with socket.socket() as taken:
        if reuse_port:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CannotListen, match=f"cannot listen on 127.0.0.1:{port}"):
            listening_sockets("127.0.0.1", port, workers)


def test_serve_on_a_port_in_use_says_so(sample_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", str(sample_db), "--port", str(port), "--workers", "2"])
    assert result.exit_code == 1
    assert "[QG605] cannot listen on 127.0.0.1:" in result.output


def test_an_unknown_host_is_refused() -> None:
    with pytest.raises(CannotListen):
        listening_sockets("no-such-host.invalid", 0, 1)
