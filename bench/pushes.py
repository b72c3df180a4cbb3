"""Line 6: how long a change takes to reach a user's open stream with 1,000 streams open and 100 changes/s.

Both servers run in processes of their own (`bench.push_server`) on the same PostgreSQL; the bench holds
1,000 streams open on each (one asyncio loop, one socket per stream), then commits changes of random
users at a steady rate and times each from the commit's return to its arrival on that user's stream.

- counters: each change is a `crm.task.created` event (an overdue task of that user) handled exactly as
  the consumer handles it (`handle_events` in one transaction), so the n-th change of a user is the push
  that says `planned: n`;
- bare: each change raises the user's version in one upsert, so the n-th change is `version: n`.
"""
from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

import psycopg
import sqlalchemy as sa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crm_shared import db
from crm_shared.envelope import Actor, wrap
from crm_shared.events import ObjectChanged
from crm_shared.testing.tokens import TokenIssuer
from crm_shared.types import utcnow
from crm_suite.testing import free_port

from bench.pacing import Pacing, open_loop
from bench.stats import Latencies
from bench.workspace import Workspace, python_module

STREAMS, RATE, SECONDS = 1000, 100.0, 10.0


@dataclass(frozen=True)
class PushResult:
    """The latencies of the changes that arrived, those that did not, and how the pace was kept."""

    streams: int
    latency: Latencies
    missing: int
    pacing: Pacing
    connect_seconds: float


@dataclass(frozen=True)
class PushResults:
    counters: PushResult
    bare: PushResult


