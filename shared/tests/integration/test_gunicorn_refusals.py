"""What gunicorn refuses before the app sees it is answered as problem+json, not as an HTML page."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest


APP = '''
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
'''


@pytest.fixture(scope="module", params=["ProblemThreadWorker", "ProblemSyncWorker"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder: Path = tmp_path_factory.mktemp("wsgi")
    (folder / "tiny_app.py").write_text(APP)
    port = free_port()
    process = subprocess.Popen([
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--pythonpath", str(folder),
        "--worker-class", f"crm_shared.gunicorn_workers.{request.param}",
        "--threads", "2" if request.param == "ProblemThreadWorker" else "1",
        "--limit-request-line", "200", "--limit-request-fields", "20", "tiny_app:app"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if b"ok" in _send(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"):
                break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _send(port: int, data: bytes) -> bytes:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(data)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            return answer
    except OSError:
        return b""


def _problem(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/problem+json" in head.lower(), head
    return status, json.loads(body)


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /" + b"x" * 300 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(30)) + b"\r\n", 431),
    (b"NOT A REQUEST LINE AT ALL\r\n\r\n", 400),
])
def test_a_request_gunicorn_refuses_is_a_problem(server: int, request_bytes: bytes, status: int) -> None:
    answered, body = _problem(_send(server, request_bytes))
    assert answered == body["status"] == status
    assert body["title"] and body["detail"]
