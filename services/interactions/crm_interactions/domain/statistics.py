"""Statistics of logged entries (INT-8, Business Central's FactBoxes): count, cost and duration, split by
communication method and by initiator. Canceled entries do not count."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from crm_interactions.domain.templates import money_text


@dataclass(frozen=True)
class Group:
    """Entries of one method and one initiator: how many, their cost and their duration summed."""

    method: str
    initiated_by: str
    count: int
    cost: Decimal
    duration_minutes: int


@dataclass
class Totals:
    count: int = 0
    cost: Decimal = Decimal("0")
    duration_minutes: int = 0

    def add(self, group: Group) -> None:
        self.count += group.count
        self.cost += group.cost
        self.duration_minutes += group.duration_minutes

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "total_cost": money_text(self.cost), "total_duration_minutes": self.duration_minutes}


@dataclass
class Statistics:
    """The totals, and the same per method and per initiator."""

    totals: Totals = field(default_factory=Totals)
    by_method: dict[str, Totals] = field(default_factory=dict)
    by_initiator: dict[str, Totals] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.totals.as_dict(),
                "by_method": {name: totals.as_dict() for name, totals in sorted(self.by_method.items())},
                "by_initiator": {name: totals.as_dict() for name, totals in sorted(self.by_initiator.items())}}


def statistics_of(groups: Iterable[Group]) -> Statistics:
    """Sum the groups into the totals and the splits."""
    result = Statistics()
    for group in groups:
        result.totals.add(group)
        result.by_method.setdefault(group.method, Totals()).add(group)
        result.by_initiator.setdefault(group.initiated_by, Totals()).add(group)
    return result
