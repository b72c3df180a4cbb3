"""The whole suite under test: started through crm_suite.testing.RunningSuite, paused, drained."""
from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import psycopg

from crm_suite.testing import RunningSuite

from bench.workspace import Workspace

#: the processes that carry events from the contacts, deals and tasks outboxes to their consumers (audit, and
#: each service's copy of the others' data); held during the HTTP loads so that only the HTTP paths compete
PIPELINE = ("contacts-relay", "deals-relay", "tasks-relay", "audit-consumer", "contacts-consumer",
            "deals-consumer", "tasks-consumer", "interactions-consumer", "counters-consumer")


@dataclass(frozen=True)
class Suite:
    """A running suite, an admin token from its gateway, and its databases."""

    running: RunningSuite
    token: str

    @property
    def gateway(self) -> str:
        """Return the gateway's base URL."""
        return self.running.gateway

    @property
    def contacts(self) -> str:
        """Return the contacts service's own base URL (bypassing the gateway)."""
        return self.running.url("contacts")

    @property
    def deals(self) -> str:
        """Return the deals service's own base URL (bypassing the gateway)."""
        return self.running.url("deals")

    @property
    def tasks(self) -> str:
        """Return the tasks service's own base URL (bypassing the gateway)."""
        return self.running.url("tasks")

    def dsn(self, service: str) -> str:
        """Return the libpq connection string of one service's database."""
        template = self.running.env["CRM_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        return template.replace("{service}", service)


def start_suite(workspace: Workspace) -> Suite:
    """Start the distributed suite on free ports, its own databases and vhost; stop it on close."""
    data_dir = workspace.temp_dir("suite")
    running = RunningSuite(data_dir, distributed=True)
    workspace.callback(_stop, running, workspace)
    running.start()
    return Suite(running, running.client().token)


def _stop(running: RunningSuite, workspace: Workspace) -> None:
    try:
        running.stop()
    finally:
        if running.log_path.exists():
            (workspace.results_dir / "suite.log").write_bytes(running.log_path.read_bytes())


@contextmanager
def paused(suite: Suite, names: tuple[str, ...] = PIPELINE) -> Iterator[None]:
    """Hold processes of the suite with SIGSTOP (off the CPU), and let them go on afterwards."""
    pids = [suite.running.pid(name) for name in names]
    try:
        for pid in pids:
            _signal(pid, signal.SIGSTOP)
        yield
    finally:
        for pid in pids:
            _signal(pid, signal.SIGCONT)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass  # the supervisor restarts what died; nothing left to pause or resume


def wait_caught_up(suite: Suite, timeout: float = 90.0) -> tuple[int, float]:
    """Wait until every consumer has the events of the contacts, deals and tasks outboxes; return (events, seconds).

    Caught up means: an audit entry per event of each outbox, a tracking row of the deals and of the tasks
    consumer per person or company event, one of the contacts consumer per deal and task event, and one of the
    counters consumer per person, company, deal and task event.
    """
    started = time.monotonic()
    with psycopg.connect(suite.dsn("contacts"), autocommit=True) as contacts, \
            psycopg.connect(suite.dsn("deals"), autocommit=True) as deals, \
            psycopg.connect(suite.dsn("tasks"), autocommit=True) as tasks, \
            psycopg.connect(suite.dsn("audit"), autocommit=True) as audit, \
            psycopg.connect(suite.dsn("counters"), autocommit=True) as counters:
        while True:
            contact_events = _count(contacts, "SELECT count(*) FROM outbox")
            deal_events = _count(deals, "SELECT count(*) FROM outbox")
            task_events = _count(tasks, "SELECT count(*) FROM outbox")
            contact_changes = _count(contacts, "SELECT count(*) FROM outbox WHERE routing_key LIKE 'crm.person.%' "
                                               "OR routing_key LIKE 'crm.company.%'")
            wanted = (  # (who, how many it has, how many it should have)
                ("audit log (contacts)", _count(
                    audit, "SELECT count(*) FROM audit_entries WHERE source = '/crm/contacts'"), contact_events),
                ("audit log (deals)", _count(
                    audit, "SELECT count(*) FROM audit_entries WHERE source = '/crm/deals'"), deal_events),
                ("audit log (tasks)", _count(
                    audit, "SELECT count(*) FROM audit_entries WHERE source = '/crm/tasks'"), task_events),
                ("deals consumer", _count(deals, "SELECT count(*) FROM inbox WHERE consumer = 'deals'"),
                 contact_changes),
                ("tasks consumer", _count(tasks, "SELECT count(*) FROM inbox WHERE consumer = 'tasks'"),
                 contact_changes),
                ("contacts consumer", _count(contacts, "SELECT count(*) FROM inbox WHERE consumer = 'contacts'"),
                 _count(deals, "SELECT count(*) FROM outbox WHERE routing_key LIKE 'crm.deal.%'")
                 + _count(tasks, "SELECT count(*) FROM outbox WHERE routing_key LIKE 'crm.task.%'")),
                ("counters consumer", _count(counters, "SELECT count(*) FROM inbox WHERE consumer = 'counters'"),
                 contact_changes + _count(deals, "SELECT count(*) FROM outbox WHERE routing_key LIKE 'crm.deal.%'")
                 + _count(tasks, "SELECT count(*) FROM outbox WHERE routing_key LIKE 'crm.task.%'")),
            )
            behind = [who for who, have, expected in wanted if have < expected]
            if not behind:
                return contact_events + deal_events + task_events, time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"{', '.join(behind)} did not catch up with {contact_events} contacts, "
                                   f"{deal_events} deals and {task_events} tasks events within {timeout:g}s")
            time.sleep(0.1)


def _count(connection: psycopg.Connection, query: str) -> int:
    row = connection.execute(query).fetchone()
    return int(row[0]) if row else 0
