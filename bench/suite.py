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

#: the processes that carry events from the contacts outbox to the audit log
PIPELINE = ("contacts-relay", "audit-consumer")


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
    """Wait until the audit log holds an entry per contacts event; return (events, seconds waited)."""
    started = time.monotonic()
    with psycopg.connect(suite.dsn("contacts"), autocommit=True) as contacts, \
            psycopg.connect(suite.dsn("audit"), autocommit=True) as audit:
        while True:
            events = _count(contacts, "SELECT count(*) FROM outbox")
            if _count(audit, "SELECT count(*) FROM audit_entries WHERE source = '/crm/contacts'") >= events:
                return events, time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"the audit log did not catch up with {events} events within {timeout:g}s")
            time.sleep(0.1)


def _count(connection: psycopg.Connection, query: str) -> int:
    row = connection.execute(query).fetchone()
    return int(row[0]) if row else 0
