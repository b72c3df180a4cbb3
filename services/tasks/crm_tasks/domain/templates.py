"""Task templates (TSK-5): named lists of items that, applied to a record at a base date, become tasks.

A template item's task is due at 17:00 (the end of the working day) in the installation's zone
(Europe/Prague unless told otherwise) on the base date plus its delay in days: a task due "today"
is not overdue before the day's work is over, and days are calendar days in that zone, so a
delay across a daylight-saving change still lands at 17:00 local time.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Collection, Mapping, Sequence
from zoneinfo import ZoneInfo

from crm_shared.changes import Change, created, deleted, diff

from crm_tasks.domain.links import LINK_TYPES as TARGET_TYPES, MAX_ID_LENGTH, Link
from crm_tasks.domain.rules import broken, text, whole_number
from crm_tasks.domain.task_fields import user_id

DUE_TIME = time(17, 0)
DEFAULT_ZONE = "Europe/Prague"
MAX_ITEMS = 100
MAX_DELAY_DAYS = 3660


@dataclass(frozen=True)
class TemplateItem:
    """One task a template creates."""

    title: str
    type_id: str
    delay_days: int
    responsible_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "type_id": self.type_id, "delay_days": self.delay_days,
                "responsible_id": self.responsible_id}


@dataclass(frozen=True)
class TaskTemplate:
    """A named list of tasks to create together."""

    id: str
    version: int
    name: str
    items: tuple[TemplateItem, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    editable = ("name", "items")

    @property
    def link(self) -> str:
        return f"/api/v1/task-templates/{self.id}"

    def values(self) -> dict[str, Any]:
        return {"name": self.name, "items": [item.as_dict() for item in self.items]}

    def state(self) -> dict[str, Any]:
        """Return the whole template as plain data."""
        return {"id": self.id, "version": self.version, **self.values(),
                "created_at": self.created_at.isoformat(), "created_by": self.created_by,
                "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by}

    def creation_changes(self) -> list[Change]:
        return created(self.values(), self.editable)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), self.editable)

    def updated(self, patch: Mapping[str, Any], *, known_type_ids: Collection[str], actor_id: str,
                now: datetime) -> tuple["TaskTemplate", list[Change]]:
        """Return the template renamed or with other items, and what really changed."""
        proposed = _apply(self, patch, known_type_ids)
        changes = diff(self.values(), proposed.values(), self.editable)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes

    def planned_tasks(self, target: Mapping[str, Any], *, base_date: date, actor_id: str,
                      zone: str = DEFAULT_ZONE) -> list[dict[str, Any]]:
        """Return the values of the tasks applying the template to `target` creates, one per item in order."""
        link = _target(target)
        return [
            {"title": item.title, "type_id": item.type_id, "due": due_on(base_date, item.delay_days, zone),
             "responsible_id": item.responsible_id or actor_id, "links": [link]}
            for item in self.items
        ]


def new_template(values: Mapping[str, Any], *, id: str, known_type_ids: Collection[str], actor_id: str,
                 now: datetime) -> TaskTemplate:
    """Create a valid template; every item's type must exist."""
    blank = TaskTemplate(id=id, version=1, name="", items=(), created_at=now, created_by=actor_id,
                         updated_at=now, updated_by=actor_id)
    return _apply(blank, {"name": None, "items": [], **values}, known_type_ids)


def due_on(base_date: date, delay_days: int, zone: str = DEFAULT_ZONE) -> datetime:
    """Return when a template task is due: 17:00 in `zone`, `delay_days` calendar days after `base_date`."""
    return datetime.combine(base_date + timedelta(days=delay_days), DUE_TIME, tzinfo=ZoneInfo(zone))


def _apply(template: TaskTemplate, patch: Mapping[str, Any], known_type_ids: Collection[str]) -> TaskTemplate:
    data: dict[str, Any] = {}
    if "name" in patch:
        data["name"] = text("name", patch["name"], max_length=200)
    if "items" in patch:
        data["items"] = _items(patch["items"], known_type_ids)
    return replace(template, **data)


def _items(raw: Sequence[Mapping[str, Any]] | None, known_type_ids: Collection[str]) -> tuple[TemplateItem, ...]:
    if raw is None or isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
        raise broken("items", "A list of items.")
    if len(raw) > MAX_ITEMS:
        raise broken("items", f"At most {MAX_ITEMS} items.")
    return tuple(_item(index, item, known_type_ids) for index, item in enumerate(raw))


def _item(index: int, item: Mapping[str, Any], known_type_ids: Collection[str]) -> TemplateItem:
    where = f"items.{index}"
    if item.get("type_id") not in known_type_ids:
        raise broken(f"{where}.type_id", "No task type with this id.")
    responsible = item.get("responsible_id")
    return TemplateItem(
        title=str(text(f"{where}.title", item.get("title"), max_length=500)), type_id=str(item["type_id"]),
        delay_days=whole_number(f"{where}.delay_days", item.get("delay_days", 0), low=0, high=MAX_DELAY_DAYS),
        responsible_id=None if responsible is None else user_id(f"{where}.responsible_id", responsible),
    )


def _target(target: Mapping[str, Any]) -> Link:
    if not isinstance(target, Mapping) or target.get("type") not in TARGET_TYPES:
        raise broken("target.type", f"One of {', '.join(TARGET_TYPES)}.")
    link_id = target.get("id")
    if not isinstance(link_id, str) or not link_id.strip() or len(link_id) > MAX_ID_LENGTH:
        raise broken("target.id", "Give the id of the record.")
    return Link(type=str(target["type"]), id=link_id.strip(), name=target.get("name"))
