"""A small server-sent events client for the stream tests: one event at a time, with a deadline."""
from __future__ import annotations

import json
from http.client import HTTPConnection, HTTPResponse
from typing import Any
from urllib.parse import urlsplit


class Stream:
    """An open `text/event-stream` answer, read one event at a time."""

    def __init__(self, base_url: str, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> None:
        parts = urlsplit(base_url)
        self.connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
        self.connection.request("GET", path, headers=headers or {})
        self.response: HTTPResponse = self.connection.getresponse()
        self.status = self.response.status

    def next(self, timeout: float = 5.0) -> dict[str, Any]:
        """Return the data of the next `counters` event; socket.timeout when none comes in time."""
        assert self.connection.sock is not None
        self.connection.sock.settimeout(timeout)
        event: dict[str, str] = {}
        while True:
            line = self.response.readline().decode("utf-8")
            if line == "":
                raise EOFError("the stream ended")
            line = line.rstrip("\r\n")
            if line == "":
                if event.get("event") == "counters":
                    return json.loads(event["data"])
                event = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                event[name] = value.removeprefix(" ")

    def body(self) -> Any:
        return json.loads(self.response.read())

    def close(self) -> None:
        self.connection.close()


