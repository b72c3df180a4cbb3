"""Each user's tasks as an iCalendar feed at a secret URL (TSK-10), the sharing rule applied.

The secret is shown once, when made; only its SHA-256 is stored, so a copy of the database
reveals no feed. Rotating makes a new secret and the old URL answers 404. The feed holds the
user's own tasks (author, responsible, member) and those others share with them, each as the
share allows (free/busy ones as "Busy"); an admin's or manager's wider view stays out of it.
"""
from __future__ import annotations

import hashlib
import secrets
from typing import Any, Callable

from crm_shared.errors import NotFound
from crm_shared.types import utcnow
from crm_shared.visibility import Seer

from crm_tasks.domain.sharing import access
from crm_tasks.domain.task_query import TaskQuery
from crm_tasks.feeds.ics import render_calendar
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

#: the most tasks one feed carries (newest first)
MAX_FEED_TASKS = 2000
FEED_PATH = "/api/v1/task-feed/{secret}.ics"


def rotate_feed(uow: TasksUnitOfWork) -> str:
    """Give the caller a new feed secret (the old one stops working) and return the feed's path."""
    secret = secrets.token_urlsafe(32)
    with uow:
        uow.feeds.put(uow.viewer.id, _hash(secret), utcnow())
        uow.commit()
    return FEED_PATH.format(secret=secret)


def render_feed(uows: Callable[..., TasksUnitOfWork], secret: str) -> bytes:
    """Return the calendar of the feed with this secret; an unknown or rotated secret is missing."""
    with uows().reading() as uow:
        owner = uow.feeds.owner_of(_hash(secret))
    if owner is None:
        raise NotFound("No such calendar feed.")
    viewer = Seer(id=owner)
    with uows(viewer=viewer).reading() as uow:
        shares = uow.shares.given_to(viewer.id)
        tasks = uow.tasks.list(TaskQuery(limit=MAX_FEED_TASKS - 1, viewer=viewer, shares=shares))
        entries: list[tuple[Any, str]] = [(task, access(viewer, task, shares)) for task in tasks]
    return render_calendar(entries, name="CRM tasks", now=utcnow())


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
