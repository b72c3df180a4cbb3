"""Stream tickets: a browser's `EventSource` sends no header, so it opens its stream with a ticket.

A ticket is a random secret the caller gets with their token (a service's `POST …/stream-ticket`)
and spends once, within a minute, in the stream's URL: what lands in a log is a used-up secret,
never a token. Only its SHA-256 is stored, with the caller it was issued to (id, role, team, name).

The use cases reach the store as `uow.tickets` (`crm_shared.ticket_store.StreamTickets`, or
`crm_shared.testing.fakes.InMemoryStreamTickets`) inside `with uow: … uow.commit()`.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from crm_shared.visibility import Viewer

TICKET_SECONDS = 60
#: a longer ticket is no ticket this kit issued: refused without a look at the store
MAX_TICKET_LENGTH = 200


def hashed(secret: str) -> str:
    """Return what the store keeps of a ticket: the SHA-256 of its secret, in hex."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def principal_of(viewer: Viewer) -> dict[str, Any]:
    """Return the caller as a ticket stores it: id, role, team and name."""
    return {"id": viewer.id, "role": viewer.role, "team": list(viewer.team), "name": getattr(viewer, "name", "")}


def issue_ticket(uow: Any, viewer: Viewer, now: datetime, stream_path: str) -> dict[str, Any]:
    """Issue a single-use ticket to open `stream_path` as `viewer`, valid for a minute."""
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=TICKET_SECONDS)
    with uow:
        uow.tickets.purge(now)
        uow.tickets.add(hashed(secret), principal_of(viewer), expires_at)
        uow.commit()
    return {"ticket": secret, "expires_at": expires_at.isoformat(), "stream": f"{stream_path}?ticket={secret}"}


def take_ticket(uow: Any, secret: str, now: datetime) -> dict[str, Any] | None:
    """Spend a ticket: return the caller it was issued to, None for an unknown, used or expired one."""
    if not secret or len(secret) > MAX_TICKET_LENGTH:
        return None
    with uow:
        principal = uow.tickets.take(hashed(secret), now)
        uow.commit()
    return principal
