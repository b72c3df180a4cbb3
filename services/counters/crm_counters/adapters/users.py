"""The suite's users as the counters need them: who exists, and everyone (an admin's team view)."""
from __future__ import annotations

from typing import Protocol
from urllib.parse import urlencode

from crm_shared.errors import ServiceUnavailable, Unauthorized
from crm_shared.gateway_client import GatewayClient
from crm_shared.users import GatewayUserDirectory

PAGE = 500


class People(Protocol):
    """The users the gateway knows, looked up with one caller's token."""

    def exists(self, token: str, user_id: str) -> bool: ...

    def active_ids(self, token: str) -> list[str]: ...


class GatewayPeople:
    """People backed by the gateway's GET /users and GET /users/{id}, with the caller's token."""

    def __init__(self, gateway_url: str) -> None:
        self.client = GatewayClient(gateway_url)

    def exists(self, token: str, user_id: str) -> bool:
        return GatewayUserDirectory(self.client, token).find(user_id) is not None

    def active_ids(self, token: str) -> list[str]:
        """Return the ids of every active user, following the gateway's pages."""
        ids: list[str] = []
        query: dict[str, str | int] = {"limit": PAGE}
        while True:
            status, body = self.client.get(f"/api/v1/users?{urlencode(query)}", token)
            if status == 401:
                raise Unauthorized("The token is invalid or expired.")
            if status != 200 or not isinstance(body, dict):
                raise ServiceUnavailable("The gateway cannot list users right now; retry shortly.",
                                         headers={"Retry-After": "1"})
            ids += [str(user["id"]) for user in body.get("items") or () if user.get("active", True)]
            if not body.get("next_cursor"):
                return ids
            query["cursor"] = str(body["next_cursor"])
