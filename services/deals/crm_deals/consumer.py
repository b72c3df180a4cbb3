"""The deals consumer: contact events keep the copy of contacts and the deals' links in step."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from crm_shared import bus, db, topology
from crm_shared.config import Settings
from crm_shared.consumer import ConsumerSettings, EventConsumer
from crm_shared.process import stop_on_signals

from crm_deals.adapters import tables
from crm_deals.service_layer.contact_events import handle_events


def build_consumer(
    settings: Settings, engine: sa.Engine, consumer_settings: ConsumerSettings = ConsumerSettings()
) -> EventConsumer:
    """Wire the deals queue to the deals store."""
    return EventConsumer(
        queue=topology.DEALS,
        engine=engine,
        inbox_table=tables.inbox,
        handler=handle_events,
        connection_factory=lambda: bus.connect(settings),
        settings=consumer_settings,
    )


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the deals queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit."""
    stop = stop or stop_on_signals()
    engine = db.create_engine(settings.database_url)
    try:
        build_consumer(settings, engine).run(stop)
    finally:
        engine.dispose()
