"""What a list of contacts is asked for: filters, order, page, and whose contacts the caller sees."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SORTS = {
    "name": ("sort_name", False),
    "-name": ("sort_name", True),
    "created_at": ("created_at", False),
    "-created_at": ("created_at", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
}


@dataclass(frozen=True)
class ListQuery:
    """What a list of contacts is filtered and ordered by, and where the page starts.

    `visible_owners` is set by the use case from the caller (None: every owner).
    """

    kind: str
    q: str | None = None
    tag: str | None = None
    group_id: str | None = None
    owner_id: str | None = None
    company_id: str | None = None
    include_invalid: bool = False
    sort: str = "name"
    limit: int = 50
    after: list[Any] | None = None
    visible_owners: tuple[str, ...] | None = None
