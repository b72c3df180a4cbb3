"""A service's consumer running on a real broker and database, for its integration tests."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import sqlalchemy as sa
from kombu import Connection

from crm_shared import db
from crm_shared.config import Settings
from crm_shared.consumer import ConsumerSettings
from crm_shared.testing.templates import migrated
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.topology import declare_all

#: a service's `build_consumer(settings, engine, consumer_settings)`
BuildConsumer = Callable[[Settings, sa.Engine, ConsumerSettings], Any]


@contextmanager
def consuming(service: str, build_consumer: BuildConsumer, migrations: str, *, amqp_url: str,
              postgres_url: str) -> Iterator[tuple[sa.Engine, ConfirmingPublisher]]:
    """Migrate the service's database, declare the topology and run its consumer in a thread (quick
    retries); yield its engine and a publisher onto the bus; stop and close everything after."""
    migrated(postgres_url, migrations, service)
    engine = db.create_engine(postgres_url)
    settings = Settings.from_env(service, {"CRM_BROKER_URL": amqp_url, "CRM_DATABASE_URL": postgres_url})
    consumer = build_consumer(settings, engine, ConsumerSettings(retry_delays=(0.01,)))
    with Connection(amqp_url) as conn:
        declare_all(conn.default_channel)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    publisher = ConfirmingPublisher(lambda: Connection(amqp_url))
    try:
        yield engine, publisher
    finally:
        stop.set()
        thread.join(10)
        publisher.close()
        engine.dispose()
