"""Routing /api/v1 calls to the owning service, against a small local upstream."""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

PROBLEM = "application/problem+json"
BIG = bytes(range(256)) * 16 * 1024  # 4 MiB


@dataclass
class Upstream:
    """A threaded WSGI server that records what reaches it and answers by path."""

    url: str = ""
    seen: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        self.seen.append({"method": request.method, "target": environ["RAW_URI"],
                          "headers": dict(request.headers), "body": request.get_data()})
        return self.answer(request)(environ, start_response)

    def answer(self, request: Request) -> Response:
        path = request.path
        if path.endswith("/slow"):
            time.sleep(3)
        if path.endswith("/big"):
            return Response(iter([BIG[i:i + 100_000] for i in range(0, len(BIG), 100_000)]),
                            mimetype="application/octet-stream")
        if path.endswith("/trickle") or path == "/api/v1/audit/stream":
            return Response(self.trickle(), mimetype="text/event-stream")
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        body = {"echo": request.get_data(as_text=True), "request_id": request.headers.get("X-Request-ID")}
        response = Response(json.dumps(body), status=201, mimetype="application/json")
        response.headers.update({"ETag": '"v1"', "X-Custom": "kept", "Connection": "X-Private",
                                 "X-Private": "dropped", "Keep-Alive": "timeout=5"})
        response.headers.add("Set-Cookie", "a=1")
        response.headers.add("Set-Cookie", "b=2")
        return response

    def trickle(self) -> Iterator[bytes]:
        yield b"data: first\n\n"
        self.release.wait(timeout=10)
        yield b"data: second\n\n"


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    recorder = Upstream()
    server = make_server("127.0.0.1", 0, recorder, threaded=True)
    recorder.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield recorder
    recorder.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port held bound but not listening: connecting is refused and nobody else can take it."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


