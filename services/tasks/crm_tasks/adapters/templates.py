"""Task templates and spaces, in the caller's transaction."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_tasks.adapters.tables import spaces, task_templates
from crm_tasks.domain.spaces import Space
from crm_tasks.domain.templates import TaskTemplate, TemplateItem

STAMPS = ("created_at", "created_by", "updated_at", "updated_by")


class TemplateRepository:
    """Task templates by name."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, template_id: str, *, for_update: bool = False) -> TaskTemplate | None:
        query = sa.select(task_templates).where(task_templates.c.id == template_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return _template(row) if row else None

    def all(self) -> list[TaskTemplate]:
        query = sa.select(task_templates).order_by(task_templates.c.name, task_templates.c.id)
        return [_template(row) for row in self.connection.execute(query).mappings()]

    def add(self, template: TaskTemplate) -> None:
        self.connection.execute(task_templates.insert(), _template_row(template))

    def save(self, template: TaskTemplate) -> None:
        self.connection.execute(task_templates.update().where(task_templates.c.id == template.id),
                                _template_row(template))

    def remove(self, template: TaskTemplate) -> None:
        self.connection.execute(task_templates.delete().where(task_templates.c.id == template.id))

    def using_type(self, type_id: str) -> list[TaskTemplate]:
        return [t for t in self.all() if any(item.type_id == type_id for item in t.items)]


class SpaceRepository:
    """Spaces by name."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, space_id: str, *, for_update: bool = False) -> Space | None:
        query = sa.select(spaces).where(spaces.c.id == space_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return _space(row) if row else None

    def all(self) -> list[Space]:
        query = sa.select(spaces).order_by(spaces.c.name, spaces.c.id)
        return [_space(row) for row in self.connection.execute(query).mappings()]

    def add(self, space: Space) -> None:
        self.connection.execute(spaces.insert(), _space_row(space))

    def save(self, space: Space) -> None:
        self.connection.execute(spaces.update().where(spaces.c.id == space.id), _space_row(space))

    def remove(self, space: Space) -> None:
        self.connection.execute(spaces.delete().where(spaces.c.id == space.id))


def _stamps(thing: Any) -> dict[str, Any]:
    return {name: getattr(thing, name) for name in STAMPS}


def _template(row: Any) -> TaskTemplate:
    return TaskTemplate(id=row["id"], version=row["version"], name=row["name"],
                        items=tuple(TemplateItem(**item) for item in row["items"]),
                        **{name: row[name] for name in STAMPS})


def _template_row(template: TaskTemplate) -> dict[str, Any]:
    return {"id": template.id, "version": template.version, **template.values(), **_stamps(template)}


def _space(row: Any) -> Space:
    return Space(id=row["id"], version=row["version"], name=row["name"], member_ids=tuple(row["member_ids"]),
                 **{name: row[name] for name in STAMPS})


def _space_row(space: Space) -> dict[str, Any]:
    return {"id": space.id, "version": space.version, **space.values(), **_stamps(space)}
