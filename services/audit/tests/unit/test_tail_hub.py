"""The tail hub: one read per poll for every tail, filters applied per tail, a resumed tail's backlog first
and then what arrived meanwhile, each entry once and in stored order."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Awaitable, Callable

import pytest

from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_audit.live import tail as tail_module
from crm_audit.live.tail import Tail, TailHub

from ..conftest import T0


class Log:
    """An in-memory store numbered like the consumer numbers it; counts the reads."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.reads = 0

    def add(self, object_type: str = "person", operation: str = "updated") -> AuditEntry:
        seq = len(self.entries) + 1
        entry = AuditEntry(id=f"e-{seq}", occurred_at=T0, user_id="u-1", user_name="Eva", channel="api",
                           object_type=object_type, object_id=f"o-{seq}", object_name=None, object_link=None,
                           operation=operation)
        self.entries.append(replace(entry, seq=seq))
        return self.entries[-1]

    def after(self, seq: int, where: EntryFilter | None, limit: int, upto: int | None) -> list[AuditEntry]:
        self.reads += 1
        found = [e for e in self.entries if e.seq > seq and (upto is None or e.seq <= upto)  # type: ignore[operator]
                 and (where is None or where.matches(e))]
        return found[:limit]

    def last(self) -> int:
        return len(self.entries)


def run(test: Callable[[TailHub, Log], Awaitable[None]]) -> None:
    log = Log()

    async def main() -> None:
        with ThreadPoolExecutor(2) as executor:
            hub = TailHub(log.after, log.last, lambda e: e.id, executor, poll_interval=0.01)
            loop = asyncio.create_task(hub.run())
            try:
                await test(hub, log)
            finally:
                loop.cancel()
                await asyncio.gather(loop, return_exceptions=True)

    asyncio.run(main())


async def ids(tail: Tail, count: int) -> list[str]:
    got: list[str] = []
    while len(got) < count:
        events = await tail.events(1.0)
        assert events is not None, f"only {got} arrived"
        got += [event.data for event in events]
    return got


def test_a_new_tail_starts_at_the_end_and_gets_only_entries_its_filters_match() -> None:
    async def test(hub: TailHub, log: Log) -> None:
        log.add()
        deals = await hub.listen(EntryFilter(object_type="deal"), None)
        everything = await hub.listen(EntryFilter(), None)
        log.add("person"), log.add("deal"), log.add("deal", "deleted")
        assert await ids(deals, 2) == ["e-3", "e-4"]
        assert await ids(everything, 3) == ["e-2", "e-3", "e-4"]
        assert await deals.events(0.05) is None  # nothing more: time for a keep-alive

    run(test)


def test_a_resumed_tail_gets_its_backlog_then_the_live_entries_each_once_in_order() -> None:
    async def test(hub: TailHub, log: Log) -> None:
        watcher = await hub.listen(EntryFilter(), None)
        for _ in range(1200):  # more than a page of backlog
            log.add()
        await ids(watcher, 1200)
        resumed = await hub.listen(EntryFilter(), 7)
        log.add()
        got = await ids(resumed, 1194)
        assert got == [f"e-{n}" for n in range(8, 1202)]
        assert [event.id for event in await resumed.events(0.05) or []] == []

    run(test)


def test_one_read_per_poll_serves_every_tail_and_nobody_listening_means_no_reads() -> None:
    async def test(hub: TailHub, log: Log) -> None:
        tails = [await hub.listen(EntryFilter(), None) for _ in range(50)]
        await asyncio.sleep(0.1)
        reads, polls = log.reads, hub.polls
        log.add()
        for tail in tails:
            assert await ids(tail, 1) == ["e-1"]
        assert log.reads - reads == hub.polls - polls  # one query a poll, whatever the number of tails
        for tail in tails:
            hub.leave(tail)
        await asyncio.sleep(0.05)
        quiet = log.reads
        await asyncio.sleep(0.1)
        assert log.reads == quiet and hub.mark is None

    run(test)


def test_a_tail_too_far_behind_is_closed_so_that_its_client_resumes_from_the_store(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tail_module, "MAX_BEHIND", 5)

    async def test(hub: TailHub, log: Log) -> None:
        slow = await hub.listen(EntryFilter(), None)
        for _ in range(10):
            log.add()
        await asyncio.sleep(0.1)
        assert slow.closed

    run(test)
