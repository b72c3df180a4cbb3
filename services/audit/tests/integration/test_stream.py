"""The live tail served by uvicorn (AUD-4): new entries as `/audit/entries` answers them, filtered, resumable
with Last-Event-ID without a gap or a repeat across reconnects and restarts, admins only (by token, or from a
browser by a single-use ticket), and 200 tails on one process without a thread or a database connection each."""
from __future__ import annotations

import threading
import time
from datetime import timedelta
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests
import sqlalchemy as sa

from crm_audit.asgi import STREAM_PATH, AuditServer, create_asgi
from crm_audit.context import AuditContext
from crm_audit.consumer import handle_events
from crm_shared import metrics
from crm_shared.envelope import CloudEvent
from crm_shared.service_app import context_of
from crm_shared.stream_auth import TICKET_REFUSED
from crm_shared.stream_tickets import issue_ticket
from crm_shared.testing.fixtures import wait_until
from crm_shared.testing.sse import Stream, serving
from crm_shared.types import utcnow
from crm_shared.unit_of_work import Transaction
from crm_shared.visibility import Seer

from ..conftest import Tokens, audit_settings


class Served:
    def __init__(self, server: AuditServer, url: str) -> None:
        self.server, self.url = server, url

    @property
    def context(self) -> AuditContext:
        context = context_of(self.server.app)
        assert isinstance(context, AuditContext)
        return context


@pytest.fixture
def start(audit_engine: sa.Engine, tokens: Tokens, tmp_path: Path) -> Callable[[], Any]:
    """Start an audit server (the API and the tail) on the migrated store; each call is a fresh process's app."""
    url = audit_engine.url.render_as_string(hide_password=False)

    @contextmanager
    def _start() -> Iterator[Served]:
        app = create_asgi(audit_settings(url, tmp_path), verifier=tokens.verifier(), poll_interval=0.05)
        try:
            with serving(app) as base:
                yield Served(app, base)
        finally:
            context = context_of(app.app)
            assert isinstance(context, AuditContext) and context.ticket_engine is not None
            context.engine.dispose()
            context.ticket_engine.dispose()

    return _start


def tail(served: Served, tokens: Tokens, query: str = "", last_id: str | None = None, role: str = "admin") -> Stream:
    headers = tokens.headers(role)
    if last_id is not None:
        headers["Last-Event-ID"] = last_id
    return Stream(served.url, STREAM_PATH + query, headers, event="entry")


