"""Noticing when rows become readable, by polling their table with one connection."""
from __future__ import annotations

import threading
import time

import psycopg

from bench.stats import Latencies


class Sightings:
    """Poll `SELECT key … WHERE key = ANY(pending)` and note when each awaited key first shows up.

    Polling the database directly keeps the watcher's load off the services under test; one
    small indexed query every `interval` seconds, only while something is awaited. A lag is
    (start of the first poll that saw the row) − (moment it was awaited), so it is exact to
    within one interval plus one query.
    """

    def __init__(self, dsn: str, table: str, column: str, *, interval: float = 0.005) -> None:
        self._dsn = dsn
        self._query = f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)"
        self._interval = interval
        self._pending: dict[str, float] = {}
        self._lags: list[float] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sightings", daemon=True)
        self._error: BaseException | None = None

    def __enter__(self) -> "Sightings":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def expect(self, key: str, since: float) -> None:
        """Await `key`, counting its lag from the monotonic time `since`."""
        with self._lock:
            self._pending[key] = since

    def wait_all(self, timeout: float) -> int:
        """Wait until nothing is awaited or `timeout` passes; return how many were never seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._error is None:
            with self._lock:
                if not self._pending:
                    return 0
            time.sleep(0.05)
        if self._error is not None:
            raise RuntimeError("the watcher failed") from self._error
        with self._lock:
            return len(self._pending)

    def latencies(self) -> Latencies:
        """Summarise the lags seen so far."""
        with self._lock:
            return Latencies.of(list(self._lags))

    def _run(self) -> None:
        try:
            with psycopg.connect(self._dsn, autocommit=True) as connection:
                while not self._stop.is_set():
                    self._poll(connection)
                    time.sleep(self._interval)
        except BaseException as exc:  # reported by wait_all, not lost in the thread
            self._error = exc

    def _poll(self, connection: psycopg.Connection) -> None:
        with self._lock:
            keys = list(self._pending)
        if not keys:
            return
        polled_at = time.monotonic()
        found = [row[0] for row in connection.execute(self._query, (keys,))]
        with self._lock:
            for key in found:
                since = self._pending.pop(key, None)
                if since is not None:
                    self._lags.append(polled_at - since)
