"""A small thread-safe cache whose entries expire after a few minutes."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    """Keep up to `size` values for `ttl` seconds each; the oldest go first when full."""

    def __init__(self, ttl: float, *, size: int = 512, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], V]) -> V:
        """Return the cached value of `key`, or load, keep and return it (errors are not kept)."""
        now = self.clock()
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] > now:
                return found[1]
        value = load()
        with self._lock:
            self._items[key] = (now + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
