"""The deals consumer: contact events keep the copy of contacts and the deals' links in step."""
from __future__ import annotations

import threading

from crm_shared import topology
from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer

from crm_deals.adapters import tables
from crm_deals.service_layer.contact_events import handle_events

build_consumer = wire_consumer(topology.DEALS, tables.inbox, handle_events)


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the deals queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    consume_until_stopped(build_consumer, settings, stop)
