"""Recomputing the items one copy stands for, and marking the users whose counts they change.

The consumer and the rebuild use the same derivation (`crm_counters.domain.items`), so a
reconciliation compares the stored items with exactly what the copies stand for.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from crm_counters.domain.copies import InteractionCopy, RecordRef, TaskCopy
from crm_counters.domain.items import (Item, comment_key, differences, interaction_item, interaction_key,
                                       items_of_task, task_key, users_of)


def refresh_task(uow: Any, task: TaskCopy, now: datetime) -> None:
    """Recompute a task's planned item and its comments' incoming ones."""
    comments = uow.copies.comments_of(task.id)
    keys = [task_key(task.id), *(comment_key(comment.id) for comment in comments)]
    replace_items(uow, keys, items_of_task(task, comments, uow.records.find), now)


def refresh_entry(uow: Any, entry: InteractionCopy, now: datetime) -> None:
    """Recompute an interaction entry's incoming item."""
    item = interaction_item(entry, uow.records.find)
    replace_items(uow, [interaction_key(entry.id)], [item] if item else [], now)


def refresh_records(uow: Any, refs: list[RecordRef], now: datetime) -> None:
    """Recompute the items of every task and interaction entry of these records (their owner or name changed)."""
    if not refs:
        return
    tasks, entries = uow.copies.activities_of(refs)
    for task in tasks:
        refresh_task(uow, task, now)
    for entry in entries:
        refresh_entry(uow, entry, now)


def replace_items(uow: Any, keys: Iterable[str], fresh: list[Item], now: datetime) -> None:
    """Store the fresh items in place of those with these keys; mark the users whose counts change."""
    before = uow.items.replace(keys, fresh)
    changed = differences(before, {item.key: item for item in fresh})
    uow.marks.mark(users_of([item for _, old, new in changed for item in (old, new)]), now)
