"""The counters service as one ASGI app: the live stream served by asyncio, every other path by the Flask app.

`GET /api/v1/counters/stream` is a server-sent event stream that holds neither a thread nor a
database connection while open (see `crm_counters.live.hub`); the rest of the API is the Flask app
run on a pool of threads (a2wsgi). uvicorn serves both on the service's one port.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import parse_qs

from a2wsgi import WSGIMiddleware
from flask import Flask

from crm_shared import auth
from crm_shared.config import Settings
from crm_shared.errors import Problem, Unauthorized
from crm_shared.service_app import context_of
from crm_shared.sessions import verifier_from_settings
from crm_shared.types import utcnow

from crm_counters.app import create_app
from crm_counters.live.hub import Hub, Listener
from crm_counters.service_layer.counting import live_counts, marks_of
from crm_counters.service_layer.tickets import take_ticket
from crm_counters.service_layer.unit_of_work import SERVICE

log = logging.getLogger(__name__)

STREAM_PATH = "/api/v1/counters/stream"
#: the liveness probe, answered here with the number of streams this process holds open
HEALTH_PATH = "/healthz"
#: a comment line this often keeps proxies (the gateway reads with a 30 s timeout) from closing a quiet stream,
#: and lets a proxy holding a thread per stream (the gateway) find out this soon that its client left
KEEP_ALIVE_SECONDS = 5.0
#: a stream ends after this long (a token's lifetime): the client reconnects with a valid token or a new ticket
MAX_STREAM_SECONDS = 900.0
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class CountersServer:
    """Route the stream path to the hub and everything else to the Flask app."""

    def __init__(self, app: Flask, hub: Hub, authenticate: Callable[[str | None, str | None], str],
                 executor: ThreadPoolExecutor, *, threads: int = 4, keep_alive: float = KEEP_ALIVE_SECONDS,
                 max_seconds: float = MAX_STREAM_SECONDS) -> None:
        self.app = app
        self.wsgi = WSGIMiddleware(app, workers=threads)
        self.hub = hub
        self.authenticate = authenticate
        self.executor = executor
        self.keep_alive = keep_alive
        self.max_seconds = max_seconds
        self._loop_task: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] == STREAM_PATH:
            await self._stream(scope, receive, send)
        elif scope["type"] == "http" and scope["path"] == HEALTH_PATH:
            await _json(send, 200, {"status": "ok", "streams": self.hub.streams})
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
            await _problem(send, 405, "Method Not Allowed", "The stream is read with GET.", request_id,
                           [(b"allow", b"GET")])
            return
        ticket = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket") or [None])[0]
        try:
            user_id = await asyncio.get_running_loop().run_in_executor(
                self.executor, self.authenticate, headers.get("authorization"), ticket)
            self.start()
            listener = await self.hub.listen(user_id)
        except Problem as problem:
            await _problem(send, problem.status, problem.title, problem.detail, request_id,
                           [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()])
            return
        except Exception:  # the database is away: the client retries, as EventSource does by itself
            log.warning("a stream could not be opened", exc_info=True, extra={"request_id": request_id})
            await _problem(send, 503, "Service Unavailable", "The counters cannot be read right now; retry shortly.",
                           request_id, [(b"retry-after", b"1")])
            return
        await self._serve(listener, request_id, receive, send)

    async def _serve(self, listener: Listener, request_id: str, receive: Receive, send: Send) -> None:
        gone = asyncio.get_running_loop().create_task(_disconnected(receive))
        gone.add_done_callback(lambda _task: listener.close())
        ends = time.monotonic() + self.max_seconds
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no"), (b"x-request-id", request_id.encode("latin-1"))]})
            await send({"type": "http.response.body", "body": b"retry: 2000\n\n", "more_body": True})
            number = 0
            while not listener.closed and time.monotonic() < ends:
                body = await listener.next(min(self.keep_alive, max(ends - time.monotonic(), 0.01)))
                if listener.closed:
                    break
                if body is None:
                    chunk = b": keep-alive\n\n"
                else:
                    number += 1
                    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
                    chunk = f"event: counters\nid: {number}\ndata: {data}\n\n".encode("utf-8")
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the client went away mid-write
        finally:
            gone.cancel()
            self.hub.leave(listener)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _problem(send: Send, status: int, title: str, detail: str, request_id: str,
                   extra: list[tuple[bytes, bytes]]) -> None:
    await _json(send, status, {"type": "about:blank", "title": title, "status": status, "detail": detail},
                [(b"x-request-id", request_id.encode("latin-1")), *extra], b"application/problem+json")


async def _json(send: Send, status: int, content: dict[str, Any], extra: Iterable[tuple[bytes, bytes]] = (),
                content_type: bytes = b"application/json") -> None:
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


def authenticator(verifier: auth.TokenVerifier, uow_factory: Callable[..., Any]) -> Callable[[str | None, str | None], str]:
    """Return who opens a stream: the bearer token's user, else the ticket's; Unauthorized for anyone else."""

    def authenticate(authorization: str | None, ticket: str | None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return verifier.verify(token.strip()).id
        if ticket:
            principal = take_ticket(uow_factory(), ticket, utcnow())
            if principal is not None:
                return str(principal["id"])
            raise Unauthorized("The stream ticket is unknown, used up or expired.")
        raise Unauthorized()

    return authenticate


def create_asgi(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
                people: Any = None) -> CountersServer:
    """Build the counters server: the Flask app, the hub and their pools, on one engine."""
    settings = settings or Settings.from_env(SERVICE)
    verifier = verifier or verifier_from_settings(settings)
    app = create_app(settings, verifier=verifier, people=people)
    context = context_of(app)
    threads = int(os.environ.get("CRM_WEB_THREADS") or 4)
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="counters-live")
    hub = Hub(compute=lambda user_id: live_counts(context.uow_factory(), user_id, utcnow()),
              marks_of=lambda users: marks_of(context.uow_factory(), users), executor=executor,
              clock=utcnow)
    return CountersServer(app, hub, authenticator(verifier, context.uow_factory), executor, threads=threads)


__all__ = ["CountersServer", "create_asgi"]
