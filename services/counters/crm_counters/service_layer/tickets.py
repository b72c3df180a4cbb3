"""Stream tickets: a browser's `EventSource` sends no header, so it opens its stream with a ticket.

A ticket is a random secret the caller gets with their token (`POST /counters/stream-ticket`) and
spends once, within a minute, in the stream's URL: what lands in a log is a used-up secret,
never a token. Only its SHA-256 is stored.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

TICKET_SECONDS = 60


def _hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def issue_ticket(uow: Any, now: datetime) -> dict[str, Any]:
    """Issue a single-use stream ticket to the caller, valid for a minute."""
    secret = secrets.token_urlsafe(32)
    viewer = uow.viewer
    principal = {"id": viewer.id, "role": viewer.role, "team": list(viewer.team), "name": getattr(viewer, "name", "")}
    expires_at = now + timedelta(seconds=TICKET_SECONDS)
    with uow:
        uow.tickets.purge(now)
        uow.tickets.add(_hashed(secret), principal, expires_at)
        uow.commit()
    return {"ticket": secret, "expires_at": expires_at.isoformat(),
            "stream": f"/api/v1/counters/stream?ticket={secret}"}


def take_ticket(uow: Any, secret: str, now: datetime) -> dict[str, Any] | None:
    """Spend a ticket: return the caller it was issued to, None for an unknown, used or expired one."""
    if not secret or len(secret) > 200:
        return None
    with uow:
        principal = uow.tickets.take(_hashed(secret), now)
        uow.commit()
    return principal