@pytest.fixture
def hanging_up_server() -> Iterator[str]:
    """A server that accepts connections and closes them without a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


@pytest.fixture
def gateway(
    make_app: Callable[..., Flask], upstream: Upstream, hanging_up_server: str, refusing_port: int
) -> FlaskClient:
    app = make_app(CRM_CONTACTS_URL=upstream.url, CRM_AUDIT_URL=upstream.url, CRM_TASKS_URL=upstream.url,
                   CRM_DEALS_URL=f"http://127.0.0.1:{refusing_port}", CRM_COUNTERS_URL=hanging_up_server,
                   CRM_UPSTREAM_TIMEOUT="0.5")
    return app.test_client()


@pytest.fixture
def auth(gateway: FlaskClient) -> dict[str, str]:
    token = gateway.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-secret-1"})
    return {"Authorization": f"Bearer {token.get_json()['access_token']}"}


def test_the_call_reaches_the_owner_with_method_path_query_body_and_headers(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    headers = {**auth, "If-Match": '"v3"', "X-Request-ID": "req-42", "X-Forwarded-For": "10.0.0.9",
               "Accept": "application/json", "Cookie": "secret=1",
               "X-CRM-Restores-Entry": "6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10"}
    gateway.patch("/api/v1/persons/p-1?q=a%20b&tag=x&tag=y", data='{"first_name": "Jana"}',
                  content_type="application/json", headers=headers)
    (seen,) = upstream.seen
    assert seen["method"] == "PATCH" and seen["target"] == "/api/v1/persons/p-1?q=a%20b&tag=x&tag=y"
    assert seen["body"] == b'{"first_name": "Jana"}'
    sent = seen["headers"]
    assert sent["Authorization"] == auth["Authorization"] and sent["If-Match"] == '"v3"'
    assert sent["Content-Type"] == "application/json" and sent["Accept"] == "application/json"
    assert sent["X-Request-Id"] == "req-42" and sent["X-Forwarded-For"] == "10.0.0.9, 127.0.0.1"
    assert "Cookie" not in sent
    assert "x-crm-restores-entry" not in {name.lower() for name in sent}  # only the audit service, calling the owner directly, sets it


def test_bytes_beyond_ascii_in_the_target_are_percent_encoded(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    raw = "/api/v1/persons?q=Nováková&tag=a%20b".encode().decode("latin-1")
    gateway.get("/api/v1/persons", headers=auth, environ_overrides={"RAW_URI": raw, "REQUEST_URI": raw})
    assert upstream.seen[0]["target"] == "/api/v1/persons?q=Nov%C3%A1kov%C3%A1&tag=a%20b"


def test_the_owners_answer_comes_back_with_status_headers_and_body(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    response = gateway.post("/api/v1/companies", json={"name": "ACME"}, headers={**auth, "X-Request-ID": "r-7"})
    assert response.status_code == 201 and response.mimetype == "application/json"
    assert response.get_json() == {"echo": '{"name": "ACME"}', "request_id": "r-7"}
    assert response.headers["ETag"] == '"v1"' and response.headers["X-Custom"] == "kept"
    assert response.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert response.headers["X-Request-ID"] == "r-7"
    for hop_by_hop in ("Connection", "Keep-Alive", "X-Private", "Transfer-Encoding"):
        assert hop_by_hop not in response.headers


def test_a_call_without_a_request_id_gets_one_passed_upstream_and_back(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    response = gateway.get("/api/v1/audit/entries", headers=auth)
    generated = upstream.seen[0]["headers"]["X-Request-Id"]
    assert len(generated) == 36 and response.headers["X-Request-ID"] == generated


def test_a_conditional_read_answers_304_without_a_body(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    response = gateway.get("/api/v1/persons/p-1", headers={**auth, "If-None-Match": '"v1"'})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == '"v1"' and upstream.seen[0]["headers"]["If-None-Match"] == '"v1"'


def test_a_large_body_arrives_whole(gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]) -> None:
    response = gateway.get("/api/v1/audit/entries/big", headers=auth)
    assert response.status_code == 200 and response.data == BIG


def test_a_large_upload_arrives_whole(gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]) -> None:
    gateway.post("/api/v1/persons/p-1/attachments", data=BIG, content_type="application/octet-stream",
                 headers=auth)
    assert upstream.seen[0]["body"] == BIG


def test_the_body_flows_to_the_client_before_the_owner_has_finished(
    gateway: FlaskClient, upstream: Upstream, auth: dict[str, str]
) -> None:
    response = gateway.get("/api/v1/audit/trickle", headers=auth, buffered=False)
    chunks = iter(response.response)
    assert next(chunks) == b"data: first\n\n"
    upstream.release.set()
    assert b"".join(chunks) == b"data: second\n\n"
    response.close()


def test_a_missing_or_bad_token_is_refused_before_the_owner_is_called(
    gateway: FlaskClient, upstream: Upstream
) -> None:
    for headers in ({}, {"Authorization": "Bearer forged.token.here"}):
        response = gateway.get("/api/v1/persons", headers=headers)
        assert response.status_code == 401 and response.mimetype == PROBLEM
    assert upstream.seen == []


def test_a_public_stream_is_passed_on_without_a_token_but_its_ticket_path_is_refused_first(
    gateway: FlaskClient, upstream: Upstream
) -> None:
    for method, path in (("POST", "/api/v1/audit/stream-ticket"), ("GET", "/api/v1/audit/stream-tickets"),
                         ("GET", "/api/v1/task-feeds")):
        response = gateway.open(path, method=method)
        assert response.status_code == 401 and response.mimetype == PROBLEM, path
    assert upstream.seen == []
    assert gateway.get("/api/v1/task-feed/secret.ics").status_code == 201  # the owner answers it
    assert [call["target"] for call in upstream.seen] == ["/api/v1/task-feed/secret.ics"]


def test_a_path_no_service_owns_is_a_404_problem(gateway: FlaskClient, auth: dict[str, str]) -> None:
    response = gateway.get("/api/v1/nothing-here/1", headers=auth)
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_a_service_nobody_listens_on_is_a_503_problem(gateway: FlaskClient, auth: dict[str, str]) -> None:
    response = gateway.get("/api/v1/deals", headers=auth)
    assert response.status_code == 503 and response.mimetype == PROBLEM
    assert "deals" in response.get_json()["detail"]


def test_a_service_that_hangs_up_is_a_502_problem(gateway: FlaskClient, auth: dict[str, str]) -> None:
    response = gateway.get("/api/v1/counters/me", headers=auth)
    assert response.status_code == 502 and response.mimetype == PROBLEM


def test_a_service_slower_than_the_timeout_is_a_504_problem(gateway: FlaskClient, auth: dict[str, str]) -> None:
    started = time.monotonic()
    response = gateway.get("/api/v1/tasks/slow", headers=auth)
    assert response.status_code == 504 and response.mimetype == PROBLEM
    assert time.monotonic() - started < 2.5


def test_streams_hold_at_most_their_share_of_the_threads_and_every_other_call_still_gets_one(
    make_app: Callable[..., Flask], upstream: Upstream
) -> None:
    gateway = make_app(CRM_AUDIT_URL=upstream.url, CRM_CONTACTS_URL=upstream.url, CRM_WEB_THREADS="4").test_client()
    token = gateway.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-secret-1"})
    auth = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
    opened = [gateway.get("/api/v1/audit/stream?ticket=t", buffered=False) for _ in range(2)]
    assert [next(iter(stream.response)) for stream in opened] == [b"data: first\n\n"] * 2  # half of 4 threads

    refused = gateway.get("/api/v1/audit/stream?ticket=t")
    assert (refused.status_code, refused.mimetype, refused.headers["Retry-After"]) == (503, PROBLEM, "5")
    assert "open streams" in refused.get_json()["detail"]
    assert gateway.get("/api/v1/persons", headers=auth).status_code == 201, "other calls still pass"
    assert gateway.get("/api/v1/audit/trickle", headers=auth, buffered=False).status_code == 200, \
        "only the declared streams count"

    opened.pop().close()  # a stream that ends gives its thread back
    again = gateway.get("/api/v1/audit/stream?ticket=t", buffered=False)
    assert again.status_code == 200
    again.close()
    opened[0].close()


def test_a_stream_refused_by_its_service_or_unreachable_gives_its_slot_back(
    make_app: Callable[..., Flask], refusing_port: int
) -> None:
    gateway = make_app(CRM_AUDIT_URL=f"http://127.0.0.1:{refusing_port}", CRM_WEB_THREADS="2").test_client()
    for _ in range(3):  # one slot: each failure must free it for the next
        assert gateway.get("/api/v1/audit/stream?ticket=t").status_code == 503
    assert gateway.get("/api/v1/audit/stream?ticket=t").get_json()["detail"] == "The service audit is unavailable."


def test_how_many_streams_a_gateway_worker_may_hold() -> None:
    from crm_gateway.stream_slots import stream_limit

    assert [stream_limit(threads, None) for threads in (1, 2, 16)] == [0, 1, 8]
    assert stream_limit(16, "12") == 12 and stream_limit(16, "0") == 0
    for wrong in ("16", "-1"):
        with pytest.raises(ValueError, match="CRM_GATEWAY_MAX_STREAMS"):
            stream_limit(16, wrong)
