"""`crm-dead-letters list|replay QUEUE` and `redact QUEUE SUBJECT_ID`: inspect a consumer's dead
letters, send them back, and take an erased subject's values out of them.

A dead letter is a store of its own: one that names a subject erased later (CON-4) still holds
its personal values. Each consumer redacts its own dead letters as it handles an erasure event
(`crm_shared.consumer`); `redact` does the same by hand.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any, Iterator

from kombu import Connection, Message, Producer

from crm_shared import bus, metrics
from crm_shared.config import Settings
from crm_shared.declaration import ConsumerQueue
from crm_shared.erasure import REDACTED
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.topology import consumers, declare_all, default_exchange

log = logging.getLogger(__name__)

#: the header a redacted dead letter carries (its value: "true")
REDACTED_HEADER = "x-redacted"
#: what a redacted letter keeps of its event: the envelope, never its data
_ENVELOPE_KEYS = ("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "actorid",
                  "correlationid", "sequence", "channel", "traceparent", "restoresentry")


def _letters(connection: Connection, queue_name: str, limit: int) -> Iterator[Message]:
    queue = consumers()[queue_name].dead_letter_queue()(connection.default_channel)
    for _ in range(limit):
        message = queue.get(no_ack=False)
        if message is None:
            return
        yield message


def list_letters(settings: Settings, queue_name: str, limit: int) -> int:
    """Print the dead letters (they stay in the queue); return how many were shown."""
    shown = 0
    with bus.connect(settings) as connection:
        declare_all(connection.default_channel)
        for message in _letters(connection, queue_name, limit):
            headers = message.headers or {}
            print(json.dumps({"routing_key": headers.get("x-original-routing-key"), "error": headers.get("x-error"),
                              "body": message.body.decode("utf-8", "replace") if isinstance(message.body, bytes)
                              else message.body}, ensure_ascii=False))
            shown += 1
        # unacknowledged messages return to the queue when the channel closes
    return shown


def replay(settings: Settings, queue_name: str, limit: int) -> int:
    """Publish dead letters back to the events exchange (confirmed), then remove them."""
    publisher = ConfirmingPublisher(lambda: bus.connect(settings))
    replayed = 0
    with bus.connect(settings) as connection:
        declare_all(connection.default_channel)
        for message in _letters(connection, queue_name, limit):
            headers = message.headers or {}
            body = message.body.decode() if isinstance(message.body, bytes) else message.body
            publisher.publish_batch([OutgoingMessage(headers.get("x-original-routing-key") or "", body, "")])
            message.ack()
            replayed += 1
    publisher.close()
    return replayed


def redacted_body(body: bytes | str, subject_id: str) -> bytes | None:
    """Return a dead letter's body without an erased subject's values, or None when it does not name
    the subject (ids are UUIDs: a letter names the subject when its body holds the id).

    An event keeps its envelope (which event, of what, when, caused by whom) and loses its data, which
    held the values; a body that is no event is replaced whole.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not subject_id or subject_id not in text:
        return None
    try:
        event = json.loads(text)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        return json.dumps({"data": REDACTED}).encode()
    kept: dict[str, Any] = {key: event[key] for key in _ENVELOPE_KEYS if key in event}
    kept["data"] = REDACTED
    return json.dumps(kept, ensure_ascii=False).encode()


def _redacted_headers(headers: dict[str, Any]) -> dict[str, Any]:
    """Keep a letter's headers but the error's message, which may quote a value (its class stays)."""
    error = str(headers.get("x-error", ""))
    kind = error.split(":", 1)[0] if error else ""
    return {**headers, "x-error": f"{kind}: {REDACTED}" if kind else REDACTED, REDACTED_HEADER: "true"}


def redact_naming(connection: Connection, queue: ConsumerQueue, subject_id: str) -> int:
    """Replace each dead letter of `queue` that names `subject_id` by its redacted copy; return how many.

    The copy is published (persistent) to the same dead-letter queue before the original is
    acknowledged: a failure between the two leaves both, never neither. The other letters stay as
    they are (left unacknowledged, they return to the queue when the channel closes); letters are
    looked at once each, as many as the queue held when this began. A letter another reader holds
    at that moment (`crm-dead-letters list` running) is not seen: redact again once it is back.
    """
    if not subject_id:
        return 0
    channel = connection.channel()
    try:
        dead = queue.dead_letter_queue()(channel)
        _name, waiting, _consumers = dead.queue_declare()
        producer = Producer(channel)
        redacted = 0
        for _ in range(waiting):
            message = dead.get(no_ack=False)
            if message is None:
                break
            headers = dict(message.headers or {})
            body = None if headers.get(REDACTED_HEADER) else redacted_body(message.body, subject_id)
            if body is None:
                continue
            producer.publish(body, exchange=default_exchange, routing_key=queue.dead_letter_name,
                             headers=_redacted_headers(headers), content_type="application/cloudevents+json",
                             content_encoding="binary", delivery_mode=2, retry=False)
            message.ack()
            redacted += 1
    finally:
        channel.close()
    metrics.DEAD_LETTERS_REDACTED.labels(queue.name).inc(redacted)
    if redacted:
        log.info("redacted dead letters naming an erased subject",
                 extra={"queue": queue.dead_letter_name, "count": redacted, "subject": subject_id})
    return redacted


def redact(settings: Settings, queue_name: str, subject_id: str) -> int:
    """Redact the dead letters of one consumer's queue that name an erased subject (`redact_naming`)."""
    with bus.connect(settings) as connection:
        declare_all(connection.default_channel)
        return redact_naming(connection, consumers()[queue_name], subject_id)


def main(argv: list[str] | None = None) -> None:
    """Entry point of `crm-dead-letters`."""
    parser = argparse.ArgumentParser(prog="crm-dead-letters", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["list", "replay", "redact"])
    parser.add_argument("queue", choices=sorted(consumers()))
    parser.add_argument("subject", nargs="?", help="redact: the id of the erased subject")
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    settings = Settings.from_env(args.queue)
    if args.action == "redact":
        if not args.subject:
            parser.error("redact needs the erased subject's id")
        count = redact(settings, args.queue, args.subject)
    else:
        action = list_letters if args.action == "list" else replay
        count = action(settings, args.queue, args.limit)
    print(f"{args.action}: {count} message(s) from {consumers()[args.queue].dead_letter_name}", file=sys.stderr)


if __name__ == "__main__":
    main()
