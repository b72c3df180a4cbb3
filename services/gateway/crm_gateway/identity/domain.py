"""The user and what it takes to create one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_shared.auth import ROLES

MIN_PASSWORD_LENGTH = 8
ADMIN_USERNAME = "admin"

__all__ = ["ADMIN_USERNAME", "MIN_PASSWORD_LENGTH", "ROLES", "NewUser", "User"]


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


@dataclass(frozen=True)
class NewUser:
    """The request to create a user, password still in clear text."""

    username: str
    password: str
    name: str
    email: str
    role: str
    manager_id: str | None = None
