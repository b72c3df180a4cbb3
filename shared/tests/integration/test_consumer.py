"""The consumer commits before it acks, applies each event once, and dead-letters poison."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Iterator, Sequence

import pytest
import sqlalchemy as sa
from kombu import Connection, Exchange, Producer

from crm_shared import db, metrics
from crm_shared.consumer import ConsumerSettings, EventConsumer
from crm_shared.envelope import Actor, CloudEvent, InvalidEvent, wrap
from crm_shared.erasure import REDACTED
from crm_shared.events import ObjectChanged
from crm_shared.inbox import inbox_table
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import AUDIT, declare_all
from crm_shared.unit_of_work import Transaction

pytestmark = pytest.mark.integration

metadata = sa.MetaData()
inbox = inbox_table(metadata)
effects = sa.Table("effects", metadata, sa.Column("event_id", sa.String(36)), sa.Column("subject", sa.String(50)))


fixed: set[str] = set()


def handler(uow: Transaction, events: Sequence[CloudEvent]) -> None:
    for event in events:
        if event.data.get("operation") == "explode" and event.subject not in fixed:
            raise RuntimeError("this event always fails")
        if event.data.get("object_type") is None:
            raise InvalidEvent("no object_type")
    uow.connection.execute(effects.insert(), [{"event_id": e.id, "subject": e.subject} for e in events])


def event(n: int, operation: str = "updated") -> OutgoingMessage:
    envelope = wrap(
        ObjectChanged("person", f"p-{n}", "P", "/p", operation, 1),
        service="test", actor=Actor("u", "U"), correlation_id="c", time=datetime.now(timezone.utc),
    )
    return OutgoingMessage(envelope.type, envelope.to_json(), envelope.id)


@pytest.fixture
def running(amqp_url: str, any_database_url: str) -> Iterator[tuple[sa.Engine, str]]:
    engine = db.create_engine(any_database_url)
    metadata.create_all(engine)
    consumer = EventConsumer(
        queue=AUDIT, engine=engine, inbox_table=inbox, handler=handler,
        connection_factory=lambda: Connection(amqp_url),
        settings=ConsumerSettings(retry_delays=(0.01, 0.01)),
    )
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    with Connection(amqp_url) as conn:
        declare_all(conn.default_channel)
    thread.start()
    yield engine, amqp_url
    stop.set()
    thread.join(10)


def count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(effects)).scalar_one()


def dead_letters(amqp_url: str) -> list[dict]:
    with Connection(amqp_url) as conn:
        queue = AUDIT.dead_letter_queue()(conn.default_channel)
        found = []
        while (message := queue.get(no_ack=True)) is not None:
            found.append({"body": message.body, "headers": message.headers})
        return found


def test_every_event_is_applied_once_even_when_delivered_twice(running: tuple[sa.Engine, str]) -> None:
    engine, amqp_url = running
    messages = [event(n) for n in range(300)]
    publisher = ConfirmingPublisher(lambda: Connection(amqp_url))
    publisher.publish_batch(messages)
    publisher.publish_batch(messages[:50])
    wait_until(lambda: count(engine) >= 300, timeout=20)
    publisher.publish_batch([event(999)])
    wait_until(lambda: count(engine) == 301, timeout=10)
    assert count(engine) == 301


def test_poison_goes_to_the_dead_letter_queue_and_the_rest_is_applied(running: tuple[sa.Engine, str]) -> None:
    engine, amqp_url = running
    with Connection(amqp_url) as conn:
        Producer(conn.default_channel).publish(
            b"{not json", exchange=Exchange("crm.events", type="topic"), routing_key="crm.person.updated",
            content_type="application/cloudevents+json", content_encoding="binary",
        )
    publisher = ConfirmingPublisher(lambda: Connection(amqp_url))
    publisher.publish_batch([event(1), event(2, "explode"), event(3)])
    wait_until(lambda: count(engine) == 2, timeout=20)
    letters: list[dict] = []
    wait_until(lambda: letters.extend(dead_letters(amqp_url)) or len(letters) >= 2, timeout=20)
    errors = sorted(letter["headers"]["x-error"].split(":")[0] for letter in letters)
    assert errors == ["InvalidEvent", "RuntimeError"]
    publisher.publish_batch([event(4)])
    wait_until(lambda: count(engine) == 3, timeout=10)


def test_dead_letters_can_be_replayed_once_the_cause_is_fixed(running: tuple[sa.Engine, str]) -> None:
    from crm_shared.config import Settings
    from crm_shared.dead_letters import replay

    engine, amqp_url = running
    publisher = ConfirmingPublisher(lambda: Connection(amqp_url))
    number = len(fixed) + 1000
    publisher.publish_batch([event(number, "explode")])
    settings = Settings.from_env("audit", {"CRM_BROKER_URL": amqp_url})
    wait_until(lambda: _dead_count(amqp_url) == 1, timeout=20)
    fixed.add(f"p-{number}")
    assert replay(settings, "audit", 10) == 1
    wait_until(lambda: count(engine) == 1, timeout=10)


def _dead_count(amqp_url: str) -> int:
    with Connection(amqp_url) as conn:
        _name, messages, _consumers = AUDIT.dead_letter_queue()(conn.default_channel).queue_declare(passive=True)
        return messages


def _peek_dead_letters(amqp_url: str) -> list[dict]:
    """Read the dead letters without taking them (unacknowledged, they return on close)."""
    with Connection(amqp_url) as conn:
        channel = conn.channel()
        queue = AUDIT.dead_letter_queue()(channel)
        found = []
        while (message := queue.get(no_ack=False)) is not None:
            found.append({"body": json.loads(message.body), "headers": dict(message.headers or {})})
        channel.close()
        return found


def test_an_erasure_takes_its_subjects_values_out_of_the_dead_letters(running: tuple[sa.Engine, str]) -> None:
    engine, amqp_url = running
    erased, other = "p-50", "p-61"
    publisher = ConfirmingPublisher(lambda: Connection(amqp_url))
    publisher.publish_batch([event(50, "explode"), event(61, "explode")])
    wait_until(lambda: _dead_count(amqp_url) == 2, timeout=20)

    redacted_so_far = metrics.DEAD_LETTERS_REDACTED.labels(AUDIT.name)._value.get()
    publisher.publish_batch([event(50, "anonymized")])
    # counted once the redaction is done (peeking meanwhile would hold the letters from it)
    wait_until(lambda: metrics.DEAD_LETTERS_REDACTED.labels(AUDIT.name)._value.get() > redacted_so_far, timeout=20)

    letters = {letter["body"]["subject"]: letter for letter in _peek_dead_letters(amqp_url)}
    assert set(letters) == {erased, other}, "a redacted letter replaces its original; none is lost"
    redacted, untouched = letters[erased], letters[other]
    assert redacted["body"]["data"] == REDACTED and redacted["body"]["type"] == "crm.person.explode"
    assert redacted["headers"]["x-error"] == f"RuntimeError: {REDACTED}"
    assert redacted["headers"]["x-original-routing-key"] == "crm.person.explode"
    assert untouched["body"]["data"]["object_name"] == "P" and "x-redacted" not in untouched["headers"]

    # by hand (crm-dead-letters redact), again: the redacted letter is not redacted twice
    from crm_shared.config import Settings
    from crm_shared.dead_letters import redact

    settings = Settings.from_env("audit", {"CRM_BROKER_URL": amqp_url})
    assert redact(settings, "audit", erased) == 0
    assert redact(settings, "audit", other) == 1
    assert all(letter["body"]["data"] == REDACTED for letter in _peek_dead_letters(amqp_url))
    assert count(engine) == 1, "the erasure itself was applied"
