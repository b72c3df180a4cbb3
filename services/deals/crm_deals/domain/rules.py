"""The error every rule of the deals domain raises: which fields are wrong, and why."""
from __future__ import annotations

from crm_shared.rules import RuleBroken


class DealRuleBroken(RuleBroken):
    """A change that would leave a deal or a process invalid; `errors` names the fields (answered 422)."""


def broken(field: str, message: str) -> DealRuleBroken:
    """Return the error of one field."""
    return DealRuleBroken({field: [message]})
