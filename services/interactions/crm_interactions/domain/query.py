"""What a list of entries (and a bulk deletion) filters on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class EntryQuery:
    """Entries about a contact, of a template, by a user, in a time range, of a status, processed or not."""

    contact_id: str | None = None
    template_id: str | None = None
    user_id: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    status: str | None = None
    processed: bool | None = None
    source: str | None = None
    ids: tuple[str, ...] | None = None
    limit: int = 50
    after: list[Any] | None = None

    def described(self) -> dict[str, Any]:
        """Return the filters that are set, as plain data (a bulk deletion's audit shows them)."""
        names = ("contact_id", "template_id", "user_id", "status", "processed", "source")
        data: dict[str, Any] = {name: getattr(self, name) for name in names if getattr(self, name) is not None}
        if self.occurred_from:
            data["from"] = self.occurred_from.isoformat()
        if self.occurred_to:
            data["to"] = self.occurred_to.isoformat()
        if self.ids is not None:
            data["ids"] = list(self.ids)
        return data
