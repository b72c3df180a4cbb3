"""Field-level changes: what an audit entry shows as before and after."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class Change:
    """One field's value before and after a change."""

    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        """Return the wire shape `{"field","before","after"}`."""
        return {"field": self.field, "before": self.before, "after": self.after}


def diff(before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]) -> list[Change]:
    """List the fields whose values differ between two states, in the order given."""
    return [
        Change(name, before.get(name), after.get(name))
        for name in fields
        if before.get(name) != after.get(name)
    ]


def created(state: Mapping[str, Any], fields: Iterable[str]) -> list[Change]:
    """List every set field of a new object as a change from nothing."""
    return [Change(name, None, state[name]) for name in fields if not _empty(state.get(name))]


def deleted(state: Mapping[str, Any], fields: Iterable[str]) -> list[Change]:
    """List every set field of a removed object as a change to nothing."""
    return [Change(name, state[name], None) for name in fields if not _empty(state.get(name))]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
