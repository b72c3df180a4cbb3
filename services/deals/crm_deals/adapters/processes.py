"""Reading and writing sales processes with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

from dataclasses import fields
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_deals.adapters.tables import deals, processes, task_templates
from crm_deals.domain.deals import OPEN
from crm_deals.domain.processes import Process, Stage


#: Default processes sort first: rank 0, the others 1.
_RANK = sa.case((processes.c.is_default.is_(True), 0), else_=1)
#: The types of a processes cursor: the rank, the name, the id.
CURSOR_TYPES = (int, str, str)


def _template_name(column: sa.Column) -> sa.ScalarSelect:
    return sa.select(task_templates.c.name).where(task_templates.c.id == column).scalar_subquery()


#: A process with the names of its post-sale task templates, from the copy of templates.
_SELECT = sa.select(
    processes,
    _template_name(processes.c.won_task_template_id).label("won_task_template_name"),
    _template_name(processes.c.lost_task_template_id).label("lost_task_template_name"),
)


def sort_key(process: Process) -> list[Any]:
    """Return the cursor key of a process."""
    return [0 if process.is_default else 1, process.name, process.id]


class ProcessRepository:
    """Sales processes, their stages kept as JSON in order."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, process_id: str, *, for_update: bool = False) -> Process | None:
        """Load a process by id; with `for_update`, hold its row lock until commit."""
        query = _SELECT.where(processes.c.id == process_id)
        row = self.connection.execute(query.with_for_update(of=processes) if for_update else query).mappings().first()
        return _to_process(row) if row else None

    def default(self) -> Process | None:
        """Return the default process (the oldest one marked default)."""
        query = _SELECT.where(processes.c.is_default.is_(True)).order_by(processes.c.created_at)
        row = self.connection.execute(query.limit(1)).mappings().first()
        return _to_process(row) if row else None

    def list(self, *, limit: int, after: list[Any] | None = None) -> list[Process]:
        """Return up to `limit` processes, the default ones first, then by name, after the cursor key."""
        key = sa.tuple_(_RANK, processes.c.name, processes.c.id)
        query = _SELECT.order_by(_RANK, processes.c.name, processes.c.id).limit(limit)
        if after is not None:
            query = query.where(key > sa.tuple_(*map(sa.literal, after)))
        return [_to_process(row) for row in self.connection.execute(query).mappings()]

    def add(self, process: Process) -> None:
        """Insert a new process."""
        self.connection.execute(processes.insert().values(_process_row(process)))

    def save(self, process: Process) -> None:
        """Write a changed process, and its current names onto its deals."""
        self.connection.execute(
            processes.update().where(processes.c.id == process.id).values(_process_row(process))
        )
        self.connection.execute(
            deals.update().where(deals.c.process_id == process.id).values(process_name=process.name)
        )
        for stage in process.stages:
            self.connection.execute(
                deals.update()
                .where(deals.c.stage_id == stage.id, deals.c.stage_name != stage.name)
                .values(stage_name=stage.name)
            )

    def naming_template(self, template_id: str) -> list[Process]:
        """Return the processes naming this task template for won or lost deals, their rows locked."""
        query = _SELECT.where(sa.or_(processes.c.won_task_template_id == template_id,
                                     processes.c.lost_task_template_id == template_id))
        rows = self.connection.execute(query.order_by(processes.c.id).with_for_update(of=processes)).mappings()
        return [_to_process(row) for row in rows]

    def stages_used_by_open_deals(self, stage_ids: Iterable[str]) -> set[str]:
        """Return which of these stages an open deal is in."""
        ids = list(stage_ids)
        if not ids:
            return set()
        query = sa.select(deals.c.stage_id).where(deals.c.stage_id.in_(ids), deals.c.status == OPEN).distinct()
        return set(self.connection.execute(query).scalars())


def _process_row(process: Process) -> dict[str, Any]:
    row = {f.name: getattr(process, f.name) for f in fields(process) if f.name in processes.c}
    row["stages"] = [stage.as_dict() for stage in process.stages]
    return row


def _to_process(row: Any) -> Process:
    data = dict(row)
    data["stages"] = [Stage(item["id"], item["name"]) for item in data["stages"]]
    data["retired_stages"] = dict(data["retired_stages"] or {})
    return Process(**data)
