"""The contacts consumer on RabbitMQ and PostgreSQL: deal events become the contacts' links."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa

from crm_shared import bus, db, migrations
from crm_shared.config import Settings
from crm_shared.consumer import ConsumerSettings
from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import declare_all

from crm_contacts.__main__ import MIGRATIONS
from crm_contacts.adapters.links import LinkRepository
from crm_contacts.consumer import build_consumer

pytestmark = pytest.mark.integration


def deal_event(deal_id: str, sequence: int, person_ids: list[str], operation: str = "updated") -> CloudEvent:
    links = [{"type": "person", "id": pid, "name": "P"} for pid in person_ids]
    change = ObjectChanged("deal", deal_id, "Deal", f"/api/v1/deals/{deal_id}", operation, sequence,
                           state={"id": deal_id, "links": links})
    return wrap(change, service="deals", actor=Actor("u", "U"), correlation_id="c", time=datetime.now(timezone.utc))


class Worker:
    def __init__(self, settings: Settings, engine: sa.Engine) -> None:
        self.settings, self.engine = settings, engine
        self.stop = threading.Event()
        consumer = build_consumer(settings, engine, ConsumerSettings(retry_delays=(0.01,)))
        self.thread = threading.Thread(target=consumer.run, args=(self.stop,), daemon=True)

    def publish(self, *events: CloudEvent) -> None:
        publisher = ConfirmingPublisher(lambda: bus.connect(self.settings))
        try:
            publisher.publish_batch([OutgoingMessage(e.type, e.to_json(), e.id) for e in events])
        finally:
            publisher.close()

    def linking(self, contact_id: str) -> list[str]:
        with self.engine.connect() as connection:
            return [link.object_id for link in LinkRepository(connection).of_contact(contact_id)]

    def processed(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM inbox")).scalar_one()


@pytest.fixture
def worker(postgres_url: str, amqp_url: str, tmp_path: Path) -> Iterator[Worker]:
    migrations.upgrade(postgres_url, MIGRATIONS, "contacts")
    engine = db.create_engine(postgres_url)
    settings = Settings(service="contacts", data_dir=tmp_path, database_url=postgres_url, broker_url=amqp_url,
                        jwks_url="", port=0)
    with bus.connect(settings) as connection:
        declare_all(connection.default_channel)
    running = Worker(settings, engine)
    running.thread.start()
    yield running
    running.stop.set()
    running.thread.join(15)
    engine.dispose()


def test_deal_events_replace_a_deals_links_and_a_deleted_deal_drops_them(worker: Worker) -> None:
    deal, jana, petr = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    worker.publish(deal_event(deal, 1, [jana]), deal_event(deal, 2, [petr]))
    wait_until(lambda: worker.processed() == 2, timeout=20)
    assert (worker.linking(jana), worker.linking(petr)) == ([], [deal])

    worker.publish(deal_event(deal, 3, [], operation="deleted"))
    wait_until(lambda: worker.processed() == 3, timeout=20)
    assert worker.linking(petr) == []


def test_stale_and_repeated_deal_events_change_nothing(worker: Worker) -> None:
    deal, jana, petr = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    newest = deal_event(deal, 5, [jana])
    worker.publish(newest)
    wait_until(lambda: worker.processed() == 1, timeout=20)
    worker.publish(deal_event(deal, 4, [petr]), newest)
    wait_until(lambda: worker.processed() == 2, timeout=20)
    assert (worker.linking(jana), worker.linking(petr)) == ([deal], [])
