"""Tasks (TSK-3): what to do, when, by whom, linked to what; complete and reopen; audited changes (TSK-9)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

from crm_shared.changes import Change, created, deleted

from crm_tasks.domain import task_fields as fields
from crm_tasks.domain.catalog import TaskCatalog
from crm_tasks.domain.links import Link, link_changes, parse_links
from crm_tasks.domain.recurrence import recurrence
from crm_tasks.domain.rules import TaskStateConflict, text
from crm_tasks.domain.schedule import FIELDS as TIMES, Schedule, iso
from crm_tasks.domain.statuses import TaskStatus

MAX_TITLE_LENGTH = 500
MAX_DESCRIPTION_LENGTH = 20_000
#: the fields whose changes the audit log shows, in this order; links follow, one change each
AUDITED = ("title", "type", "status", "start", "end", "due", "responsible", "members", "priority",
           "private", "reminders", "rrule", "description", "done")


@dataclass(frozen=True)
class Task:
    """A task; the type and status names are those current when it was last given them."""

    id: str
    version: int
    title: str
    type_id: str
    type_name: str
    responsible_id: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    status_id: str | None = None
    status_name: str | None = None
    schedule: Schedule = Schedule()
    member_ids: tuple[str, ...] = ()
    priority: str = "normal"
    private: bool = False
    reminders: tuple[int, ...] = ()
    rrule: str | None = None
    description: str | None = None
    links: tuple[Link, ...] = ()
    done: bool = False
    done_at: datetime | None = None

    @property
    def link(self) -> str:
        return f"/api/v1/tasks/{self.id}"

    @property
    def author_id(self) -> str:
        return self.created_by

    def state(self) -> dict[str, Any]:
        """Return the whole task as plain data (the `state` of its events, the API's answer)."""
        return {
            "id": self.id, "version": self.version, "title": self.title,
            "type_id": self.type_id, "type_name": self.type_name,
            "status_id": self.status_id, "status_name": self.status_name,
            **self.schedule.as_dict(), "kind": self.schedule.kind,
            "responsible_id": self.responsible_id, "member_ids": list(self.member_ids),
            "priority": self.priority, "private": self.private, "reminders": list(self.reminders),
            "rrule": self.rrule, "description": self.description,
            "links": [link.as_dict() for link in self.links],
            "done": self.done, "done_at": iso(self.done_at),
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by,
        }

    def values(self, catalog: TaskCatalog) -> dict[str, Any]:
        """Return the audited fields as the audit log shows them: type and status by name, users by name."""
        return {
            **self._raw(), "type": self.type_name, "status": self.status_name,
            "responsible": catalog.user_name(self.responsible_id),
            "members": [catalog.user_name(member) for member in self.member_ids],
        }

    def _raw(self) -> dict[str, Any]:
        """Return the audited fields by id: what decides whether a field changed."""
        return {
            "title": self.title, "type": self.type_id, "status": self.status_id, **self.schedule.as_dict(),
            "responsible": self.responsible_id, "members": list(self.member_ids), "priority": self.priority,
            "private": self.private, "reminders": list(self.reminders), "rrule": self.rrule,
            "description": self.description, "done": self.done,
        }

    def creation_changes(self, catalog: TaskCatalog) -> list[Change]:
        """Return every set field and link as a change from nothing."""
        return created(self.values(catalog), AUDITED) + link_changes([], self.links)

    def deletion_changes(self, catalog: TaskCatalog) -> list[Change]:
        """Return every set field and link as a change to nothing."""
        return deleted(self.values(catalog), AUDITED) + link_changes(self.links, [])

    def changes_to(self, other: "Task", catalog: TaskCatalog) -> list[Change]:
        """List what differs from `other` (compared by id, shown by name), then the links one by one."""
        before, after = self._raw(), other._raw()
        shown_before, shown_after = self.values(catalog), other.values(catalog)
        return [
            Change(name, shown_before[name], shown_after[name]) for name in AUDITED if before[name] != after[name]
        ] + link_changes(self.links, other.links)

    def updated(self, patch: Mapping[str, Any], *, catalog: TaskCatalog, actor_id: str,
                now: datetime) -> tuple["Task", list[Change]]:
        """Return the task with `patch` applied and every rule checked, and what really changed."""
        return self._versioned(_apply(self, patch, catalog), catalog=catalog, actor_id=actor_id, now=now)

    def completed(self, *, catalog: TaskCatalog, actor_id: str, now: datetime) -> tuple["Task", list[Change]]:
        """Mark the task done now (in the last status when statuses are on); a done task cannot be completed."""
        if self.done:
            raise TaskStateConflict("The task is done already.")
        proposed = replace(self, done=True, done_at=now, **_placed(catalog.last_status()))
        return self._versioned(proposed, catalog=catalog, actor_id=actor_id, now=now)

    def reopened(self, *, catalog: TaskCatalog, actor_id: str, now: datetime) -> tuple["Task", list[Change]]:
        """Open a done task again (in the first status when statuses are on)."""
        if not self.done:
            raise TaskStateConflict("The task is open already.")
        proposed = replace(self, done=False, done_at=None, **_placed(catalog.first_status()))
        return self._versioned(proposed, catalog=catalog, actor_id=actor_id, now=now)

    def with_links(self, links: Sequence[Link], *, catalog: TaskCatalog, actor_id: str,
                   now: datetime) -> tuple["Task", list[Change]]:
        """Return the task with exactly these links (merges and deletions of the linked records)."""
        return self._versioned(replace(self, links=parse_links(links)), catalog=catalog, actor_id=actor_id, now=now)

    def seen_by(self, sees: Callable[[Link], bool]) -> "Task":
        """Return the task as a reader sees it: names only of linked records they may see."""
        return replace(self, links=tuple(link.seen_by(sees) for link in self.links))

    def _versioned(self, proposed: "Task", *, catalog: TaskCatalog, actor_id: str,
                   now: datetime) -> tuple["Task", list[Change]]:
        changes = self.changes_to(proposed, catalog)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes


def new_task(values: Mapping[str, Any], *, id: str, catalog: TaskCatalog, actor_id: str, now: datetime) -> Task:
    """Create a valid open task; the author is responsible unless `responsible_id` names another user,
    and its type is the first in the list unless `type_id` names one."""
    type_id = values.get("type_id")
    task_type = catalog.task_type(type_id) if type_id is not None else catalog.default_type()
    blank = Task(
        id=id, version=1, title="", type_id=task_type.id, type_name=task_type.name, responsible_id=actor_id,
        created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id,
        **_placed(catalog.first_status()),
    )
    given = {key: value for key, value in values.items() if value is not None or key in TIMES}
    return _apply(blank, {"title": None, **given}, catalog)


def _apply(task: Task, patch: Mapping[str, Any], catalog: TaskCatalog) -> Task:
    """Return `task` with the patch applied and every rule checked; raise TaskRuleBroken otherwise."""
    data: dict[str, Any] = {}
    if "title" in patch:
        data["title"] = text("title", patch["title"], max_length=MAX_TITLE_LENGTH)
    if "type_id" in patch:
        task_type = catalog.task_type(patch["type_id"])
        data.update(type_id=task_type.id, type_name=task_type.name)
    if "status_id" in patch:
        data.update(_placed(catalog.status(patch["status_id"]), clear=True))
    if TIMES & patch.keys():
        data["schedule"] = task.schedule.patched(patch)
    data.update(_people(patch))
    if "priority" in patch:
        data["priority"] = fields.priority(patch["priority"])
    if "private" in patch:
        data["private"] = fields.flag("private", patch["private"])
    if "reminders" in patch:
        data["reminders"] = fields.reminders(patch["reminders"])
    if "description" in patch:
        data["description"] = text("description", patch["description"], max_length=MAX_DESCRIPTION_LENGTH,
                                   required=False)
    if "links" in patch:
        data["links"] = parse_links(patch["links"])
    proposed = replace(task, **data)
    return replace(proposed, rrule=recurrence(patch.get("rrule", task.rrule), proposed.schedule.anchor))


def _people(patch: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if "responsible_id" in patch:
        data["responsible_id"] = fields.user_id("responsible_id", patch["responsible_id"])
    if "member_ids" in patch:
        data["member_ids"] = fields.member_ids(patch["member_ids"])
    return data


def _placed(status: TaskStatus | None, *, clear: bool = False) -> dict[str, Any]:
    """Return the status fields for `status`; None leaves them as they are unless `clear` says to empty them."""
    if status is None:
        return {"status_id": None, "status_name": None} if clear else {}
    return {"status_id": status.id, "status_name": status.name}
