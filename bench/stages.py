"""Where the write→audit lag goes, from the timestamps the pipeline itself records."""
from __future__ import annotations

from dataclasses import dataclass

import psycopg

from bench.stats import Latencies


@dataclass(frozen=True)
class Stages:
    """Per event: commit → relay marked it published, → consumer recorded it (before its commit)."""

    relay: Latencies
    consumer: Latencies

    def describe(self) -> str:
        """Return the two stages in one phrase."""
        return (f"outbox commit→published by the relay p50/p99 {self.relay.p50_ms:.1f}/{self.relay.p99_ms:.1f} ms, "
                f"published→recorded by the audit consumer {self.consumer.p50_ms:.1f}/{self.consumer.p99_ms:.1f} ms")


def stages(contacts_dsn: str, audit_dsn: str, object_ids: list[str]) -> Stages:
    """Read outbox.created_at/published_at and audit_entries.recorded_at of the objects' events."""
    with psycopg.connect(audit_dsn) as audit:
        recorded = {row[0]: row[1] for row in audit.execute(
            "SELECT id, recorded_at FROM audit_entries WHERE object_id = ANY(%s)", (object_ids,))}
    with psycopg.connect(contacts_dsn) as contacts:
        outbox = contacts.execute(
            "SELECT event_id, created_at, published_at FROM outbox WHERE event_id = ANY(%s)", (list(recorded),)
        ).fetchall()
    relay = [(published - created).total_seconds() for _id, created, published in outbox if published]
    consumer = [(recorded[event_id] - published).total_seconds() for event_id, _created, published in outbox
                if published and event_id in recorded]
    return Stages(Latencies.of(relay), Latencies.of(consumer))