def test_a_tail_gets_each_new_entry_within_a_second_as_the_list_answers_it(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    record([make_event()])  # stored before the tail opened: not sent
    with start() as served:
        stream = tail(served, tokens)
        assert stream.status == 200
        assert stream.response.getheader("Content-Type").startswith("text/event-stream")
        wait_until(lambda: served.server.hub.streams == 1)
        written = time.monotonic()
        event = make_event(object_name="Petr Svoboda")
        record([event])
        got = stream.received(timeout=2)
        assert time.monotonic() - written < 1
        listed = requests.get(f"{served.url}/api/v1/audit/entries?object_id={event.subject}", headers=tokens.headers(),
                              timeout=5)
        assert got.event == "entry" and got.data == listed.json()["items"][0]
        assert got.id is not None and got.id.isdigit()
        stream.close()


def test_a_filtered_tail_gets_only_the_matching_entries(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    with start() as served:
        stream = tail(served, tokens, "?object_type=deal&operation=created")
        wait_until(lambda: served.server.hub.streams == 1)
        record([make_event(object_type="person", operation="created"),
                make_event(object_type="deal", operation="updated"),
                make_event(object_type="deal", operation="created", object_name="Big deal")])
        got = stream.next(timeout=2)
        assert (got["object_type"], got["operation"], got["object_name"]) == ("deal", "created", "Big deal")
        with pytest.raises(TimeoutError):
            stream.next(timeout=0.5)
        stream.close()


def test_resuming_with_last_event_id_during_a_burst_and_across_a_restart_gives_every_entry_exactly_once(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    written: list[str] = []
    done = threading.Event()

    def burst() -> None:
        for n in range(60):
            events = [make_event(object_type="person", object_name=f"P {n}"),
                      make_event(object_type="company", object_name=f"C {n}")]
            record(events)
            written.append(events[0].id)  # the person's: the tail below reads persons only
            time.sleep(0.01)
        done.set()

    received: list[str] = []
    ids: list[str] = []

    def read(stream: Stream, count: int) -> None:
        for _ in range(count):
            got = stream.received(timeout=5)
            received.append(got.data["id"])
            ids.append(got.id)  # type: ignore[arg-type]

    with start() as served:
        stream = tail(served, tokens, "?object_type=person")
        wait_until(lambda: served.server.hub.streams == 1)
        writer = threading.Thread(target=burst)
        writer.start()
        read(stream, 10)
        stream.close()  # a reconnect mid-burst
        time.sleep(0.1)
        stream = tail(served, tokens, "?object_type=person", last_id=ids[-1])
        read(stream, 15)
        stream.close()
    # the audit service restarts while the writes go on
    with start() as served:
        stream = tail(served, tokens, "?object_type=person", last_id=ids[-1])
        done.wait(30)
        writer.join()
        read(stream, len(written) - len(received))
        with pytest.raises(TimeoutError):
            stream.received(timeout=0.5)
        stream.close()
    assert received == written  # each once, in the order stored
    assert [int(i) for i in ids] == sorted({int(i) for i in ids})


def test_a_stream_says_where_it_starts_so_that_resuming_before_any_entry_misses_none(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    record([make_event()])
    with start() as served:
        first = tail(served, tokens)
        opening = first.opening()
        assert opening["retry"] == "2000" and opening["id"].isdigit()
        first.close()
        wait_until(lambda: served.server.hub.streams == 0)
        events = [make_event(object_name=f"While away {n}") for n in range(3)]
        record(events)
        resumed = tail(served, tokens, last_id=opening["id"])
        assert [resumed.next()["id"] for _ in events] == [event.id for event in events]
        resumed.close()


def test_the_tail_is_for_admins_and_refuses_bad_filters_and_ids_as_problems(start: Any, tokens: Tokens) -> None:
    with start() as served:
        for stream, status in ((tail(served, tokens, role="user"), 403),
                               (Stream(served.url, STREAM_PATH, {}), 401),
                               (Stream(served.url, STREAM_PATH, {"Authorization": "Bearer nonsense"}), 401),
                               (tail(served, tokens, "?colour=red"), 422),
                               (tail(served, tokens, "?from=yesterday"), 422),
                               (tail(served, tokens, "?user_id=a&user_id=b"), 422),
                               (tail(served, tokens, last_id="-1"), 422),
                               (tail(served, tokens, last_id="9" * 30), 422)):
            assert stream.status == status, (stream.status, stream.body())
            assert stream.response.getheader("Content-Type") == "application/problem+json"
            assert stream.body()["status"] == status
            stream.close()
        refused = requests.post(f"{served.url}{STREAM_PATH}", headers=tokens.headers(), timeout=5)
        assert refused.status_code == 405
        assert served.server.hub.streams == 0


def test_a_ticket_opens_the_tail_once_with_the_filters_and_a_used_expired_or_forged_one_is_refused(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    with start() as served:
        issued = requests.post(f"{served.url}/api/v1/audit/stream-ticket", headers=tokens.headers(), timeout=5)
        assert issued.status_code == 201
        ticket = issued.json()
        assert ticket["stream"] == f"{STREAM_PATH}?ticket={ticket['ticket']}"
        stream = Stream(served.url, f"{ticket['stream']}&object_type=deal", event="entry")  # a browser: no header
        assert stream.status == 200
        wait_until(lambda: served.server.hub.streams == 1)
        record([make_event(object_type="person"), make_event(object_type="deal", object_name="Big deal")])
        assert stream.next(timeout=2)["object_name"] == "Big deal"
        stream.close()
        expired = issue_ticket(served.context.tickets(), Seer("u-admin", role="admin"),
                               utcnow() - timedelta(seconds=61), STREAM_PATH)
        for path in (ticket["stream"], expired["stream"], f"{STREAM_PATH}?ticket={'forged' * 8}"):
            refused = Stream(served.url, path, event="entry")
            assert (refused.status, refused.response.getheader("Content-Type")) == (401, "application/problem+json")
            assert refused.body()["detail"] == TICKET_REFUSED
            refused.close()
        assert served.server.hub.streams == 0


def test_only_an_admin_gets_a_ticket_to_the_tail(start: Any, tokens: Tokens) -> None:
    with start() as served:
        url = f"{served.url}/api/v1/audit/stream-ticket"
        assert requests.post(url, headers=tokens.headers("manager"), timeout=5).status_code == 403
        assert requests.post(url, timeout=5).status_code == 401
        assert served.context.ticket_engine is not None
        with served.context.ticket_engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM stream_tickets")).scalar() == 0


def test_two_hundred_open_tails_each_get_a_new_entry_within_a_second_without_a_thread_or_connection_each(
        start: Any, tokens: Tokens, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    with start() as served:
        threads_before = threading.active_count()
        streams = [tail(served, tokens) for _ in range(200)]
        assert {stream.status for stream in streams} == {200}
        wait_until(lambda: served.server.hub.streams == 200)
        assert threading.active_count() <= threads_before + 8  # the server's pools, not a thread per stream
        engine = context_of(served.server.app).engine
        # no tail holds a connection: at most the hub's one poll, for all 200, is reading at this instant
        assert engine.pool.checkedout() <= 1
        event = make_event(object_name="Everyone sees this")
        record([event])
        written = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            got = list(pool.map(lambda stream: (stream.next(timeout=5)["id"], time.monotonic() - written), streams))
        assert {entry_id for entry_id, _ in got} == {event.id}
        slowest = max(delay for _, delay in got)
        assert slowest < 1, slowest
        assert requests.get(f"{served.url}/healthz", timeout=5).json() == {"status": "ok", "streams": 200}
        assert metrics.OPEN_STREAMS.labels("audit")._value.get() >= 200
        for stream in streams:
            stream.close()
        wait_until(lambda: served.server.hub.streams == 0, timeout=10)


def test_a_batch_that_numbers_later_commits_later_so_a_tail_cannot_skip_an_entry(
        postgres_url: str, make_event: Callable[..., CloudEvent]) -> None:
    from crm_audit.__main__ import MIGRATIONS
    from crm_shared import db, migrations

    migrations.upgrade(postgres_url, MIGRATIONS, "audit")
    engine = db.create_engine(postgres_url)
    first, second = make_event(), make_event()
    try:
        slow = engine.connect()
        transaction = slow.begin()
        handle_events(Transaction(connection=slow), [first])  # numbered, not committed yet
        finished = threading.Event()

        def other() -> None:
            with engine.begin() as connection:
                handle_events(Transaction(connection=connection), [second])
            finished.set()

        writer = threading.Thread(target=other)
        writer.start()
        assert not finished.wait(0.5), "a later batch committed before an earlier-numbered one"
        transaction.commit()
        slow.close()
        writer.join(10)
        with engine.connect() as connection:
            seqs = dict(connection.execute(sa.text("SELECT id, seq FROM audit_entries")).all())
        assert seqs[first.id] < seqs[second.id]
    finally:
        engine.dispose()


def test_over_long_targets_and_headers_are_problems_on_the_service_s_own_port(start: Any, tokens: Tokens) -> None:
    with start() as served:
        entries = f"{served.url}/api/v1/audit/entries"
        long_target = requests.get(f"{entries}?object_id={'a' * 10_000}", headers=tokens.headers(), timeout=5)
        long_header = requests.get(entries, headers={**tokens.headers(), "X-Note": "a" * 10_000}, timeout=5)
        assert (long_target.status_code, long_header.status_code) == (414, 431)
        assert {long_target.headers["Content-Type"], long_header.headers["Content-Type"]} == {"application/problem+json"}
