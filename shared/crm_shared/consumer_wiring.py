"""Wiring a service's event handler to its queue, and the `consume` command that runs it."""
from __future__ import annotations

import threading
from typing import Callable, Protocol

import sqlalchemy as sa

from crm_shared import bus, db, metrics, probes, tracing
from crm_shared.config import Settings
from crm_shared.consumer import ConsumerSettings, EventConsumer, EventHandler
from crm_shared.process import stop_on_signals
from crm_shared.topology import ConsumerQueue
from crm_shared.unit_of_work import Transaction, bind


class ConsumerFactory(Protocol):
    """Builds a service's consumer for a given configuration and engine."""

    def __call__(
        self, settings: Settings, engine: sa.Engine, consumer_settings: ConsumerSettings = ...
    ) -> EventConsumer: ...


def wire_consumer(
    queue: ConsumerQueue, inbox_table: sa.Table, handler: EventHandler,
    unit_of_work: Callable[[sa.Connection], Transaction] = bind(Transaction),
) -> ConsumerFactory:
    """Return the factory of a consumer that feeds `queue` to `handler` with a bound unit of work."""

    def build(
        settings: Settings, engine: sa.Engine, consumer_settings: ConsumerSettings = ConsumerSettings()
    ) -> EventConsumer:
        return EventConsumer(
            queue=queue,
            engine=engine,
            inbox_table=inbox_table,
            handler=handler,
            connection_factory=lambda: bus.connect(settings),
            settings=consumer_settings,
            unit_of_work=unit_of_work,
        )

    return build


def consume_until_stopped(build: ConsumerFactory, settings: Settings, stop: threading.Event | None = None) -> None:
    """Run a consumer until SIGTERM / SIGINT (or `stop`); it finishes its batch, then exits."""
    stop = stop or stop_on_signals()
    tracing.configure(f"{settings.service}-consumer")
    metrics.forget_dead_processes()
    engine = db.create_engine(settings.database_url)
    consumer = build(settings, engine)

    def ready() -> None:
        """Ready while the consumer holds its broker channel and consumes its queue."""
        if not consumer.consuming.is_set():
            raise RuntimeError("not consuming: no broker channel")

    probe_server = probes.start_from_env(ready)
    try:
        consumer.run(stop)
    finally:
        if probe_server is not None:
            probe_server.close()
        engine.dispose()
        tracing.shutdown()
