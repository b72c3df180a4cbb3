"""The live hub: counts at connect, a push after a change mark, a push when time alone changes them."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable

import pytest

from crm_shared.types import utcnow

from crm_counters.live.hub import Hub


class World:
    """What the hub reads: each user's counts (and when they change by themselves) and the change marks."""

    def __init__(self) -> None:
        self.planned: dict[str, int] = {}
        self.changes_at: dict[str, tuple[datetime, int]] = {}
        self.marks: dict[str, int] = {}
        self.computed: list[str] = []

    def compute(self, user: str) -> tuple[dict[str, Any], datetime | None]:
        self.computed.append(user)
        moment = self.changes_at.get(user)
        if moment and utcnow() >= moment[0]:
            self.planned[user] = moment[1]
            del self.changes_at[user]
            moment = None
        return {"user_id": user, "planned": self.planned.get(user, 0), "as_of": utcnow().isoformat()}, \
            moment[0] if moment else None

    def mark(self, user: str, planned: int) -> None:
        self.planned[user] = planned
        self.marks[user] = self.marks.get(user, 0) + 1


def run(test: Callable[[Hub, World], Awaitable[None]]) -> None:
    world = World()

    async def main() -> None:
        with ThreadPoolExecutor(2) as executor:
            hub = Hub(world.compute, lambda users: {u: v for u, v in world.marks.items() if u in users}, executor,
                      clock=utcnow, poll_interval=0.02)
            loop = asyncio.create_task(hub.run())
            try:
                await test(hub, world)
            finally:
                loop.cancel()
    asyncio.run(main())


def test_a_stream_gets_the_current_counts_at_once_and_new_ones_after_a_change() -> None:
    async def test(hub: Hub, world: World) -> None:
        world.planned["ann"] = 2
        stream = await hub.listen("ann")
        assert (await stream.next(1))["planned"] == 2
        world.mark("ann", 3)
        assert (await stream.next(1))["planned"] == 3
        world.mark("bob", 1)  # nobody listens to bob: he is not even computed
        world.mark("ann", 3)  # a mark without a different count pushes nothing
        assert await stream.next(0.2) is None
        assert "bob" not in world.computed
    run(test)


def test_counts_that_change_as_time_passes_are_pushed_at_that_moment_without_any_mark() -> None:
    async def test(hub: Hub, world: World) -> None:
        moment = utcnow() + timedelta(seconds=0.3)
        world.changes_at["ann"] = (moment, 1)
        stream = await hub.listen("ann")
        assert (await stream.next(1))["planned"] == 0
        pushed = await stream.next(2)
        assert pushed is not None and pushed["planned"] == 1
        assert utcnow() >= moment
    run(test)


def test_a_global_mark_refreshes_every_listener_and_a_left_stream_is_forgotten() -> None:
    async def test(hub: Hub, world: World) -> None:
        ann, bob = await hub.listen("ann"), await hub.listen("bob")
        await ann.next(1), await bob.next(1)
        world.planned.update(ann=5, bob=6)
        world.marks["*"] = 1
        assert ((await ann.next(1))["planned"], (await bob.next(1))["planned"]) == (5, 6)
        hub.leave(bob)
        assert hub.streams == 1 and "bob" not in hub.sent
    run(test)


def test_two_streams_of_one_user_both_get_the_push() -> None:
    async def test(hub: Hub, world: World) -> None:
        first, second = await hub.listen("ann"), await hub.listen("ann")
        await first.next(1), await second.next(1)
        world.mark("ann", 4)
        assert [(await s.next(1))["planned"] for s in (first, second)] == [4, 4]
    run(test)


def test_a_stream_whose_first_counts_cannot_be_read_is_not_kept() -> None:
    async def test(hub: Hub, world: World) -> None:
        def broken(_user: str) -> Any:
            raise ConnectionError("the database is away")
        hub.compute = broken
        with pytest.raises(ConnectionError):
            await hub.listen("ann")
        assert hub.streams == 0 and hub.listeners == {}
    run(test)
