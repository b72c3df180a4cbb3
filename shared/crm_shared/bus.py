"""Connections to the message bus: RabbitMQ, or kombu's embedded file transport."""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Iterator

from kombu import Connection
from kombu.transport import filesystem, virtual
from kombu.utils.json import dumps

from crm_shared.config import Settings

_sequence = itertools.count()
_stamp_lock = threading.Lock()
_last_stamp = 0


def _next_stamp() -> int:
    """Nanoseconds since the epoch, strictly increasing within this process even when the wall clock
    steps back: a message file named after it never sorts before one this process wrote earlier."""
    global _last_stamp
    with _stamp_lock:
        _last_stamp = max(time.time_ns(), _last_stamp + 1)
        return _last_stamp


class EmbeddedChannel(filesystem.Channel):
    """The file transport's channel, writing each message atomically and in order.

    The stock channel creates the message file and then writes it, so a consumer polling
    the folder can pick up an empty or half-written file (a decode error, and the message
    is gone). Here the file is written under a name no consumer matches and renamed into
    place; names sort by a time that only grows within the process and a per-process counter,
    so one publisher's messages are read in the order they were sent.
    """

    def _put(self, queue, payload, **kwargs):  # type: ignore[no-untyped-def]
        name = f"{_next_stamp():020d}_{next(_sequence):010d}_{uuid.uuid4().hex}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".partial"
        with open(partial, "wb") as handle:
            handle.write(dumps(payload).encode())
        os.rename(partial, final)

    def _queue_bind(self, exchange, routing_key, pattern, queue):  # type: ignore[no-untyped-def]
        """Add a binding to the exchange's table, replacing the table file whole.

        The stock channel truncates the table file and then locks it, so a process
        declaring the same topology at the same moment reads an empty table and fails.
        Here writers serialise on one lock file and rename a complete table into place:
        a reader sees the old table or the new one, never a part.
        """
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._bindings_lock():
            table = self.get_table(exchange)
            if entry in table:
                return
            partial = file.with_name(f"{file.name}.{uuid.uuid4().hex}.partial")
            partial.write_bytes(dumps([entry, *table]).encode())
            os.replace(partial, file)

    @contextlib.contextmanager
    def _bindings_lock(self) -> Iterator[None]:
        with open(self.control_folder / "bindings.lock", "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class EmbeddedTransport(filesystem.Transport):
    """kombu's file transport with broker state per connection instead of per process.

    The stock transport remembers declared bindings process-wide and then skips writing
    them to a second data folder's control files; a process (or test) that talks to two
    folders would route nothing in the second one.
    """

    Channel = EmbeddedChannel

    def __init__(self, client, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(client, **kwargs)
        self.state = virtual.BrokerState()


def connect(settings: Settings, *, heartbeat: int = 0) -> Connection:
    """Open a kombu connection for this process (after any fork, never at import)."""
    if settings.embedded_broker:
        root = settings.data_dir / "broker"
        messages = root / "messages"
        control = root / "control"
        for folder in (messages, control):
            Path(folder).mkdir(parents=True, exist_ok=True)
        return Connection(
            "filesystem://",
            transport=EmbeddedTransport,
            transport_options={
                "data_folder_in": str(messages),
                "data_folder_out": str(messages),
                "control_folder": str(control),
                "polling_interval": settings.broker_polling_interval,
            },
        )
    return Connection(settings.broker_url, heartbeat=heartbeat, connect_timeout=5)
