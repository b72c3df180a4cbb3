"""What a list of tasks asks for: its filters, its page, and who is looking (with the shares they were given)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from crm_shared.visibility import SYSTEM_VIEWER, Viewer

from crm_tasks.domain.sharing import Share


@dataclass(frozen=True)
class TaskQuery:
    """Filters of `GET /tasks`; `shares` are those given to the viewer, by owner id."""

    responsible_id: str | None = None
    type_id: str | None = None
    status_id: str | None = None
    done: bool | None = None
    due_from: datetime | None = None
    due_to: datetime | None = None
    link_type: str | None = None
    link_id: str | None = None
    limit: int = 50
    after: list[Any] | None = None
    viewer: Viewer = SYSTEM_VIEWER
    shares: Mapping[str, Share] = field(default_factory=dict)
