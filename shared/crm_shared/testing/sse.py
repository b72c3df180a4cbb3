"""A small server-sent events client for stream tests: one event at a time, with a deadline."""
from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPResponse
from typing import Any, Iterator
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Received:
    """One event as it came: its name, its id and its data (parsed JSON)."""

    event: str
    id: str | None
    data: Any


class Stream:
    """An open `text/event-stream` answer, read one event at a time."""

    def __init__(self, base_url: str, path: str, headers: dict[str, str] | None = None, timeout: float = 10,
                 event: str = "counters") -> None:
        parts = urlsplit(base_url)
        self.event = event
        self.connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
        self.connection.request("GET", path, headers=headers or {})
        self.response: HTTPResponse = self.connection.getresponse()
        self.status = self.response.status

    def next(self, timeout: float = 5.0) -> Any:
        """Return the data of the next event of the stream's name; socket.timeout when none comes in time."""
        return self.received(timeout).data

    def received(self, timeout: float = 5.0) -> Received:
        """Return the next event of the stream's name with its id; socket.timeout when none comes in time
        (keep-alive comments do not count: the deadline is for the event)."""
        assert self.connection.sock is not None
        deadline = time.monotonic() + timeout
        event: dict[str, str] = {}
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout(f"no {self.event!r} event within {timeout}s")
            self.connection.sock.settimeout(left)
            line = self.response.readline().decode("utf-8")
            if line == "":
                raise EOFError("the stream ended")
            line = line.rstrip("\r\n")
            if line == "":
                if event.get("event") == self.event:
                    return Received(event["event"], event.get("id"), json.loads(event["data"]))
                event = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                event[name] = value.removeprefix(" ")

    def opening(self, timeout: float = 5.0) -> dict[str, str]:
        """Return the fields of the stream's first block (`retry`, and `id` where the stream starts)."""
        assert self.connection.sock is not None
        self.connection.sock.settimeout(timeout)
        fields: dict[str, str] = {}
        while (line := self.response.readline().decode("utf-8").rstrip("\r\n")) != "":
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        return fields

    def body(self) -> Any:
        return json.loads(self.response.read())

    def close(self) -> None:
        self.connection.close()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port in a thread, as `serve` does; yield its base URL."""
    import uvicorn

    from crm_shared.live import SERVER_OPTIONS

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **SERVER_OPTIONS))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
