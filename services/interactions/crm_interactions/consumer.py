"""The interactions consumer: contact and group events keep the copies, merges and anonymizations follow, rules log entries."""
from __future__ import annotations

import threading

from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.unit_of_work import bind

from crm_interactions.adapters import tables
from crm_interactions.declaration import SERVICE
from crm_interactions.service_layer.record_events import handle_events
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork

assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events, bind(InteractionsUnitOfWork))


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the interactions queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
