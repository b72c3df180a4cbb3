"""The user and what it takes to create one."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Mapping

from crm_shared.auth import ROLES

MIN_PASSWORD_LENGTH = 8
ADMIN_USERNAME = "admin"

#: the fields PATCH /users/{id} may change, besides the password
CHANGEABLE = ("name", "email", "role", "manager_id", "active")

__all__ = ["ADMIN_USERNAME", "CHANGEABLE", "MIN_PASSWORD_LENGTH", "ROLES", "NewUser", "User", "UserPatch"]


@dataclass(frozen=True)
class User:
    """A person who can log in; `manager_id` names the head of their team."""

    id: str
    username: str
    name: str
    email: str
    role: str
    manager_id: str | None
    created_at: datetime
    active: bool = True
    version: int = 1

    @property
    def link(self) -> str:
        """Return the user's path in the API (the audit log's object link)."""
        return f"/api/v1/users/{self.id}"

    @property
    def is_active_admin(self) -> bool:
        return self.active and self.role == "admin"

    def patched(self, values: Mapping[str, Any], *, password_changed: bool = False) -> "User":
        """Return the user with `values` applied and the next version (the same user if nothing changes)."""
        changed = {name: value for name, value in values.items() if getattr(self, name) != value}
        if not changed and not password_changed:
            return self
        return replace(self, **changed, version=self.version + 1)


@dataclass(frozen=True)
class NewUser:
    """The request to create a user, password still in clear text."""

    username: str
    password: str
    name: str
    email: str
    role: str
    manager_id: str | None = None


@dataclass(frozen=True)
class UserPatch:
    """The request to change a user: some of CHANGEABLE, and maybe a new password in clear text."""

    values: Mapping[str, Any] = field(default_factory=dict)
    password: str | None = None


def manager_cycle(user_id: str, manager_id: str, manager_of: Callable[[str], str | None]) -> bool:
    """Tell whether making `manager_id` the manager of `user_id` would make someone their own manager."""
    seen: set[str] = set()
    current: str | None = manager_id
    while current is not None and current not in seen:
        if current == user_id:
            return True
        seen.add(current)
        current = manager_of(current)
    return False


def loses_admin(before: User, after: User) -> bool:
    """Tell whether a change takes an active admin out of the admins (deactivated or demoted)."""
    return before.is_active_admin and not after.is_active_admin
