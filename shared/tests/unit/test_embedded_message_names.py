"""The embedded transport names message files by a time that only grows within a process."""
from __future__ import annotations

import pytest

from crm_shared import bus


def test_a_wall_clock_stepping_back_does_not_make_a_later_message_sort_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings = iter([1_000_000, 2_000_000, 1_500_000, 1_500_000, 3_000_000])
    monkeypatch.setattr(bus.time, "time_ns", lambda: next(readings))
    monkeypatch.setattr(bus, "_last_stamp", 0)
    stamps = [bus._next_stamp() for _ in range(5)]
    assert stamps == [1_000_000, 2_000_000, 2_000_001, 2_000_002, 3_000_000]
