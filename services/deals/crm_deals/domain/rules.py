"""The error every rule of the deals domain raises: which fields are wrong, and why."""
from __future__ import annotations

from typing import Mapping


class DealRuleBroken(ValueError):
    """A change that would leave a deal or a process invalid; `errors` names the fields."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in errors.items()))
        self.errors = dict(errors)


def broken(field: str, message: str) -> DealRuleBroken:
    """Return the error of one field."""
    return DealRuleBroken({field: [message]})
