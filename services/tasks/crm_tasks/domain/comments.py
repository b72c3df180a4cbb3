"""Comments on tasks (TSK-8); each counts as an incoming activity of the task's responsible user."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_tasks.domain.rules import text

MAX_TEXT_LENGTH = 10_000


@dataclass(frozen=True)
class Comment:
    """What someone said on a task, and when."""

    id: str
    task_id: str
    author_id: str
    author_name: str
    text: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "task_id": self.task_id, "author_id": self.author_id,
                "author_name": self.author_name, "text": self.text, "created_at": self.created_at.isoformat()}


def new_comment(value: Any, *, id: str, task_id: str, author_id: str, author_name: str, now: datetime) -> Comment:
    """Create a comment; its text is trimmed, not blank and at most 10 000 characters."""
    return Comment(id=id, task_id=task_id, author_id=author_id, author_name=author_name,
                   text=str(text("text", value, max_length=MAX_TEXT_LENGTH)), created_at=now)
