"""Reading and writing tasks with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.links import Link
from crm_shared.visibility import visible_owners

from crm_tasks.adapters.tables import records, spaces, task_links, task_members, tasks
from crm_tasks.domain.schedule import FIELDS as TIMES, Schedule
from crm_tasks.domain.sharing import NONE, Share
from crm_tasks.domain.task_query import TaskQuery
from crm_tasks.domain.tasks import Task

#: the types of a cursor key: the creation time, then the id (newest first)
CURSOR_TYPES = (datetime, str)


def sort_key(task: Task) -> list[Any]:
    return [task.created_at.isoformat(), task.id]


class TaskRepository:
    """Tasks whole in their table; members and links also in index tables to be found by them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, task_id: str, *, for_update: bool = False) -> Task | None:
        query = sa.select(tasks.c.body).where(tasks.c.id == task_id)
        body = self.connection.execute(query.with_for_update() if for_update else query).scalar()
        return self._named([body])[0] if body is not None else None

    def add(self, task: Task) -> None:
        self.connection.execute(tasks.insert(), _row(task))
        self._write_index(task)

    def save(self, task: Task) -> None:
        self.connection.execute(tasks.update().where(tasks.c.id == task.id), _row(task))
        self._clear_index(task.id)
        self._write_index(task)

    def remove(self, task: Task) -> None:
        self._clear_index(task.id)
        self.connection.execute(tasks.delete().where(tasks.c.id == task.id))

    def linking(self, record_id: str) -> list[Task]:
        """Return the tasks linked to a record, locked for update, in id order."""
        linked = sa.select(task_links.c.task_id).where(task_links.c.link_id == record_id)
        query = sa.select(tasks.c.body).where(tasks.c.id.in_(linked)).order_by(tasks.c.id).with_for_update()
        return self._named(list(self.connection.execute(query).scalars()))

    def uses_type(self, type_id: str) -> bool:
        return self.connection.execute(sa.select(tasks.c.id).where(tasks.c.type_id == type_id).limit(1)).first() is not None

    def uses_status(self, status_id: str) -> bool:
        query = sa.select(tasks.c.id).where(tasks.c.status_id == status_id).limit(1)
        return self.connection.execute(query).first() is not None

    def list(self, query: TaskQuery) -> list[Task]:
        """Return up to `limit + 1` tasks the viewer may see after the cursor key, newest first."""
        statement = sa.select(tasks.c.body).where(*filters(query))
        if query.after is not None:
            key = sa.tuple_(tasks.c.created_at, tasks.c.id)
            bound = sa.tuple_(sa.literal(query.after[0], tasks.c.created_at.type), sa.literal(query.after[1]))
            statement = statement.where(key < bound)
        statement = statement.order_by(tasks.c.created_at.desc(), tasks.c.id.desc()).limit(query.limit + 1)
        return self._named(list(self.connection.execute(statement).scalars()))

    def _write_index(self, task: Task) -> None:
        if task.member_ids:
            self.connection.execute(task_members.insert(), [{"task_id": task.id, "user_id": m} for m in task.member_ids])
        if task.links:
            self.connection.execute(task_links.insert(), [
                {"task_id": task.id, "link_type": link.type, "link_id": link.id} for link in task.links])

    def _clear_index(self, task_id: str) -> None:
        self.connection.execute(task_members.delete().where(task_members.c.task_id == task_id))
        self.connection.execute(task_links.delete().where(task_links.c.task_id == task_id))

    def _named(self, bodies: list[Mapping[str, Any]]) -> list[Task]:
        """Rebuild tasks, their links named from the copies (None while a record is pending)."""
        ids = {link["id"] for body in bodies for link in body.get("links") or ()}
        known = linked_records(self.connection, ids)
        return [to_task(body, known) for body in bodies]


