"""Forwarding /api/v1 calls to the owning service and streaming its answer back."""
from __future__ import annotations

import logging
import socket
from contextlib import contextmanager
from http.client import HTTPConnection, HTTPException, HTTPResponse
from typing import Callable, Iterator
from urllib.parse import quote

from flask import Request, Response, g

from crm_shared import tracing
from crm_shared.web import ROUTE_LABEL
from crm_shared.problems import BadGateway, GatewayTimeout, NotFound, ServiceUnavailable

from crm_gateway.routes import API_PREFIX, STREAM_PATHS, RouteTable
from crm_gateway.stream_slots import StreamSlots, stream_limit
from crm_gateway.upstream import Body, Upstream

log = logging.getLogger(__name__)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
FORWARDED_REQUEST_HEADERS = (
    "Authorization", "Content-Type", "Accept", "Accept-Language",
    "If-Match", "If-None-Match", "Last-Event-ID",
)
_FORWARDED_KEYS = tuple(
    (name, "CONTENT_TYPE" if name == "Content-Type" else "HTTP_" + name.upper().replace("-", "_"))
    for name in FORWARDED_REQUEST_HEADERS
)
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})
#: The gateway's own server writes these; copying the upstream's would duplicate them.
SERVER_WRITTEN = frozenset({"server", "date"})
CHUNK_SIZE = 64 * 1024
#: Characters of a request target kept as they are when the rest is percent-encoded.
_URI_SAFE = "/?&=%:@!$'()*+,;~[]"


class Proxy:
    """Send a request on to the service owning its path; map transport failures to problems."""

    def __init__(
        self, routes: RouteTable, *, pool_size: int, connect_timeout: float, read_timeout: float,
        max_streams: int | None = None, stream_paths: frozenset[str] = STREAM_PATHS,
    ) -> None:
        self.routes = routes
        #: the declared streams (server-sent events) hold a thread each: at most this many at once
        self.stream_slots = StreamSlots(stream_limit(pool_size, None) if max_streams is None else max_streams)
        self.stream_paths = stream_paths
        self.upstreams = {
            name: Upstream(name, url, pool_size=pool_size, connect_timeout=connect_timeout,
                           read_timeout=read_timeout)
            for name, url in routes.base_urls.items()
        }

    def forward(self, request: Request, request_id: str) -> Response:
        """Forward `request` and return the upstream's answer, its body streamed."""
        service = self.routes.resolve(request.path)
        if service is None:
            raise NotFound(f"No service serves {request.path}.")
        upstream = self.upstreams[service[0]]
        # counted by owned first segment (bounded by the route table), never by the raw path
        segment, _, rest = request.path[len(API_PREFIX):].partition("/")
        g.setdefault(ROUTE_LABEL, f"{API_PREFIX}{segment}" + ("/<path>" if rest else ""))
        body, headers = _outgoing(request, request_id)
        ended = self._stream_slot(request)
        try:
            if not tracing.enabled():
                return self._send(upstream, request, request_id, body, headers, ended)
            with tracing.tracer().start_as_current_span(
                f"{request.method} {upstream.name}", kind=tracing.SpanKind.CLIENT,
                attributes={"http.request.method": request.method, "server.address": upstream.name},
            ) as span:
                tracing.inject(headers)
                response = self._send(upstream, request, request_id, body, headers, ended)
                span.set_attribute("http.response.status_code", response.status_code)
                return response
        except BaseException:
            ended()
            raise

    def _stream_slot(self, request: Request) -> Callable[[], None]:
        """Take a slot if the request opens a declared stream (503 when none is free); return what frees it."""
        if request.path not in self.stream_paths:
            return _nothing
        give_back = self.stream_slots.take()
        if give_back is None:
            log.warning("refused a stream: the gateway holds as many as it may",
                        extra={"path": request.path, "streams": self.stream_slots.open})
            raise ServiceUnavailable(
                "The gateway holds as many open streams as it may; retry shortly (or open the stream on its service).",
                headers={"Retry-After": "5"})
        return give_back

    @staticmethod
    def _send(upstream: Upstream, request: Request, request_id: str, body: Body, headers: dict[str, str],
              ended: Callable[[], None]) -> Response:
        with _transport_problems(upstream.name, request_id):
            target = upstream.prefix + _target(request)
            connection, answer = upstream.send(request.method, target, body, headers)
            return _response(upstream, connection, answer, ended)


