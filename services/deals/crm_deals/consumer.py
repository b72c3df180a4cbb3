"""The deals consumer: contact events keep the copy of contacts and the deals' links in step, task
template events the copy of templates and the processes naming them."""
from __future__ import annotations

import threading

from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.unit_of_work import bind

from crm_deals.adapters import tables
from crm_deals.declaration import SERVICE
from crm_deals.service_layer.incoming import handle_events
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events, bind(DealsUnitOfWork))


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the deals queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
