"""The events of a user's life, as the bus and the audit log see them: never a password or its hash."""
from __future__ import annotations

import uuid
from typing import Any

from crm_shared.changes import Change, created, diff
from crm_shared.envelope import SYSTEM, Actor
from crm_shared.events import ObjectChanged

from crm_gateway.identity.domain import User

OBJECT_TYPE = "user"
#: the fields an audit entry of a user shows, in this order
FIELDS = ("username", "name", "email", "role", "manager_id", "active")
#: what a password change shows instead of any value
PASSWORD_CHANGED = Change("password", None, "[changed]")
#: ids of attempted usernames nobody has: the same name always gets the same id, so its attempts group
_ATTEMPTS = uuid.UUID("5f3d2c1e-8a4b-4c6d-9e7f-0a1b2c3d4e5f")


def state(user: User) -> dict[str, Any]:
    """Return the user as events carry it."""
    return {"id": user.id, "username": user.username, "name": user.name, "email": user.email,
            "role": user.role, "manager_id": user.manager_id, "active": user.active,
            "created_at": user.created_at.isoformat(), "version": user.version}


def user_created(user: User) -> ObjectChanged:
    """Describe a new user: every set field from nothing."""
    after = state(user)
    return _changed(user, "created", created(after, FIELDS))


def user_updated(before: User, after: User, *, password_changed: bool = False) -> ObjectChanged:
    """Describe a change of a user field by field; a new password shows only as changed."""
    changes = diff(state(before), state(after), FIELDS) + ([PASSWORD_CHANGED] if password_changed else [])
    return _changed(after, "updated", changes)


def login_failed(username: str, user: User | None, reason: str) -> ObjectChanged:
    """Describe a refused login: who was tried, never with what password."""
    object_id = user.id if user else str(uuid.uuid5(_ATTEMPTS, username))
    return ObjectChanged(
        object_type=OBJECT_TYPE, object_id=object_id, object_name=user.name if user else username,
        object_link=user.link if user else "", operation="login_failed",
        sequence=user.version if user else 0, changes=(Change("username", None, username),),
        state={"username": username}, extra={"username": username, "reason": reason},
    )


def login_actor(user: User | None) -> Actor:
    """Return who a login attempt is recorded as: the user tried, or `system` for an unknown name."""
    return Actor(id=user.id, name=user.name, channel="api") if user else SYSTEM


def _changed(user: User, operation: str, changes: list[Change]) -> ObjectChanged:
    return ObjectChanged(
        object_type=OBJECT_TYPE, object_id=user.id, object_name=user.name, object_link=user.link,
        operation=operation, sequence=user.version, changes=tuple(changes), state=state(user),
    )
