"""The live streams of one process: who listens, what they last got, and when to look again.

No stream holds a database connection or a thread. The hub runs one loop per process that
wakes at the earlier of two moments and recomputes only the users it must:

- **after events**: every `poll_interval` it reads the change marks of the users it serves and
  of `*` (one query for all streams, whatever the clocks of the writers say); a user whose mark
  moved is recomputed, and a moved `*` (the global settings) recomputes everyone listening.
- **as time passes**: each computation also says when that user's counts next change by
  themselves (a task entering the window, or becoming overdue); the loop keeps those moments in
  a heap and recomputes each user at theirs.

Counts are pushed only when they differ from what that user's streams last got (the moment of
the counts aside). Computations run on a small pool of threads, each borrowing a database
connection for the few milliseconds a count takes.
"""
from __future__ import annotations

import asyncio
import heapq
import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from crm_shared.sse import Event

log = logging.getLogger(__name__)

EVERYONE = "*"
#: (the body pushed to streams, the next moment it changes by itself or None)
Computed = tuple[dict[str, Any], datetime | None]


@dataclass(eq=False)
class Listener:
    """One open stream: the latest counts it has not sent yet, and a flag that wakes it."""

    user_id: str
    pending: dict[str, Any] | None = None
    closed: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sent: int = 0

    def offer(self, body: dict[str, Any]) -> None:
        """Hand the stream newer counts; counts it had not sent yet are superseded."""
        self.pending = body
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()

    async def next(self, timeout: float) -> dict[str, Any] | None:
        """Return the next counts to send, or None after `timeout` seconds without any (time for a keep-alive)."""
        if self.pending is None and not self.closed:
            try:
                await asyncio.wait_for(self.wake.wait(), timeout)
            except asyncio.TimeoutError:
                return None
        self.wake.clear()
        body, self.pending = self.pending, None
        return body

    async def events(self, timeout: float) -> list[Event] | None:
        """The next counts as a `counters` event numbered in this stream (the kit's feed)."""
        body = await self.next(timeout)
        if body is None:
            return None
        self.sent += 1
        return [Event("counters", body, str(self.sent))]


def _same(a: dict[str, Any] | None, b: dict[str, Any]) -> bool:
    return a is not None and {**a, "as_of": None} == {**b, "as_of": None}


class Hub:
    """The streams of this process and the loop that feeds them."""

    def __init__(self, compute: Callable[[str], Computed], marks_of: Callable[[list[str]], dict[str, int]],
                 executor: Executor, *, clock: Callable[[], datetime], poll_interval: float = 0.25) -> None:
        self.compute = compute
        self.marks_of = marks_of
        self.executor = executor
        self.clock = clock
        self.poll_interval = poll_interval
        self.listeners: dict[str, set[Listener]] = {}
        self.sent: dict[str, dict[str, Any]] = {}
        self.versions: dict[str, int] = {}
        self.next_at: dict[str, datetime] = {}
        self.timers: list[tuple[datetime, str]] = []
        self.pushes = 0
        self._wake = asyncio.Event()

    async def listen(self, user_id: str) -> Listener:
        """Open a stream for a user; it gets the user's current counts first."""
        listener = Listener(user_id)
        self.listeners.setdefault(user_id, set()).add(listener)
        try:
            body, next_change = await self._compute(user_id)
        except BaseException:
            self.leave(listener)
            raise
        self._remember(user_id, body, next_change)
        listener.offer(body)
        return listener

    def leave(self, listener: Listener) -> None:
        """Close a stream; a user nobody listens to any more is forgotten."""
        listener.close()
        streams = self.listeners.get(listener.user_id)
        if streams is not None:
            streams.discard(listener)
            if not streams:
                del self.listeners[listener.user_id]
                self.sent.pop(listener.user_id, None)
                self.versions.pop(listener.user_id, None)
                self.next_at.pop(listener.user_id, None)

    @property
    def streams(self) -> int:
        return sum(len(streams) for streams in self.listeners.values())

    async def run(self) -> None:
        """Feed the streams until cancelled."""
        while True:
            await self._sleep()
            if not self.listeners:
                continue  # nobody to tell: no query at all
            try:
                changed = await self._changed()
                due = self._due(self.clock())
                users = [user for user in dict.fromkeys([*changed, *due]) if user in self.listeners]
                await asyncio.gather(*(self.refresh(user) for user in users))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: the streams stay open, the loop retries
                log.warning("the live counters could not be refreshed", exc_info=True)

    async def refresh(self, user_id: str) -> None:
        """Recompute a user's counts and push them to the user's streams if they changed."""
        body, next_change = await self._compute(user_id)
        if user_id not in self.listeners:
            return
        changed = not _same(self.sent.get(user_id), body)
        self._remember(user_id, body, next_change)
        if changed:
            self.pushes += 1
            for listener in self.listeners.get(user_id, ()):
                listener.offer(body)

    def close(self) -> None:
        """End every stream (the process stops)."""
        for streams in list(self.listeners.values()):
            for listener in list(streams):
                self.leave(listener)

    async def _compute(self, user_id: str) -> Computed:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.compute, user_id)

    async def _changed(self) -> list[str]:
        users = [*self.listeners, EVERYONE]
        marks = await asyncio.get_running_loop().run_in_executor(self.executor, self.marks_of, users)
        changed = [user for user, version in marks.items() if self.versions.get(user) != version]
        for user in changed:
            self.versions[user] = marks[user]
        if EVERYONE in changed:
            return list(self.listeners)
        return changed

    def _remember(self, user_id: str, body: dict[str, Any], next_change: datetime | None) -> None:
        self.sent[user_id] = body
        if next_change is None:
            self.next_at.pop(user_id, None)
        elif self.next_at.get(user_id) != next_change:
            self.next_at[user_id] = next_change
            heapq.heappush(self.timers, (next_change, user_id))
            self._wake.set()

    def _due(self, now: datetime) -> list[str]:
        due = []
        while self.timers and self.timers[0][0] <= now:
            moment, user = heapq.heappop(self.timers)
            if self.next_at.get(user) == moment:  # else superseded by a later computation
                del self.next_at[user]
                due.append(user)
        return due

    async def _sleep(self) -> None:
        delay = self.poll_interval
        if self.timers:
            delay = min(delay, max((self.timers[0][0] - self.clock()).total_seconds(), 0.0))
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), delay)
        except asyncio.TimeoutError:
            pass
