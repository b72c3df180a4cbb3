"""In-memory repositories of the tasks service, for use-case tests on the kit's fake unit of work."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from crm_shared.envelope import Actor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryCopies, InMemoryRepository
from crm_shared.visibility import Seer

from crm_tasks.domain.comments import Comment
from crm_tasks.domain.sharing import Share
from crm_tasks.domain.spaces import Space
from crm_tasks.domain.statuses import TaskSettings, TaskStatus, default_statuses
from crm_tasks.domain.task_types import TaskType, default_types
from crm_tasks.domain.tasks import Task
from crm_tasks.domain.templates import TaskTemplate


class InMemoryTypes(InMemoryRepository[TaskType]):
    def all(self) -> list[TaskType]:
        return list(self.items.values())

    def suggesting(self, type_id: str) -> list[TaskType]:
        return [t for t in self.items.values() if t.suggest_next and t.suggest_next.type_id == type_id
                and t.id != type_id]


class InMemoryStatuses:
    def __init__(self, statuses: Iterable[TaskStatus]) -> None:
        self.items = {status.id: status for status in statuses}

    def all(self, *, for_update: bool = False) -> list[TaskStatus]:
        return list(self.items.values())

    def add(self, status: TaskStatus) -> None:
        self.items[status.id] = status

    def save_all(self, statuses: Iterable[TaskStatus]) -> None:
        self.items.update({status.id: status for status in statuses})

    def remove(self, status_id: str) -> None:
        self.items.pop(status_id, None)


class InMemorySettings:
    def __init__(self, settings: TaskSettings = TaskSettings()) -> None:
        self.settings = settings

    def get(self, *, for_update: bool = False) -> TaskSettings:
        return self.settings

    def save(self, settings: TaskSettings) -> None:
        self.settings = settings


class InMemoryTasks(InMemoryRepository[Task]):
    def linking(self, record_id: str) -> list[Task]:
        return [task for task in self.items.values() if record_id in {link.id for link in task.links}]

    def uses_type(self, type_id: str) -> bool:
        return any(task.type_id == type_id for task in self.items.values())


class InMemoryShares:
    def __init__(self, *shares: Share) -> None:
        self.items = {(share.owner_id, share.grantee_id): share for share in shares}

    def given_to(self, grantee_id: str) -> dict[str, Share]:
        return {owner: share for (owner, grantee), share in self.items.items() if grantee == grantee_id}

    def put(self, share: Share) -> None:
        self.items[(share.owner_id, share.grantee_id)] = share


class InMemoryComments:
    def __init__(self) -> None:
        self.items: list[Comment] = []

    def add(self, comment: Comment) -> None:
        self.items.append(comment)


class InMemoryUsers:
    def __init__(self, **names: str) -> None:
        self.names = dict(names)

    def name(self, user_id: str) -> str | None:
        return self.names.get(user_id)

    def remember(self, user_id: str, name: str, sequence: int = 0) -> None:
        self.names[user_id] = name


class InMemoryPostSaleRuns:
    def __init__(self) -> None:
        self.claimed: set[tuple[str, int]] = set()

    def claim(self, deal_id: str, sequence: int, template_id: str, now: datetime) -> bool:
        if (deal_id, sequence) in self.claimed:
            return False
        self.claimed.add((deal_id, sequence))
        return True


def tasks_uow(user_id: str = "ann", name: str = "Ann Author", role: str = "user", *,
              types: Iterable[TaskType] | None = None, **repositories: Any) -> FakeUnitOfWork:
    """A fake unit of work acting and seeing as one user, with the defaults of a fresh installation."""
    ids = iter(f"id-{n}" for n in range(1000))
    defaults: dict[str, Any] = {
        "types": InMemoryTypes(types if types is not None else default_types(lambda: next(ids))),
        "statuses": InMemoryStatuses(default_statuses(lambda: next(ids))), "settings": InMemorySettings(),
        "tasks": InMemoryTasks(), "shares": InMemoryShares(), "comments": InMemoryComments(),
        "records": InMemoryCopies(), "users": InMemoryUsers(), "spaces": InMemoryRepository[Space](),
        "templates": InMemoryRepository[TaskTemplate](), "post_sale": InMemoryPostSaleRuns(),
    }
    return FakeUnitOfWork(actor=Actor(user_id, name), viewer=Seer(user_id, role=role, name=name),
                          **{**defaults, **repositories})


def as_user(uow: FakeUnitOfWork, user_id: str, name: str = "", role: str = "user") -> FakeUnitOfWork:
    """Return the same repositories acting and seeing as another user."""
    uow.actor = Actor(user_id, name or user_id)
    uow.viewer = Seer(user_id, role=role, name=name or user_id)
    return uow
