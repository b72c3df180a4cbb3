"""How many streams the gateway lets hold its threads at once, so that they never take them all.

Each stream passed through the gateway (server-sent events: the counters, the audit tail) holds one
of its worker's threads for as long as it is open. Without a bound a few browsers would leave no
thread for any other call. A stream beyond the bound is answered 503 with `Retry-After`; in a
cluster the Ingress sends the streams to their services directly and they never reach this.
"""
from __future__ import annotations

import threading
from typing import Callable


class StreamSlots:
    """A count of the streams open through this worker, never above `limit`."""

    def __init__(self, limit: int) -> None:
        if limit < 0:
            raise ValueError("the number of streams may not be negative")
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()

    @property
    def open(self) -> int:
        """Return how many streams hold a slot now."""
        return self._open

    def take(self) -> Callable[[], None] | None:
        """Take a slot for a stream and return what frees it (once, however often it is called);
        None when all are taken (nothing is taken then)."""
        with self._lock:
            if self._open >= self.limit:
                return None
            self._open += 1
        freed = threading.Event()

        def give_back() -> None:
            with self._lock:
                if not freed.is_set():
                    freed.set()
                    self._open -= 1

        return give_back


def stream_limit(threads: int, configured: str | None) -> int:
    """Return the streams one worker may hold: CRM_GATEWAY_MAX_STREAMS, else half its threads.

    The rest of the threads always remain for every other call.
    """
    if configured is None or not configured.strip():
        return threads // 2
    limit = int(configured)
    if not 0 <= limit < threads:
        raise ValueError(f"CRM_GATEWAY_MAX_STREAMS must be from 0 to {threads - 1} (below CRM_WEB_THREADS), "
                         f"not {configured!r}")
    return limit
