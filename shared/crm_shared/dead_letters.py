"""`crm-dead-letters list|replay QUEUE`: inspect a consumer's dead letters and send them back."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from kombu import Connection, Message

from crm_shared import bus
from crm_shared.config import Settings
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.topology import consumers, declare_all


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


def main(argv: list[str] | None = None) -> None:
    """Entry point of `crm-dead-letters`."""
    parser = argparse.ArgumentParser(prog="crm-dead-letters", description=__doc__)
    parser.add_argument("action", choices=["list", "replay"])
    parser.add_argument("queue", choices=sorted(consumers()))
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    settings = Settings.from_env(args.queue)
    action = list_letters if args.action == "list" else replay
    count = action(settings, args.queue, args.limit)
    print(f"{args.action}: {count} message(s) from {consumers()[args.queue].dead_letter_name}", file=sys.stderr)


if __name__ == "__main__":
    main()