def _nothing() -> None:
    return None


class UpstreamBody:
    """An upstream answer's body, passed on as it arrives; closing it frees the connection."""

    def __init__(self, upstream: Upstream, connection: HTTPConnection, answer: HTTPResponse,
                 ended: Callable[[], None] = _nothing) -> None:
        self._upstream = upstream
        self._connection = connection
        self._answer = answer
        self._ended = ended

    def __iter__(self) -> Iterator[bytes]:
        # read1 returns what has arrived instead of waiting for a full chunk, so slow
        # streams (server-sent events) flow through; big exports never sit in memory.
        while chunk := self._answer.read1(CHUNK_SIZE):
            yield chunk

    def close(self) -> None:
        """Keep the connection if the body was read to its end, close it otherwise (and free its stream slot)."""
        try:
            self._upstream.release(self._connection, self._answer)
        finally:
            self._ended()


@contextmanager
def _transport_problems(service: str, request_id: str) -> Iterator[None]:
    """Turn failures to reach or hear from a service into 502, 503 and 504 problems."""
    context = {"upstream": service, "request_id": request_id}
    try:
        yield
    except ConnectionRefusedError:
        log.warning("upstream refused the connection", extra=context)
        raise ServiceUnavailable(f"The service {service} is unavailable.") from None
    except socket.timeout:
        log.warning("upstream timed out", extra=context)
        raise GatewayTimeout(f"The service {service} did not answer in time.") from None
    except (OSError, HTTPException) as exc:
        log.warning("upstream failed: %r", exc, extra=context)
        raise BadGateway(f"The service {service} gave no valid answer.") from None


def _target(request: Request) -> str:
    """Return the path and query as the client sent them, bytes beyond ASCII percent-encoded."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if raw.startswith("/"):
        return raw if raw.isascii() else quote(raw.encode("latin-1"), safe=_URI_SAFE)
    query = request.query_string.decode("latin-1")
    return quote(request.path) + (f"?{quote(query.encode('latin-1'), safe=_URI_SAFE)}" if query else "")


def _outgoing(request: Request, request_id: str) -> tuple[Body, dict[str, str]]:
    environ = request.environ
    headers = {name: value for name, key in _FORWARDED_KEYS if (value := environ.get(key))}
    headers["X-Request-ID"] = request_id
    prior = environ.get("HTTP_X_FORWARDED_FOR")
    client = environ.get("REMOTE_ADDR") or ""
    headers["X-Forwarded-For"] = f"{prior}, {client}" if prior else client
    length = request.content_length
    if length is not None and length > CHUNK_SIZE:
        headers["Content-Length"] = str(length)
        return request.stream, headers
    body = request.get_data(cache=False) if length or "HTTP_TRANSFER_ENCODING" in environ else b""
    if body or request.method in ("POST", "PUT", "PATCH"):
        headers["Content-Length"] = str(len(body))
        return body, headers
    return None, headers


def _response(upstream: Upstream, connection: HTTPConnection, answer: HTTPResponse,
              ended: Callable[[], None] = _nothing) -> Response:
    if answer.length is not None and answer.length <= CHUNK_SIZE:
        body: object = [upstream.read_all(connection, answer)]
        ended()  # a short answer (a refusal) holds nothing once read
    else:
        body = UpstreamBody(upstream, connection, answer, ended)
    response = Response(body, status=answer.status, headers=_passed_headers(answer),
                        direct_passthrough=True)
    if answer.getheader("Content-Type") is None:
        response.headers.pop("Content-Type", None)
    return response


def _passed_headers(answer: HTTPResponse) -> list[tuple[str, str]]:
    named_in_connection = {
        token.strip().lower() for token in (answer.getheader("Connection") or "").split(",") if token.strip()
    }
    dropped = HOP_BY_HOP | SERVER_WRITTEN | named_in_connection
    return [(name, value) for name, value in answer.getheaders() if name.lower() not in dropped]
