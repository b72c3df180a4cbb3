"""Waking the relay when new outbox rows commit, without busy polling."""
from __future__ import annotations

import logging
import time
from typing import Protocol

import psycopg
from sqlalchemy.engine import make_url

from crm_shared.outbox import notify_channel

log = logging.getLogger(__name__)


class Wakeup(Protocol):
    """Something the relay sleeps on between batches."""

    def wait(self) -> None:
        """Return when new rows may have arrived, or after a fallback interval."""

    def close(self) -> None:
        """Release what the waiting holds."""


class PollingWakeup:
    """Sleep a fixed short interval (SQLite: there is no notification mechanism)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def wait(self) -> None:
        time.sleep(self.interval)

    def close(self) -> None:
        pass


class PostgresWakeup:
    """LISTEN for the NOTIFY that every outbox insert sends at commit, with a fallback poll."""

    def __init__(self, database_url: str, service: str, *, fallback: float = 1.0) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._channel = notify_channel(service)
        self._fallback = fallback
        self._connection: psycopg.Connection | None = None

    def _listen(self) -> psycopg.Connection:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self._dsn, autocommit=True)
            self._connection.execute(f'LISTEN "{self._channel}"')
        return self._connection

    def wait(self) -> None:
        try:
            connection = self._listen()
            # the first notification ends the wait; any others queued with it are drained
            for _ in connection.notifies(timeout=self._fallback, stop_after=1):
                pass
        except psycopg.Error as exc:
            log.warning("outbox LISTEN connection lost: %s", exc)
            self.close()
            time.sleep(self._fallback)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
