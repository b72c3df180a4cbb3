"""Fixtures of the tasks domain's unit tests: a catalog of types, statuses and users, and a task factory."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

import pytest

from crm_tasks.domain.catalog import TaskCatalog
from crm_tasks.domain.statuses import default_statuses
from crm_tasks.domain.task_types import SuggestNext, TaskType
from crm_tasks.domain.tasks import Task, new_task

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
USERS = {"ann": "Ann Author", "bob": "Bob Boss", "cid": "Cid Colleague"}
TYPES = {
    "email": TaskType("email", 1, "Email", SuggestNext("call", "Call back", 60 * 24 * 2)),
    "call": TaskType("call", 1, "Call"),
    "meeting": TaskType("meeting", 1, "Meeting"),
}

MakeTask = Callable[..., Task]


@pytest.fixture
def catalog() -> TaskCatalog:
    return TaskCatalog(types=TYPES, user_names=USERS.get)


@pytest.fixture
def catalog_with_statuses() -> TaskCatalog:
    ids = iter(("todo", "doing", "done"))
    return TaskCatalog(types=TYPES, statuses=default_statuses(lambda: next(ids)), user_names=USERS.get)


@pytest.fixture
def make_task(catalog: TaskCatalog) -> MakeTask:
    def make(actor_id: str = "ann", catalog: TaskCatalog = catalog, **values: Any) -> Task:
        return new_task({"title": "Send the offer", "type_id": "email", **values}, id="t1", catalog=catalog,
                        actor_id=actor_id, now=NOW)
    return make
