"""A task's recurrence: one RFC 5545 RRULE, checked by python-dateutil against the task's first time."""
from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

from dateutil.rrule import rrulestr

from crm_tasks.domain.rules import broken

MAX_LENGTH = 500
PREFIX = "RRULE:"
#: RFC 5545 3.3.10 value ranges the parser lets through: (lowest, highest, may be negative)
RANGES = {
    "INTERVAL": (1, 10_000, False), "COUNT": (1, 100_000, False), "BYSECOND": (0, 60, False),
    "BYMINUTE": (0, 59, False), "BYHOUR": (0, 23, False), "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True), "BYWEEKNO": (1, 53, True), "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}


def recurrence(value: Any, anchor: datetime | None) -> str | None:
    """Return the rule in its canonical form (upper case, no `RRULE:` prefix), or None for no recurrence."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise broken("rrule", "Not a valid string.")
    rule = value.strip().upper()
    rule = rule[len(PREFIX):] if rule.startswith(PREFIX) else rule
    if len(rule) > MAX_LENGTH or any(char in rule for char in ":\r\n"):
        raise broken("rrule", f"One RRULE value of at most {MAX_LENGTH} characters, e.g. FREQ=WEEKLY;BYDAY=MO.")
    if anchor is None:
        raise broken("rrule", "A recurring task needs a start or a due time.")
    _parse(rule, anchor)
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    if {"COUNT", "UNTIL"} <= parts.keys():
        raise broken("rrule", "COUNT and UNTIL must not both be given (RFC 5545).")
    for name, value in parts.items():
        if name in RANGES and not all(_in_range(number, *RANGES[name]) for number in value.split(",")):
            low, high, signed = RANGES[name]
            raise broken("rrule", f"{name} takes {'±' if signed else ''}{low}…{high}.")
    return rule


def _in_range(number: str, low: int, high: int, signed: bool) -> bool:
    value = int(number)
    return low <= (abs(value) if signed else value) <= high


def _parse(rule: str, anchor: datetime) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rrulestr(rule, dtstart=anchor)
    except (ValueError, TypeError, KeyError, OverflowError, Warning) as exc:
        raise broken("rrule", f"Not a valid RFC 5545 RRULE: {str(exc).rstrip('.') or type(exc).__name__}.") from None
