"""The tasks consumer: contact, deal and user events keep the copies, move or remove links, apply post-sale templates."""
from __future__ import annotations

import threading

from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.unit_of_work import bind

from crm_tasks.adapters import tables
from crm_tasks.declaration import SERVICE
from crm_tasks.service_layer.record_events import handle_events
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events, bind(TasksUnitOfWork))


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the tasks queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
