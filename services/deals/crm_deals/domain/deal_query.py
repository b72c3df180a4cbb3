"""What a list of deals is asked for: filters, order, page, and whose deals the caller sees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from crm_shared.visibility import SYSTEM_VIEWER, Viewer

#: the orders a list of deals may take, and whether each is descending
SORTS = {"created_at": False, "-created_at": True, "updated_at": False, "-updated_at": True}


@dataclass(frozen=True)
class DealQuery:
    """What a list of deals is filtered and ordered by, and where the page starts.

    `viewer` is set by the use case from the unit of work (whose deals the caller sees).
    """

    viewer: Viewer = SYSTEM_VIEWER
    status: str | None = None
    process_id: str | None = None
    stage_id: str | None = None
    owner_id: str | None = None
    contact_id: str | None = None
    close_from: date | None = None
    close_to: date | None = None
    sort: str = "-created_at"
    limit: int = 50
    after: list[Any] | None = None
