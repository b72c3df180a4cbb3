"""Task types, statuses and the settings, in the caller's transaction."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_tasks.adapters.tables import task_settings, task_statuses, task_types
from crm_tasks.domain.statuses import TaskSettings, TaskStatus
from crm_tasks.domain.task_types import SuggestNext, TaskType


class TypeRepository:
    """Task types in the order they were added."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all(self) -> list[TaskType]:
        query = sa.select(task_types).order_by(task_types.c.position, task_types.c.id)
        return [_type(row) for row in self.connection.execute(query).mappings()]

    def get(self, type_id: str, *, for_update: bool = False) -> TaskType | None:
        query = sa.select(task_types).where(task_types.c.id == type_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return _type(row) if row else None

    def add(self, task_type: TaskType) -> None:
        position = self.connection.execute(sa.select(sa.func.coalesce(sa.func.max(task_types.c.position), -1))).scalar()
        self.connection.execute(task_types.insert(), {**_type_row(task_type), "position": int(position or 0) + 1})

    def save(self, task_type: TaskType) -> None:
        self.connection.execute(task_types.update().where(task_types.c.id == task_type.id), _type_row(task_type))

    def remove(self, task_type: TaskType) -> None:
        self.connection.execute(task_types.delete().where(task_types.c.id == task_type.id))

    def suggesting(self, type_id: str) -> list[TaskType]:
        """Return the other types whose rule suggests a task of this type."""
        return [t for t in self.all() if t.suggest_next and t.suggest_next.type_id == type_id and t.id != type_id]


class StatusRepository:
    """Task statuses in their order."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all(self, *, for_update: bool = False) -> list[TaskStatus]:
        query = sa.select(task_statuses).order_by(task_statuses.c.position, task_statuses.c.id)
        rows = self.connection.execute(query.with_for_update() if for_update else query).mappings()
        return [TaskStatus(id=row["id"], name=row["name"], position=row["position"], version=row["version"])
                for row in rows]

    def add(self, status: TaskStatus) -> None:
        self.connection.execute(task_statuses.insert(), status.as_dict())

    def save_all(self, statuses: list[TaskStatus]) -> None:
        for status in statuses:
            self.connection.execute(task_statuses.update().where(task_statuses.c.id == status.id),
                                    {"name": status.name, "position": status.position, "version": status.version})

    def remove(self, status_id: str) -> None:
        self.connection.execute(task_statuses.delete().where(task_statuses.c.id == status_id))


class SettingsRepository:
    """The one row of task settings (made by the first migration)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, *, for_update: bool = False) -> TaskSettings:
        query = sa.select(task_settings.c.statuses_enabled, task_settings.c.version).where(task_settings.c.id == 1)
        row = self.connection.execute(query.with_for_update() if for_update else query).one()
        return TaskSettings(statuses_enabled=bool(row.statuses_enabled), version=row.version)

    def save(self, settings: TaskSettings) -> None:
        self.connection.execute(task_settings.update().where(task_settings.c.id == 1),
                                {"statuses_enabled": settings.statuses_enabled, "version": settings.version})


def _type(row: Any) -> TaskType:
    rule = row["suggest_next"]
    return TaskType(id=row["id"], version=row["version"], name=row["name"],
                    suggest_next=SuggestNext(**rule) if rule else None)


def _type_row(task_type: TaskType) -> dict[str, Any]:
    values = task_type.values()
    return {"id": task_type.id, "version": task_type.version, "name": values["name"],
            "suggest_next": values["suggest_next"]}
