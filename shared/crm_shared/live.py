"""Live streams (server-sent events) beside a Flask app, in one ASGI app on one port.

A service with a live stream serves it with asyncio and everything else with its Flask app on
a pool of threads (a2wsgi); uvicorn serves both. An open stream holds neither a thread nor a
database connection: its service keeps one *hub* per process whose single loop reads the store
for every stream at once and hands each stream (a *feed*) what it must send. This module is the
part every such service shares: routing, opening a stream (authentication and parsing run on
the executor, refusals are problem+json), keep-alives, the stream's lifetime, the health path
that counts the streams, and the lifespan that runs the hub's loop.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable, Mapping, Protocol
from urllib.parse import parse_qs

from a2wsgi import WSGIMiddleware

from crm_shared import hostile_input, logs, metrics
from crm_shared.errors import Problem
from crm_shared.sse import Event

log = logging.getLogger(__name__)

#: the liveness probe, answered here with the number of streams this process holds open
HEALTH_PATH = "/healthz"
#: a comment line this often keeps proxies (the gateway reads with a 30 s timeout) from closing a quiet stream,
#: and lets a proxy holding a thread per stream (the gateway) find out this soon that its client left
KEEP_ALIVE_SECONDS = 5.0
#: the setting that overrides it (seconds, more than 0 and at most 25: below the gateway's read timeout)
KEEP_ALIVE_ENV = "CRM_STREAM_KEEP_ALIVE_SECONDS"
#: a stream ends after this long (a token's lifetime): the client reconnects with a valid token or a new ticket
MAX_STREAM_SECONDS = 900.0
#: what EventSource waits before it reconnects, announced at the start of every stream
RETRY_MILLISECONDS = 2000

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Feed(Protocol):
    """One open stream as its hub feeds it (one that has a `start_id` announces it as the stream opens)."""

    @property
    def closed(self) -> bool: ...

    def close(self) -> None: ...

    async def events(self, timeout: float) -> list[Event] | None:
        """Return the next events to send, or None after `timeout` seconds without any (time for a keep-alive)."""


class Hub(Protocol):
    """The streams of one process and the loop that feeds them."""

    @property
    def streams(self) -> int: ...

    async def run(self) -> None: ...

    def leave(self, feed: Any) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class StreamRequest:
    """What a stream is opened with: lower-cased headers, the query's values, the request id."""

    headers: dict[str, str]
    query: dict[str, list[str]]
    request_id: str

    def bearer(self) -> str | None:
        """Return the bearer token of the Authorization header, if any."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def ticket(self) -> str | None:
        """Return the `ticket` parameter, a browser's way in (`crm_shared.stream_tickets`), if any."""
        return (self.query.get("ticket") or [None])[0]


#: open a stream for a request: return its feed, or raise a Problem (answered as problem+json)
Opener = Callable[[StreamRequest], Awaitable[Feed]]


#: how uvicorn serves a service with live streams (the tests serve them the same way)
SERVER_OPTIONS: dict[str, Any] = {
    "lifespan": "on", "log_config": None, "log_level": "warning", "access_log": False, "server_header": False,
    # like gunicorn's in cli.serve: the gateway keeps connections alive for reuse, and a stop waits briefly
    "timeout_keep_alive": 30, "timeout_graceful_shutdown": 3,
    # above the suite's own limits, so that the app answers over-long targets (414) and headers (431)
    # as problems rather than the server in its own format
    "h11_max_incomplete_event_size": 8 * hostile_input.MAX_HEADER_LENGTH,
}


def serve(service: str, factory: str, port: int) -> None:
    """Serve a service's ASGI app (`module:create_asgi`) on its port with uvicorn, in this process."""
    import uvicorn

    logs.configure(service)
    os.environ["CRM_JSON_LOGS"] = service
    uvicorn.run(factory, factory=True, host=os.environ.get("CRM_BIND_HOST", "127.0.0.1"), port=port,
                **SERVER_OPTIONS)


def keep_alive_seconds(environ: Mapping[str, str] = os.environ) -> float:
    """Return how often a quiet stream gets a keep-alive: CRM_STREAM_KEEP_ALIVE_SECONDS or KEEP_ALIVE_SECONDS.

    A shorter one lets the gateway let go of a stream whose client left sooner, for one more write each time.
    """
    text = environ.get(KEEP_ALIVE_ENV, "").strip()
    if not text:
        return KEEP_ALIVE_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 25:
        raise ValueError(f"{KEEP_ALIVE_ENV} must be a number of seconds above 0 and at most 25, not {text!r}")
    return seconds


