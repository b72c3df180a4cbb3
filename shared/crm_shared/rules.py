"""The refusals of domain rules, free of any framework: services raise them, the web layer answers.

`crm_shared.problems` maps each kind once to its answer: a broken rule is 422 naming the
fields, a record in the wrong state 409, a record locked by someone else 423 naming the holder.
"""
from __future__ import annotations

from typing import Any, Mapping


class DomainError(Exception):
    """A change the domain refuses; `extra` goes into the answer beside the detail."""

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.extra = extra


class RuleBroken(DomainError, ValueError):
    """A change that would leave a record invalid; `errors` names the fields and says why."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {', '.join(messages)}" for name, messages in errors.items()))
        self.errors = dict(errors)


def broken(field: str, message: str) -> RuleBroken:
    """Return the error of one field."""
    return RuleBroken({field: [message]})


class StateConflict(DomainError):
    """The record's state does not allow the change (closed, invalidated, …)."""


class RecordLocked(DomainError):
    """The record is locked by someone else; only they (or an admin) can unlock it."""

    def __init__(self, detail: str, *, holder_id: str | None, holder_name: str | None) -> None:
        super().__init__(detail, holder={"id": holder_id, "name": holder_name})
        self.holder_id = holder_id
        self.holder_name = holder_name
