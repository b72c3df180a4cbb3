"""The suite's users as other services see them: looked up at the gateway with the caller's token."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol
from urllib.parse import quote

from crm_shared.errors import ServiceUnavailable, Unauthorized
from crm_shared.gateway_client import GatewayClient


@dataclass(frozen=True)
class DirectoryUser:
    """What a service may ask about a user: who, whether active, their role and manager."""

    id: str
    name: str
    role: str
    active: bool
    manager_id: str | None = None

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> "DirectoryUser":
        """Read a user as the gateway's GET /users/{id} answers it."""
        return cls(id=str(body["id"]), name=str(body["name"]), role=str(body["role"]),
                   active=bool(body["active"]), manager_id=body.get("manager_id"))


class UserDirectory(Protocol):
    """Look a user up by id; None when no user has it."""

    def find(self, user_id: str) -> DirectoryUser | None: ...


class GatewayUserDirectory:
    """A UserDirectory backed by the gateway's GET /api/v1/users/{id}, called with one caller's token.

    Build one per request (`GatewayUsers.acting_for(token)`): the gateway decides what the
    caller may see, so the lookup never has more rights than the caller.
    """

    def __init__(self, client: GatewayClient, token: str) -> None:
        self.client = client
        self.token = token

    def find(self, user_id: str) -> DirectoryUser | None:
        """Return the user with this id, or None when the gateway knows no such user."""
        status, body = self.client.get(f"/api/v1/users/{quote(user_id, safe='')}", self.token)
        if status == 200 and isinstance(body, dict):
            return DirectoryUser.from_json(body)
        if status == 404:
            return None
        if status == 401:
            raise Unauthorized("The token is invalid or expired.")
        raise ServiceUnavailable("The gateway cannot look users up right now; retry shortly.",
                                 headers={"Retry-After": "1"})


class GatewayUsers:
    """The process-wide connection to the gateway's users, handing out per-caller directories."""

    def __init__(self, gateway_url: str) -> None:
        self.client = GatewayClient(gateway_url)

    def acting_for(self, token: str) -> GatewayUserDirectory:
        """Return a directory that looks users up with this caller's token."""
        return GatewayUserDirectory(self.client, token)
