"""The tails of one process: who follows the log with which filters, and from where.

No tail holds a database connection or a thread. The hub runs one loop per process: every
`poll_interval` it reads the entries stored after the last sequence number it has handed out
(one query for all tails, whatever their filters) and offers each to every tail; a tail keeps
those its filters match. A tail resumed from an earlier id first reads its backlog — the
entries between that id and the hub's mark at the moment it joined — from the store a page at
a time, then what the hub offered meanwhile: no entry is missed and none is sent twice, because
the sequence is assigned at commit order (see `crm_audit.adapters.repository.add_all`).

A tail that falls too far behind (its client reads slower than the log grows) is closed; the
client reconnects with the id it last got and reads the rest from the store.
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from concurrent.futures import Executor
from typing import Any, Callable

from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_shared.sse import Event

log = logging.getLogger(__name__)

#: read the entries after a sequence number (up to an upper one), filtered or not, oldest first
ReadAfter = Callable[[int, EntryFilter | None, int, int | None], list[AuditEntry]]
#: entries a tail may hold unsent before it is closed (its client resumes from the store)
MAX_BEHIND = 10_000
PAGE = 500


class Tail:
    """One open stream: its filters, the last sequence number sent, and what is waiting to be sent."""

    def __init__(self, hub: "TailHub", where: EntryFilter, cursor: int, backlog_upto: int) -> None:
        self.hub = hub
        self.where = where
        self.cursor = cursor
        self.backlog_upto = backlog_upto
        self.pending: deque[AuditEntry] = deque()
        self.closed = False
        self.wake = asyncio.Event()

    @property
    def start_id(self) -> str:
        """Where the stream starts: a client that resumes from it before any entry arrives misses none."""
        return str(self.cursor)

    def offer(self, entry: AuditEntry) -> None:
        """Hand the tail an entry the hub read; it keeps it if its filters match."""
        if self.closed or not self.where.matches(entry):
            return
        if len(self.pending) >= MAX_BEHIND:
            log.info("a tail fell %d entries behind and is closed", MAX_BEHIND)
            self.close()
            return
        self.pending.append(entry)
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()

    async def events(self, timeout: float) -> list[Event] | None:
        """The next entries to send (the backlog first), or None after `timeout` seconds without any."""
        if self.cursor < self.backlog_upto:
            backlog = await self.hub.read(self.cursor, self.where, PAGE, self.backlog_upto)
            if len(backlog) < PAGE:
                self.backlog_upto = 0  # read to its end
            if backlog:
                return self._sent(backlog)
        if not self.pending and not self.closed:
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout)
            except asyncio.TimeoutError:
                return None
        batch = []
        while self.pending and len(batch) < PAGE:
            batch.append(self.pending.popleft())
        return self._sent(batch) if batch else None

    def _sent(self, entries: list[AuditEntry]) -> list[Event]:
        fresh = [entry for entry in entries if entry.seq is not None and entry.seq > self.cursor]
        if fresh:
            self.cursor = fresh[-1].seq  # type: ignore[assignment]
        return [Event("entry", self.hub.render(entry), str(entry.seq)) for entry in fresh]


class TailHub:
    """The tails of this process and the loop that feeds them."""

    def __init__(self, read_after: ReadAfter, last_seq: Callable[[], int], render: Callable[[AuditEntry], Any],
                 executor: Executor, *, poll_interval: float = 0.25, batch: int = 1000) -> None:
        self.read_after = read_after
        self.last_seq = last_seq
        self.render = render
        self.executor = executor
        self.poll_interval = poll_interval
        self.batch = batch
        self.tails: set[Tail] = set()
        #: the last sequence number handed to the tails; None while nobody listens
        self.mark: int | None = None
        self.polls = 0

    async def read(self, seq: int, where: EntryFilter | None, limit: int, upto: int | None) -> list[AuditEntry]:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.read_after, seq, where, limit, upto)

    async def listen(self, where: EntryFilter, last_id: int | None) -> Tail:
        """Open a tail: from `last_id` on if given (its backlog read from the store), else from now."""
        if self.mark is None:
            latest = await asyncio.get_running_loop().run_in_executor(self.executor, self.last_seq)
            if self.mark is None:
                self.mark = latest
        mark = self.mark
        # no await from here on: the tail joins exactly at `mark`, the hub offers it everything later
        cursor = mark if last_id is None else last_id
        tail = Tail(self, where, cursor, backlog_upto=mark)
        self.tails.add(tail)
        return tail

    def leave(self, tail: Tail) -> None:
        tail.close()
        self.tails.discard(tail)
        if not self.tails:
            self.mark = None  # nobody to tell: no query at all until the next tail

    def close(self) -> None:
        for tail in list(self.tails):
            tail.close()

    @property
    def streams(self) -> int:
        return len(self.tails)

    async def run(self) -> None:
        """Feed the tails until cancelled."""
        while True:
            if not await self.poll():
                await asyncio.sleep(self.poll_interval)

    async def poll(self) -> bool:
        """Read once what was stored after the mark and offer it; True if there may be more right away."""
        if self.mark is None or not self.tails:
            return False
        mark = self.mark
        try:
            entries = await self.read(mark, None, self.batch, None)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("the tail could not read the log; trying again", exc_info=True)
            return False
        self.polls += 1
        if self.mark != mark:  # everyone left (and maybe someone came) meanwhile: read again from the new mark
            return True
        for entry in entries:
            for tail in list(self.tails):
                tail.offer(entry)
            self.mark = entry.seq
        return len(entries) == self.batch
