"""Connections to the message bus: RabbitMQ, or kombu's embedded file transport."""
from __future__ import annotations

from pathlib import Path

from kombu import Connection

from crm_shared.config import Settings


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
            transport_options={
                "data_folder_in": str(messages),
                "data_folder_out": str(messages),
                "control_folder": str(control),
                "polling_interval": settings.broker_polling_interval,
            },
        )
    return Connection(settings.broker_url, heartbeat=heartbeat, connect_timeout=5)
