"""Building other services' events as they publish them, for the tasks consumer's tests."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

import sqlalchemy as sa

from crm_shared.changes import Change
from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged

from crm_tasks.service_layer.record_events import handle_events
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork


def record_event(kind: str, record_id: str, operation: str, sequence: int, *, name: str = "Jana Nováková",
                 state: Mapping[str, Any] | None = None, changes: tuple[Change, ...] = (), **extra: Any) -> CloudEvent:
    """Return a crm.<kind>.<operation> event with the record's state (`state` adds to it)."""
    full_state = {"id": record_id, "name": name, "valid": True, "version": sequence, **(state or {})}
    change = ObjectChanged(kind, record_id, name, f"/api/v1/{kind}s/{record_id}", operation, sequence,
                           changes=changes, state=full_state, extra=extra)
    return wrap(change, service="other", actor=Actor("u", "U"), correlation_id="c", time=datetime.now(timezone.utc))


def handle(engine: sa.Engine, *events: CloudEvent) -> None:
    """Handle events as the consumer does: one transaction, the unit of work bound to it."""
    with engine.begin() as connection:
        handle_events(TasksUnitOfWork(connection=connection), list(events))