def measure_pushes(workspace: Workspace, *, streams: int = STREAMS, rate: float = RATE,
                   seconds: float = SECONDS) -> PushResults:
    """Measure the counters' pushes, then the bare baseline's, under the same load."""
    issuer = TokenIssuer()
    key = workspace.temp_dir("push-key") / "public.pem"
    key.write_bytes(issuer.key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    users = [str(uuid.uuid4()) for _ in range(streams)]
    counters_url = workspace.database("push_counters")
    port = _serve(workspace, "counters", counters_url, str(key))
    engine = db.create_engine(counters_url, pool_size=8)
    try:
        counters = _measure(port, lambda user: f"/api/v1/counters/stream", users, rate, seconds,
                            lambda user: {"Authorization": f"Bearer {issuer.token('user', user_id=user)}"},
                            _counters_writer(engine), "planned")
    finally:
        engine.dispose()
    bare_url = workspace.database("push_bare")
    port = _serve(workspace, "bare", bare_url)
    bare = _measure(port, lambda user: f"/stream?user={user}", users, rate, seconds, lambda user: {},
                    _bare_writer(bare_url.replace("postgresql+psycopg://", "postgresql://")), "version")
    return PushResults(counters, bare)


def _serve(workspace: Workspace, kind: str, database_url: str, *extra: str) -> int:
    port = free_port()
    workspace.process(f"push-{kind}", python_module("bench.push_server", kind, database_url, str(port), *extra),
                      {**__import__("os").environ, "CRM_LOG_LEVEL": "WARNING"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with __import__("socket").create_connection(("127.0.0.1", port), timeout=1):
                return port
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the {kind} push server did not start")


def _counters_writer(engine: sa.Engine) -> Callable[[str, int], None]:
    from crm_counters.service_layer.record_events import handle_events
    from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

    def write(user: str, _number: int) -> None:
        task_id = str(uuid.uuid4())
        state = {"id": task_id, "title": "Call back", "responsible_id": user, "links": [], "done": False,
                 "due": (utcnow() - timedelta(minutes=1)).isoformat(), "start": None}
        event = wrap(ObjectChanged("task", task_id, "Call back", f"/api/v1/tasks/{task_id}", "created", 1,
                                   state=state), service="tasks", actor=Actor(user, "Bench"), correlation_id="b",
                     time=utcnow())
        with engine.begin() as connection:
            handle_events(CountersUnitOfWork(connection=connection), [event])

    return write


def _bare_writer(dsn: str) -> Callable[[str, int], None]:
    local = threading.local()

    def write(user: str, _number: int) -> None:
        if getattr(local, "connection", None) is None:
            local.connection = psycopg.connect(dsn, autocommit=True)
        local.connection.execute(
            "INSERT INTO bare_marks VALUES (%s, 1, now()) ON CONFLICT (user_id) DO UPDATE "
            "SET version = bare_marks.version + 1, changed_at = now()", (user,))

    return write


def _measure(port: int, path: Callable[[str], str], users: list[str], rate: float, seconds: float,
             headers: Callable[[str], dict[str, str]], write: Callable[[str, int], None], field: str) -> PushResult:
    clients = _Clients(port, field)
    clients.start(users, path, headers)
    rng = random.Random(6)
    chosen = [rng.choice(users) for _ in range(int(rate * seconds))]
    numbers: dict[str, int] = {}
    written: dict[tuple[str, int], float] = {}
    lock = threading.Lock()

    def change(index: int) -> None:
        user = chosen[index]
        with lock:
            number = numbers[user] = numbers.get(user, 0) + 1
        write(user, number)
        written[(user, number)] = time.monotonic()

    pacing = open_loop(change, rate=rate, seconds=seconds, workers=4)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(clients.seen(key) is None for key in written):
        time.sleep(0.1)
    clients.stop()
    seen = {key: clients.seen(key) for key in written}
    latencies = [max(arrived - written[key], 0.0) for key, arrived in seen.items() if arrived is not None]
    return PushResult(len(users), Latencies.of(latencies), len(written) - len(latencies), pacing,
                      clients.connect_seconds)


class _Clients:
    """The open streams, read by one asyncio loop in a thread of the bench; arrival time per (user, value)."""

    def __init__(self, port: int, field: str) -> None:
        self.port, self.field = port, field
        self.arrivals: dict[str, list[tuple[int, float]]] = {}
        self.connect_seconds = 0.0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="push-clients", daemon=True)
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, users: list[str], path: Callable[[str], str], headers: Callable[[str], dict[str, str]]) -> None:
        """Open a stream per user and return once each got its first event."""
        self._thread.start()
        started = time.monotonic()
        ready = asyncio.run_coroutine_threadsafe(self._open_all(users, path, headers), self._loop)
        ready.result(timeout=180)
        self.connect_seconds = time.monotonic() - started

    async def _open_all(self, users: list[str], path: Callable[[str], str],
                        headers: Callable[[str], dict[str, str]]) -> None:
        firsts = []
        for start in range(0, len(users), 50):  # in steps, as real clients arrive
            batch = []
            for user in users[start:start + 50]:
                first: asyncio.Future[None] = self._loop.create_future()
                self._tasks.append(self._loop.create_task(self._read(user, path(user), headers(user), first)))
                batch.append(first)
            await asyncio.gather(*batch)
            firsts += batch

    async def _read(self, user: str, path: str, headers: dict[str, str], first: asyncio.Future[None]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{lines}\r\n".encode())
        await writer.drain()
        try:
            while (line := await reader.readline()) not in (b"\r\n", b""):
                pass  # the status line and headers
            while line := await reader.readline():
                text = line.decode("utf-8", "replace")
                start = text.find("data: ")
                if start < 0:
                    continue
                body: dict[str, Any] = json.loads(text[start + 6:])
                if not first.done():
                    first.set_result(None)
                value = body.get(self.field)
                if isinstance(value, int):
                    self.arrivals.setdefault(user, []).append((value, time.monotonic()))
        finally:
            writer.close()

    def seen(self, key: tuple[str, int]) -> float | None:
        """Return when the user's stream first showed this change: its value or a later one (two changes
        between two looks arrive as one push of the later value)."""
        user, number = key
        return min((at for value, at in list(self.arrivals.get(user, ())) if value >= number), default=None)

    def stop(self) -> None:
        for task in self._tasks:
            self._loop.call_soon_threadsafe(task.cancel)
        time.sleep(0.2)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def main() -> None:
    """Run line 6 alone: `python -m bench.pushes` (the whole bench runs it as part of `make bench`)."""
    from bench.workspace import REPO

    with Workspace(REPO / "bench" / "results" / f"pushes-{uuid.uuid4().hex[:6]}") as workspace:
        results = measure_pushes(workspace)
    for name, result in (("counters", results.counters), ("bare", results.bare)):
        print(name, result)


if __name__ == "__main__":
    main()