def linked_records(connection: Connection, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """Return the names and owners of linked records and spaces by id, as known now."""
    wanted = list(ids)
    if not wanted:
        return {}
    found = {row.id: (row.name, row.owner_id) for row in connection.execute(
        sa.select(records.c.id, records.c.name, records.c.owner_id).where(records.c.id.in_(wanted)))}
    found.update({row.id: (row.name, None) for row in connection.execute(
        sa.select(spaces.c.id, spaces.c.name).where(spaces.c.id.in_(wanted)))})
    return found


def filters(query: TaskQuery) -> list[Any]:
    """Return the SQL conditions of a task query, the sharing rule included."""
    conditions: list[Any] = [_visible(query)]
    for name in ("responsible_id", "type_id", "status_id"):
        if getattr(query, name):
            conditions.append(tasks.c[name] == getattr(query, name))
    if query.done is not None:
        conditions.append(tasks.c.done == query.done)
    if query.due_from is not None:
        conditions.append(tasks.c.at >= query.due_from)
    if query.due_to is not None:
        conditions.append(tasks.c.at <= query.due_to)
    if query.link_id:
        linked = sa.select(task_links.c.task_id).where(task_links.c.link_id == query.link_id)
        if query.link_type:
            linked = linked.where(task_links.c.link_type == query.link_type)
        conditions.append(tasks.c.id.in_(linked))
    elif query.link_type:
        conditions.append(tasks.c.id.in_(sa.select(task_links.c.task_id).where(task_links.c.link_type == query.link_type)))
    return conditions


def _visible(query: TaskQuery) -> Any:
    """The sharing rule (crm_tasks.domain.sharing.access) as SQL: exactly the tasks not answered as missing."""
    viewer = query.viewer
    own = sa.or_(
        tasks.c.created_by == viewer.id, tasks.c.responsible_id == viewer.id,
        tasks.c.id.in_(sa.select(task_members.c.task_id).where(task_members.c.user_id == viewer.id)),
    )
    owners = visible_owners(viewer)
    if owners is None:
        return sa.or_(own, tasks.c.private.is_(False))
    reach = [tasks.c.responsible_id.in_(owners)] + [_shared(share) for share in query.shares.values()]
    return sa.or_(own, sa.and_(tasks.c.private.is_(False), sa.or_(*reach)))


def _shared(share: Share) -> Any:
    by_owner = tasks.c.responsible_id == share.owner_id
    if share.level != NONE:
        hidden = [type_id for type_id, level in share.per_type.items() if level == NONE]
        return sa.and_(by_owner, tasks.c.type_id.not_in(hidden)) if hidden else by_owner
    shown = [type_id for type_id, level in share.per_type.items() if level != NONE]
    return sa.and_(by_owner, tasks.c.type_id.in_(shown)) if shown else sa.false()


def _row(task: Task) -> dict[str, Any]:
    body = task.state()
    body["zones"] = {name: _zone(getattr(task.schedule, name)) for name in TIMES if _zone(getattr(task.schedule, name))}
    return {
        "id": task.id, "version": task.version, "body": body, "type_id": task.type_id, "status_id": task.status_id,
        "responsible_id": task.responsible_id, "private": task.private, "done": task.done,
        "at": task.schedule.anchor, "created_at": task.created_at, "created_by": task.created_by,
        "updated_at": task.updated_at, "updated_by": task.updated_by,
    }


def _zone(moment: datetime | None) -> str | None:
    zone = moment.tzinfo if moment is not None else None
    return zone.key if isinstance(zone, ZoneInfo) else None


def _moment(body: Mapping[str, Any], name: str) -> datetime | None:
    text = body.get(name)
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    zone = (body.get("zones") or {}).get(name)
    return moment.astimezone(ZoneInfo(zone)) if zone else moment


def _link(stored: Mapping[str, Any], known: Mapping[str, tuple[str | None, str | None]]) -> Link:
    name, owner_id = known.get(stored["id"], (stored.get("name"), None))
    return Link(stored["type"], stored["id"], name, owner_id=owner_id)


def to_task(body: Mapping[str, Any], known: Mapping[str, tuple[str | None, str | None]]) -> Task:
    """Rebuild a task from its stored body; link names and owners come from `known` where known."""
    return Task(
        id=body["id"], version=body["version"], title=body["title"], type_id=body["type_id"],
        type_name=body["type_name"], responsible_id=body["responsible_id"],
        created_at=datetime.fromisoformat(body["created_at"]), created_by=body["created_by"],
        updated_at=datetime.fromisoformat(body["updated_at"]), updated_by=body["updated_by"],
        status_id=body.get("status_id"), status_name=body.get("status_name"),
        schedule=Schedule(**{name: _moment(body, name) for name in TIMES}),
        member_ids=tuple(body.get("member_ids") or ()), priority=body.get("priority", "normal"),
        private=bool(body.get("private")), reminders=tuple(body.get("reminders") or ()), rrule=body.get("rrule"),
        description=body.get("description"),
        links=tuple(_link(link, known) for link in body.get("links") or ()),
        done=bool(body.get("done")), done_at=datetime.fromisoformat(body["done_at"]) if body.get("done_at") else None,
    )
