"""Turning the domain's rule errors into the suite's problems."""
from __future__ import annotations

from typing import Callable, TypeVar

from crm_shared.errors import Conflict, ValidationFailed

from crm_deals.domain.deals import DealStateConflict
from crm_deals.domain.rules import DealRuleBroken

T = TypeVar("T")


def obey_rules(action: Callable[[], T]) -> T:
    """Run a domain action; a broken rule is a 422 naming the field, a wrong status a 409."""
    try:
        return action()
    except DealRuleBroken as broken:
        raise ValidationFailed(broken.errors) from broken
    except DealStateConflict as conflict:
        raise Conflict(str(conflict)) from conflict
