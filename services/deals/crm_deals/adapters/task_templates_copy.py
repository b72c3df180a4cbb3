"""The deals service's own copy of the task templates its processes name: id, name, pending, gone."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import supersedes
from crm_shared.upsert import insert_missing

from crm_deals.adapters.tables import task_templates
from crm_deals.domain.task_templates import KnownTemplate

__all__ = ["KnownTemplate", "TemplateCopies"]


class TemplateCopies:
    """The copies of task templates, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownTemplate]:
        """Return the copies of these templates that exist; `for_update` holds their row locks until commit.

        A process naming a template locks its copy, so a deletion being applied meanwhile either
        waits for the process to commit (and then drops the id from it) or is seen as deleted.
        """
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(task_templates).where(task_templates.c.id.in_(wanted))
        rows = self.connection.execute(query.with_for_update() if for_update else query).mappings()
        return {row["id"]: _known(row) for row in rows}

    def add_pending(self, template_id: str, now: datetime) -> None:
        """Remember a template named before its event arrived; the event fills in the rest."""
        insert_missing(self.connection, task_templates, {
            "id": template_id, "name": None, "pending": True, "gone": False, "sequence": 0, "updated_at": now,
        })

    def apply(self, template: KnownTemplate, now: datetime) -> bool:
        """Store a template's newer state; return False when the copy already has a newer one (or it is gone)."""
        insert_missing(self.connection, task_templates, {
            "id": template.id, "name": None, "pending": True, "gone": False, "sequence": 0, "updated_at": now,
        })
        current = self.get_many([template.id], for_update=True)[template.id]
        if not supersedes(template, current):
            return False
        name = template.name if template.name is not None else current.name
        self.connection.execute(task_templates.update().where(task_templates.c.id == template.id).values(
            name=name, pending=False, gone=template.gone, sequence=template.sequence, updated_at=now))
        return True


def _known(row: object) -> KnownTemplate:
    return KnownTemplate(**{key: row[key] for key in ("id", "name", "pending", "gone", "sequence")})  # type: ignore[index]
