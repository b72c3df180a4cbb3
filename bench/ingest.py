"""Measurement 5: the real audit consumer draining a full queue, beside a bare drain-and-ack loop."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import crm_audit
import psycopg
from kombu import Connection, Consumer, Message, Queue

from crm_shared import migrations

from bench.rates import Rate, queue_depth
from bench.workspace import Workspace, python_module, stop_process

MIGRATIONS = str(Path(crm_audit.__file__).parent / "migrations")
QUEUE = "audit"
PREFETCH = 200  # the EventConsumer's default


@dataclass(frozen=True)
class IngestResults:
    """Both drains, and what the audit consumer dead-lettered."""

    audit: Rate
    bare: Rate
    dead_letters: int


def measure_ingest(workspace: Workspace, audit_broker: str, bare_broker: str, expected: int) -> IngestResults:
    """Drain each vhost's pre-filled audit queue of `expected` events."""
    audit, dead = audit_rate(workspace, audit_broker, expected)
    return IngestResults(audit, bare_drain_rate(bare_broker, expected), dead)


def audit_rate(workspace: Workspace, broker_url: str, expected: int, timeout: float = 90.0) -> tuple[Rate, int]:
    """Run `python -m crm_audit consume` and time it from its first stored entry to its last."""
    database_url = workspace.database("audit")
    migrations.upgrade(database_url, MIGRATIONS, "audit")
    _await_depth(broker_url, expected)
    env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_BROKER_URL": broker_url,
           "CRM_DATA_DIR": str(workspace.temp_dir("audit"))}
    process = workspace.process("audit-consume", python_module("crm_audit", "consume"), env)
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    first: tuple[float, int] | None = None
    with psycopg.connect(dsn, autocommit=True) as connection:
        deadline = time.monotonic() + timeout
        while True:
            polled_at = time.monotonic()
            stored = int(connection.execute("SELECT count(*) FROM audit_entries").fetchone()[0])  # type: ignore[index]
            if stored and first is None:
                first = (polled_at, stored)
            if stored >= expected or polled_at > deadline or process.poll() is not None:
                break
            time.sleep(0.05)
    stop_process(process)
    if first is None:
        raise RuntimeError(f"the audit consumer stored nothing (see {workspace.results_dir}/audit-consume.log)")
    return Rate(stored - first[1], polled_at - first[0]), queue_depth(broker_url, f"{QUEUE}.dead")


def bare_drain_rate(broker_url: str, expected: int, timeout: float = 60.0) -> Rate:
    """Consume and ack each message with no database, timed from the first message to the last."""
    _await_depth(broker_url, expected)
    times: list[float] = []

    def on_message(message: Message) -> None:
        message.ack()
        times.append(time.monotonic())

    with Connection(broker_url) as connection:
        queue = Queue(QUEUE, no_declare=True)
        with Consumer(connection.channel(), queues=[queue], on_message=on_message, prefetch_count=PREFETCH):
            deadline = time.monotonic() + timeout
            while len(times) < expected and time.monotonic() < deadline:
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    pass
    return Rate(len(times) - 1, times[-1] - times[0]) if len(times) > 1 else Rate(0, 0.0)


def _await_depth(broker_url: str, expected: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (depth := queue_depth(broker_url, QUEUE)) < expected:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the queue holds {depth} messages, not the {expected} expected")
        time.sleep(0.1)
