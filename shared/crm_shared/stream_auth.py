"""Who opens a live stream: the bearer token's user, else the single-use ticket's (`crm_shared.stream_tickets`)."""
from __future__ import annotations

from typing import Any, Callable

from crm_shared import auth
from crm_shared.errors import Unauthorized
from crm_shared.stream_tickets import take_ticket
from crm_shared.types import utcnow

#: the detail of a 401 for a ticket that opens nothing
TICKET_REFUSED = "The stream ticket is unknown, used up or expired."

#: (the bearer token or None, the `ticket` parameter or None) → the caller, or Unauthorized
Authenticate = Callable[[str | None, str | None], auth.Principal]


def stream_authenticator(verifier: auth.TokenVerifier, tickets: Callable[[], Any]) -> Authenticate:
    """Return who opens a stream, given a factory of units of work over the service's tickets."""

    def authenticate(token: str | None, ticket: str | None) -> auth.Principal:
        if token:
            return verifier.verify(token)
        if ticket:
            stored = take_ticket(tickets(), ticket, utcnow())
            if stored is None:
                raise Unauthorized(TICKET_REFUSED)
            return ticket_principal(stored)
        raise Unauthorized()

    return authenticate


def ticket_principal(stored: dict[str, Any]) -> auth.Principal:
    """Return the caller a ticket was issued to, as their token said when it was issued."""
    return auth.Principal(id=str(stored["id"]), name=str(stored.get("name") or stored["id"]),
                          role=str(stored["role"]), team=tuple(stored.get("team") or ()))
