"""The errors every rule of the tasks domain raises: the kit's refusals (422 naming the fields, 409)."""
from __future__ import annotations

from typing import Any

from crm_shared.rules import RuleBroken, StateConflict


class TaskRuleBroken(RuleBroken):
    """A change that would leave a task, type, status, template, space or share invalid; `errors` names the fields."""


class TaskStateConflict(StateConflict):
    """An action the current state does not allow: completing a done task, reopening an open one."""


def broken(field: str, message: str) -> TaskRuleBroken:
    """Return the error of one field."""
    return TaskRuleBroken({field: [message]})


def text(field: str, value: Any, *, max_length: int, required: bool = True) -> str | None:
    """Return `value` trimmed; a required one must not be blank, none may be longer than `max_length`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise broken(field, "Must not be blank.")
        return None
    if not isinstance(value, str):
        raise broken(field, "Not a valid string.")
    trimmed = value.strip()
    if len(trimmed) > max_length:
        raise broken(field, f"At most {max_length} characters.")
    return trimmed


def whole_number(field: str, value: Any, *, low: int, high: int) -> int:
    """Return an integer between `low` and `high` (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise broken(field, "Not a valid integer.")
    if not low <= value <= high:
        raise broken(field, f"Must be between {low} and {high}.")
    return value
