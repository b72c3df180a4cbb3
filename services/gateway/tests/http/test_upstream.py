"""Keep-alive connections to a service: reuse, and recovery when the service closed them."""
from __future__ import annotations

import socket
import threading
from typing import Iterator

import pytest

from crm_shared.testing.fixtures import wait_until

from crm_gateway import upstream as upstream_module
from crm_gateway.upstream import STALE, Upstream

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


class RawServer:
    """Answers every request with `ok`; closes the connection after each answer if told to."""

    def __init__(self, close_after_each: bool) -> None:
        self.close_after_each = close_after_each
        self.connections = 0
        self.closed = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            self._answer(connection)
        finally:
            connection.close()
            self.closed += 1

    def _answer(self, connection: socket.socket) -> None:
        buffered = b""
        while True:
            while b"\r\n\r\n" not in buffered:
                data = connection.recv(65536)
                if not data:
                    return
                buffered += data
            head, _, buffered = buffered.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(buffered) < length:
                buffered += connection.recv(65536)
            buffered = buffered[length:]
            connection.sendall(ANSWER)
            if self.close_after_each:
                return


@pytest.fixture
def servers() -> Iterator[dict[bool, RawServer]]:
    made = {flag: RawServer(close_after_each=flag) for flag in (False, True)}
    yield made
    for server in made.values():
        server.listener.close()


def call(target: Upstream, method: str = "GET", body: bytes | None = None) -> bytes:
    connection, response = target.send(method, "/api/v1/persons", body, {"Content-Length": str(len(body or b""))})
    return target.read_all(connection, response)


def upstream_of(server: RawServer) -> Upstream:
    return Upstream("contacts", server.url, pool_size=2, connect_timeout=2, read_timeout=5)


def test_connections_are_kept_and_reused(servers: dict[bool, RawServer]) -> None:
    target = upstream_of(servers[False])
    assert [call(target) for _ in range(3)] == [b"ok"] * 3
    assert servers[False].connections == 1


def test_a_connection_the_service_closed_while_idle_is_replaced(servers: dict[bool, RawServer]) -> None:
    target = upstream_of(servers[True])
    for done in range(1, 4):
        assert call(target, "POST", b"{}") == b"ok"
        wait_until(lambda: servers[True].closed == done)
    assert servers[True].connections == 3


def test_a_close_racing_the_reuse_is_retried_for_reads_only(
    servers: dict[bool, RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upstream_module, "_readable", lambda _sock: False)
    target = upstream_of(servers[True])
    assert call(target) == b"ok"
    wait_until(lambda: servers[True].closed == 1)
    assert call(target) == b"ok"
    wait_until(lambda: servers[True].closed == 2)
    assert servers[True].connections == 2
    with pytest.raises(STALE):
        call(target, "POST", b"{}")
