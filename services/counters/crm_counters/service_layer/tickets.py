"""Stream tickets for `GET /counters/stream` (the kit's `crm_shared.stream_tickets`): a browser's
`EventSource` sends no header, so it opens the stream with a single-use ticket instead of the token."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm_shared import stream_tickets
from crm_shared.stream_tickets import take_ticket

STREAM_PATH = "/api/v1/counters/stream"


def issue_ticket(uow: Any, now: datetime) -> dict[str, Any]:
    """Issue a single-use stream ticket to the caller, valid for a minute."""
    return stream_tickets.issue_ticket(uow, uow.viewer, now, STREAM_PATH)


__all__ = ["STREAM_PATH", "issue_ticket", "take_ticket"]
