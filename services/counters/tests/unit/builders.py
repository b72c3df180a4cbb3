"""Other services' events as they publish them (built with the kit), for the counters' tests."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def _wrapped(change: ObjectChanged, actor: Actor = Actor("u", "U")) -> CloudEvent:
    return wrap(change, service="other", actor=actor, correlation_id="c", time=datetime.now(timezone.utc))


def task_state(task_id: str, *, version: int = 1, responsible: str = "ann", due: datetime | None = None,
               start: datetime | None = None, done: bool = False, links: Sequence[Mapping[str, Any]] = (),
               title: str = "Call back") -> dict[str, Any]:
    """Return a task's state as the tasks service's events carry it (the fields counting reads, and a few more)."""
    return {"id": task_id, "version": version, "title": title, "type_id": "t", "type_name": "Call",
            "start": start.isoformat() if start else None, "end": start.isoformat() if start else None,
            "due": due.isoformat() if due else None, "kind": "deadline", "responsible_id": responsible,
            "member_ids": [], "priority": "normal", "private": False, "links": [dict(link) for link in links],
            "done": done, "done_at": None}


def task_event(task_id: str, operation: str = "created", version: int = 1, **state: Any) -> CloudEvent:
    """Return a `crm.task.<operation>` event with the task's whole state."""
    full = task_state(task_id, version=version, **state)
    return _wrapped(ObjectChanged("task", task_id, full["title"], f"/api/v1/tasks/{task_id}", operation, version,
                                  state=full))


def comment_event(task_id: str, comment_id: str, author: str, at: datetime, version: int = 1,
                  **state: Any) -> CloudEvent:
    """Return a `crm.task.commented` event: the task's state, the comment and the responsible user."""
    full = task_state(task_id, version=version, **state)
    comment = {"id": comment_id, "task_id": task_id, "author_id": author, "author_name": author.title(),
               "text": "What about it?", "created_at": at.isoformat()}
    return _wrapped(ObjectChanged("task", task_id, full["title"], f"/api/v1/tasks/{task_id}", "commented", version,
                                  state=full, extra={"comment": comment, "responsible_id": full["responsible_id"]}),
                    Actor(author, author.title()))


def entry_state(entry_id: str, *, version: int = 1, contact: tuple[str, str] = ("person", "p1"),
                user: str = "system", kind: str | None = "missed_call", source: str = "inbound",
                processed: bool = False, canceled: bool = False) -> dict[str, Any]:
    """Return an interaction entry's state as agreed with the interactions service."""
    return {"id": entry_id, "template_id": None, "template_code": None,
            "contact": {"type": contact[0], "id": contact[1], "name": "Jana Nováková"},
            "user": {"id": user, "name": user.title()}, "method": "phone", "initiated_by": "them", "cost": "0.00",
            "duration_minutes": 0, "occurred_at": NOW.isoformat(), "description": "", "processed": processed,
            "status": "canceled" if canceled else "logged", "source": source, "kind": kind, "attachment_id": None,
            "version": version}


def entry_event(entry_id: str, operation: str = "created", version: int = 1, **state: Any) -> CloudEvent:
    """Return a `crm.interaction.<operation>` event with the entry's whole state."""
    full = entry_state(entry_id, version=version, **state)
    return _wrapped(ObjectChanged("interaction", entry_id, "Missed call", f"/api/v1/interactions/{entry_id}",
                                  operation, version, state=full))


def record_event(kind: str, record_id: str, owner: str | None, operation: str = "created", version: int = 1,
                 name: str = "Acme") -> CloudEvent:
    """Return a `crm.<person|company|deal>.<operation>` event with the owner in its state."""
    state = {"id": record_id, "name": name, "owner_id": owner, "version": version}
    return _wrapped(ObjectChanged(kind, record_id, name, f"/api/v1/{kind}s/{record_id}", operation, version,
                                  state=state))
