"""The smaller fields of a task, each read and checked on its own: priority, reminders, people."""
from __future__ import annotations

from typing import Any, Sequence

from crm_tasks.domain.rules import broken, whole_number

PRIORITIES = ("low", "normal", "high")
MAX_REMINDERS = 10
#: the earliest a reminder may ring: four weeks before
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60
MAX_MEMBERS = 100
MAX_USER_ID_LENGTH = 64


def priority(value: Any) -> str:
    if value not in PRIORITIES:
        raise broken("priority", f"One of {', '.join(PRIORITIES)}.")
    return str(value)


def flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise broken(field, "Not a valid boolean.")
    return value


def reminders(values: Sequence[Any] | None) -> tuple[int, ...]:
    """Return the minutes before the task at which to remind, each once, soonest last."""
    if values is None:
        return ()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise broken("reminders", "A list of minutes before the task.")
    minutes = {whole_number(f"reminders.{index}", value, low=0, high=MAX_REMINDER_MINUTES)
               for index, value in enumerate(values)}
    if len(minutes) > MAX_REMINDERS:
        raise broken("reminders", f"At most {MAX_REMINDERS} reminders.")
    return tuple(sorted(minutes, reverse=True))


def user_id(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_USER_ID_LENGTH:
        raise broken(field, "Give a user id.")
    return value.strip()


def member_ids(values: Sequence[Any] | None) -> tuple[str, ...]:
    """Return the members' ids in order, each once."""
    if values is None:
        return ()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise broken("member_ids", "A list of user ids.")
    ids = tuple(dict.fromkeys(user_id(f"member_ids.{index}", value) for index, value in enumerate(values)))
    if len(ids) > MAX_MEMBERS:
        raise broken("member_ids", f"At most {MAX_MEMBERS} members.")
    return ids
