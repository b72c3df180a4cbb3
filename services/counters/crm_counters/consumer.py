"""The counters consumer: task, interaction, contact and deal events keep the copies and the counted items."""
from __future__ import annotations

import threading

from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.unit_of_work import bind

from crm_counters.adapters import tables
from crm_counters.declaration import SERVICE
from crm_counters.service_layer.record_events import handle_events
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events, bind(CountersUnitOfWork))


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the counters queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
