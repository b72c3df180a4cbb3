"""The contacts consumer: the record of which deals, tasks and interactions link each contact."""
from __future__ import annotations

import threading
from typing import Sequence

import sqlalchemy as sa

from crm_shared import topology
from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.envelope import CloudEvent, InvalidEvent

from crm_contacts.adapters import tables
from crm_contacts.adapters.links import LinkRepository
from crm_contacts.domain.links import links_of


def handle_events(connection: sa.Connection, events: Sequence[CloudEvent]) -> None:
    """Apply each event's current links in the caller's transaction, ignoring stale ones."""
    links = LinkRepository(connection)
    for event in events:
        try:
            object_type, object_id, current = links_of(event.data)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent(f"data names no object: {exc}") from exc
        applied = links.applied_sequence(object_type, object_id)
        # At-least-once delivery may reorder one object's events: only a newer one counts.
        if applied is not None and event.sequence <= applied:
            continue
        deleted = event.data.get("operation") == "deleted"
        links.replace(object_type, object_id, event.sequence, current, deleted=deleted)


build_consumer = wire_consumer(topology.CONTACTS, tables.inbox, handle_events)


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the contacts queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
