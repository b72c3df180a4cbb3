"""What the counters count: one item per activity that needs attention, derived from the copies.

An item names two users it may count for: the owner of its record (`record` mode, Bitrix24's
default; an activity without a record, or whose record's owner is unknown, falls back to its own
responsible user) and the activity's own responsible user (`activity` mode). Which one counts is
decided when the counts are read, so a change of mode needs no recomputation.

- **planned**: an open task with a due time (or a start, for a timed task); whether it is overdue
  or due soon depends on the moment it is read, so the item only keeps its due time.
- **incoming**: an unprocessed inbound interaction (by its kind), or a comment on an open task
  that nobody responsible has answered yet (a later comment on the same task by the task's
  responsible user or the record's owner answers every earlier one). A comment never counts for
  its own author.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping, Sequence

from crm_shared.copies import KnownRecord

from crm_counters.domain.copies import CommentCopy, InteractionCopy, RecordRef, TaskCopy

PLANNED, INCOMING = "planned", "incoming"
COMMENT = "comment"
SYSTEM_USER = "system"
#: the copy of a record (its owner and name), None when no event of it arrived yet
Records = Callable[[RecordRef], KnownRecord | None]


@dataclass(frozen=True)
class Item:
    """One counted activity; `key` is `task:<id>`, `comment:<id>` or `interaction:<id>`."""

    key: str
    counter: str
    category: str | None
    due: datetime | None
    record: RecordRef | None
    record_user_id: str
    activity_user_id: str
    author_id: str | None = None


def task_key(task_id: str) -> str:
    return f"task:{task_id}"


def comment_key(comment_id: str) -> str:
    return f"comment:{comment_id}"


def interaction_key(entry_id: str) -> str:
    return f"interaction:{entry_id}"


def owner_of(record: RecordRef | None, records: Records) -> str | None:
    """Return the owner of a record, None when unknown (no event yet, deleted, or owned by nobody)."""
    known = records(record) if record is not None else None
    return known.owner_id if known is not None and not known.gone else None


def _named(record: RecordRef | None, records: Records) -> RecordRef | None:
    """Return the record named as its own events name it last (a rename), else as the activity names it."""
    known = records(record) if record is not None else None
    if record is None or known is None or not known.name:
        return record
    return RecordRef(record.type, record.id, known.name)


def planned_item(task: TaskCopy, records: Records) -> Item | None:
    """Return the planned item of an open task with a due time, None for any other task."""
    if not task.open or task.due is None:
        return None
    return Item(key=task_key(task.id), counter=PLANNED, category=None, due=task.due,
                record=_named(task.record, records),
                record_user_id=owner_of(task.record, records) or task.responsible_id,
                activity_user_id=task.responsible_id)


def comment_items(task: TaskCopy, comments: Iterable[CommentCopy], records: Records) -> list[Item]:
    """Return the incoming items of a task's comments: those on an open task nobody responsible answered."""
    if not task.open:
        return []
    record_user = owner_of(task.record, records) or task.responsible_id
    record = _named(task.record, records)
    answerers = {task.responsible_id, record_user}
    ordered = sorted(comments, key=lambda comment: (comment.created_at, comment.id))
    last_answer = max((comment.created_at for comment in ordered if comment.author_id in answerers), default=None)
    return [
        Item(key=comment_key(comment.id), counter=INCOMING, category=COMMENT, due=None, record=record,
             record_user_id=record_user, activity_user_id=task.responsible_id, author_id=comment.author_id)
        for comment in ordered if last_answer is None or comment.created_at > last_answer
    ]


def interaction_item(entry: InteractionCopy, records: Records) -> Item | None:
    """Return the incoming item of an unprocessed inbound entry, None for any other entry."""
    if not entry.incoming:
        return None
    # an inbound entry logged by the system (a call arriving) has no user of its own: its contact's owner answers it
    user = entry.user_id if entry.user_id and entry.user_id != SYSTEM_USER else None
    owner = owner_of(entry.contact, records)
    responsible = user or owner
    if responsible is None:
        return None
    return Item(key=interaction_key(entry.id), counter=INCOMING, category=entry.kind, due=None,
                record=_named(entry.contact, records), record_user_id=owner or responsible,
                activity_user_id=responsible)


def items_of_task(task: TaskCopy, comments: Iterable[CommentCopy], records: Records) -> list[Item]:
    """Return every item a task stands for: its planned item and its comments' incoming ones."""
    planned = planned_item(task, records)
    return ([planned] if planned else []) + comment_items(task, comments, records)


def derive(tasks: Iterable[TaskCopy], comments: Iterable[CommentCopy], entries: Iterable[InteractionCopy],
           records: Records) -> dict[str, Item]:
    """Return every item the copies stand for, by key: what a rebuild stores and a reconciliation expects."""
    by_task: dict[str, list[CommentCopy]] = {}
    for comment in comments:
        by_task.setdefault(comment.task_id, []).append(comment)
    items: list[Item] = []
    for task in tasks:
        items += items_of_task(task, by_task.get(task.id, ()), records)
    for entry in entries:
        item = interaction_item(entry, records)
        if item is not None:
            items.append(item)
    return {item.key: item for item in items}


def differences(stored: Mapping[str, Item], expected: Mapping[str, Item]) -> list[tuple[str, Item | None, Item | None]]:
    """Return (key, stored, expected) for every item that differs, missing and extra ones included, by key."""
    return [(key, stored.get(key), expected.get(key)) for key in sorted(stored.keys() | expected.keys())
            if stored.get(key) != expected.get(key)]


def users_of(items: Sequence[Item | None]) -> set[str]:
    """Return every user whose counts the items touch."""
    return {user for item in items if item is not None for user in (item.record_user_id, item.activity_user_id)}
