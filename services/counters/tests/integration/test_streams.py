"""The live stream served by uvicorn: counts at connect, a push within 2 s of an event or of time passing,
bearer header or single-use ticket, no thread or connection per stream (CNT-5)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
import requests

from crm_shared.cli import migrations_location
from crm_shared.config import Settings
from crm_shared.migrations import upgrade
from crm_shared.service_app import context_of
from crm_shared.testing.fixtures import wait_until
from crm_shared.types import utcnow

from crm_counters.asgi import STREAM_PATH, CountersServer, create_asgi
from crm_counters.declaration import SERVICE

from ..unit.builders import task_event
from .conftest import AS_ANN, AS_BOB, People, handle, issuer
from crm_shared.testing.sse import Stream, serving


class Served:
    def __init__(self, server: CountersServer, url: str, engine: object) -> None:
        self.server, self.url, self.engine = server, url, engine


@pytest.fixture
def served(any_database_url: str, tmp_path: Path) -> Iterator[Served]:
    settings = Settings.from_env(SERVICE.name, {"CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": any_database_url})
    upgrade(settings.database_url, migrations_location(SERVICE), SERVICE.name)
    app = create_asgi(settings, verifier=issuer.verifier(), people=People("ann", "bob"))
    engine = context_of(app.app).engine
    with serving(app) as url:
        yield Served(app, url, engine)
    engine.dispose()


def test_a_stream_gets_the_counts_at_connect_and_the_new_count_within_two_seconds_of_an_event(
        served: Served) -> None:
    stream = Stream(served.url, STREAM_PATH, AS_ANN)
    assert stream.status == 200 and stream.response.getheader("Content-Type").startswith("text/event-stream")
    assert stream.next()["planned"] == 0
    changed = time.monotonic()
    handle(served.engine, task_event("t1", responsible="ann", due=utcnow()))
    pushed = stream.next(timeout=2)
    assert pushed["planned"] == 1 and pushed["user_id"] == "ann"
    assert time.monotonic() - changed < 2
    stream.close()


def test_a_count_that_changes_as_time_passes_is_pushed_without_any_event(served: Served) -> None:
    requests.patch(f"{served.url}/api/v1/counters/settings/me", json={"window_minutes": 0}, headers=AS_ANN,
                   timeout=5).raise_for_status()
    due = utcnow() + timedelta(seconds=2)
    handle(served.engine, task_event("t1", responsible="ann", due=due))
    stream = Stream(served.url, STREAM_PATH, AS_ANN)
    assert stream.next()["planned"] == 0
    pushed = stream.next(timeout=5)
    assert pushed["planned"] == 1 and pushed["breakdown"]["planned"]["overdue"] == 1
    assert utcnow() - due < timedelta(seconds=2)
    stream.close()


def test_a_ticket_opens_one_stream_once_and_a_stream_without_credentials_is_refused(served: Served) -> None:
    ticket = requests.post(f"{served.url}/api/v1/counters/stream-ticket", headers=AS_BOB, timeout=5).json()
    stream = Stream(served.url, ticket["stream"])
    assert stream.next()["user_id"] == "bob"
    stream.close()
    again = Stream(served.url, ticket["stream"])
    assert again.status == 401 and again.body()["detail"] == "The stream ticket is unknown, used up or expired."
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        refused = Stream(served.url, STREAM_PATH, headers)
        assert refused.status == 401 and refused.response.getheader("Content-Type") == "application/problem+json"
    assert requests.post(f"{served.url}{STREAM_PATH}", headers=AS_ANN, timeout=5).status_code == 405


def test_a_hundred_open_streams_each_get_their_user_s_change_and_no_thread_is_held_per_stream(
        served: Served) -> None:
    users = [f"user-{n}" for n in range(100)]
    streams = [Stream(served.url, STREAM_PATH, issuer.headers("user", user_id=user)) for user in users]
    threads_open = threading.active_count()
    for stream in streams:
        assert stream.next()["planned"] == 0
    assert served.server.hub.streams == 100
    handle(served.engine, *(task_event(f"t-{user}", responsible=user, due=utcnow()) for user in users))
    changed = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        pushed = list(pool.map(lambda stream: stream.next(timeout=5)["planned"], streams))
    assert pushed == [1] * 100 and time.monotonic() - changed < 2
    assert threading.active_count() <= threads_open + 20  # the readers' pool, not one thread per stream
    assert requests.get(f"{served.url}/healthz", timeout=5).json() == {"status": "ok", "streams": 100}
    for stream in streams:
        stream.close()
    wait_until(lambda: requests.get(f"{served.url}/healthz", timeout=5).json()["streams"] == 0, timeout=5)


def test_over_long_targets_and_headers_are_problems_on_the_service_s_own_port(served: Served) -> None:
    long_target = requests.get(f"{served.url}/api/v1/counters/me?q={'a' * 10_000}", headers=AS_ANN, timeout=5)
    long_header = requests.get(f"{served.url}/api/v1/counters/me", headers={**AS_ANN, "X-Note": "a" * 10_000},
                               timeout=5)
    assert (long_target.status_code, long_header.status_code) == (414, 431)
    assert {long_target.headers["Content-Type"], long_header.headers["Content-Type"]} == {"application/problem+json"}