class LiveServer:
    """Route the stream path to the hub and everything else (but the health path) to the Flask app."""

    def __init__(self, app: Any, hub: Hub, stream_path: str, open_stream: Opener, *, threads: int = 4,
                 keep_alive: float | None = None, max_seconds: float = MAX_STREAM_SECONDS,
                 unavailable: str = "The stream cannot be opened right now; retry shortly.",
                 service: str | None = None) -> None:
        self.app = app
        self.service = service
        self.wsgi = WSGIMiddleware(app, workers=threads)
        self.hub = hub
        self.stream_path = stream_path
        self.open_stream = open_stream
        self.keep_alive = keep_alive_seconds() if keep_alive is None else keep_alive
        self.max_seconds = max_seconds
        self.unavailable = unavailable
        self._loop_task: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] == self.stream_path:
            await self._stream(scope, receive, send)
        elif scope["type"] == "http" and scope["path"] == HEALTH_PATH:
            await json_answer(send, 200, {"status": "ok", "streams": self.hub.streams})
        else:
            await self.wsgi(scope, receive, send)

    def start(self) -> None:
        """Start the hub's loop (once)."""
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self.hub.run())

    async def stop(self) -> None:
        """End the streams and the hub's loop."""
        self.hub.close()
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        if scope["method"] != "GET":
            await problem_answer(send, 405, "Method Not Allowed", "The stream is read with GET.", request_id,
                                 [(b"allow", b"GET")])
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        try:
            self.start()
            feed = await self.open_stream(StreamRequest(headers, query, request_id))
        except Problem as problem:
            await problem_answer(send, problem.status, problem.title, problem.detail, request_id,
                                 [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()],
                                 problem.extra)
            return
        except Exception:  # the database is away: the client retries, as EventSource does by itself
            log.warning("a stream could not be opened", exc_info=True, extra={"request_id": request_id})
            await problem_answer(send, 503, "Service Unavailable", self.unavailable, request_id,
                                 [(b"retry-after", b"1")])
            return
        if self.service is None:
            await self._serve(feed, request_id, receive, send)
            return
        with metrics.OPEN_STREAMS.labels(self.service).track_inprogress():
            await self._serve(feed, request_id, receive, send)

    async def _serve(self, feed: Feed, request_id: str, receive: Receive, send: Send) -> None:
        gone = asyncio.get_running_loop().create_task(_disconnected(receive))
        gone.add_done_callback(lambda _task: feed.close())
        ends = time.monotonic() + self.max_seconds
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no"), (b"x-request-id", request_id.encode("latin-1"))]})
            # a feed that knows where it starts says so with an id alone: EventSource (and any client
            # that keeps the last id it saw) then resumes from there even before the first event
            start_id = getattr(feed, "start_id", None)
            opening = f"retry: {RETRY_MILLISECONDS}\n" + (f"id: {start_id}\n" if start_id is not None else "")
            await send({"type": "http.response.body", "body": f"{opening}\n".encode(), "more_body": True})
            while not feed.closed and time.monotonic() < ends:
                events = await feed.events(min(self.keep_alive, max(ends - time.monotonic(), 0.01)))
                if feed.closed and not events:
                    break
                chunk = b"".join(event.encode() for event in events) if events else b": keep-alive\n\n"
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the client went away mid-write
        except Exception:  # the store failed mid-stream: end it; the client resumes where it was
            log.warning("a stream ended on an error", exc_info=True, extra={"request_id": request_id})
        finally:
            gone.cancel()
            self.hub.leave(feed)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def problem_answer(send: Send, status: int, title: str, detail: str, request_id: str,
                         extra: list[tuple[bytes, bytes]], extensions: dict[str, Any] | None = None) -> None:
    """Answer a problem+json before any stream starts."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **(extensions or {})}
    await json_answer(send, status, body, [(b"x-request-id", request_id.encode("latin-1")), *extra],
                      b"application/problem+json")


async def json_answer(send: Send, status: int, content: dict[str, Any], extra: Iterable[tuple[bytes, bytes]] = (),
                      content_type: bytes = b"application/json") -> None:
    """Answer a small JSON document."""
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


async def on(executor: Executor, function: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking call (a query, a token check) on the executor and await it."""
    return await asyncio.get_running_loop().run_in_executor(executor, function, *args)


__all__ = ["SERVER_OPTIONS", "serve", "Event", "Feed", "Hub", "LiveServer", "StreamRequest", "HEALTH_PATH", "KEEP_ALIVE_SECONDS",
           "KEEP_ALIVE_ENV", "keep_alive_seconds", "MAX_STREAM_SECONDS", "json_answer", "problem_answer", "on"]
