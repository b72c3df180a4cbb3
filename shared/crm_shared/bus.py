"""Connections to the message bus: RabbitMQ, or kombu's embedded file transport."""
from __future__ import annotations

from pathlib import Path

from kombu import Connection
from kombu.transport import filesystem, virtual

from crm_shared.config import Settings


class EmbeddedTransport(filesystem.Transport):
    """kombu's file transport with broker state per connection instead of per process.

    The stock transport remembers declared bindings process-wide and then skips writing
    them to a second data folder's control files; a process (or test) that talks to two
    folders would route nothing in the second one.
    """

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
