"""Keep-alive HTTP/1.1 connections to one owning service, shared by a worker's threads.

The standard library's http.client is used directly rather than urllib3: on the proxy's
hot path urllib3's retry, timeout and header bookkeeping cost about as much CPU again as
the HTTP exchange itself, and the gateway must stay far cheaper than the services behind it.
"""
from __future__ import annotations

import select
import socket
from collections import deque
from http.client import HTTPConnection, HTTPResponse, HTTPSConnection, RemoteDisconnected
from typing import IO
from urllib.parse import urlsplit

Body = bytes | IO[bytes] | None

#: Methods that may be sent again when a kept-alive connection turns out to be closed.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: What a connection the service closed while idle fails with on reuse.
STALE = (RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Upstream:
    """One owning service: where it listens and its idle connections (at most `pool_size`)."""

    def __init__(self, name: str, base_url: str, *, pool_size: int,
                 connect_timeout: float, read_timeout: float) -> None:
        parts = urlsplit(base_url)
        self.name = name
        self.prefix = parts.path.rstrip("/")
        self._connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        self._address = (parts.hostname or "127.0.0.1", parts.port)
        self._pool_size = pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._idle: deque[HTTPConnection] = deque()

    def send(
        self, method: str, target: str, body: Body, headers: dict[str, str]
    ) -> tuple[HTTPConnection, HTTPResponse]:
        """Send one request; return its connection and the response with its body still unread."""
        connection = self._idle_connection()
        if connection is not None:
            try:
                return connection, self._exchange(connection, method, target, body, headers)
            except STALE:
                if method not in IDEMPOTENT or not isinstance(body, (bytes, type(None))):
                    raise
        connection = self._connection_class(*self._address, timeout=self._connect_timeout)
        return connection, self._exchange(connection, method, target, body, headers)

    def release(self, connection: HTTPConnection, response: HTTPResponse) -> None:
        """Keep a connection whose response was read to its end for the next call; close others."""
        if response.isclosed() and not response.will_close and len(self._idle) < self._pool_size:
            self._idle.append(connection)
        else:
            response.close()
            connection.close()

    def read_all(self, connection: HTTPConnection, response: HTTPResponse) -> bytes:
        """Read a (small) response body whole and release its connection."""
        try:
            return response.read()
        finally:
            self.release(connection, response)

    def close(self) -> None:
        """Close every idle connection."""
        while self._idle:
            self._idle.pop().close()

    def _exchange(self, connection: HTTPConnection, method: str, target: str, body: Body,
                  headers: dict[str, str]) -> HTTPResponse:
        try:
            if connection.sock is None:
                connection.connect()
                connection.sock.settimeout(self._read_timeout)
            connection.request(method, target, body=body, headers=headers)
            return connection.getresponse()
        except BaseException:
            connection.close()
            raise

    def _idle_connection(self) -> HTTPConnection | None:
        while True:
            try:
                connection = self._idle.pop()
            except IndexError:
                return None
            if connection.sock is not None and not _readable(connection.sock):
                return connection
            connection.close()


def _readable(sock: socket.socket) -> bool:
    """Tell whether an idle connection has something to read: the service closed it."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
