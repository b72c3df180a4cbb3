"""Users in the database: read and write rows on the unit of work's connection."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_gateway.identity.domain import User
from crm_gateway.identity.tables import users

_USER_COLUMNS = [c for c in users.c if c.name != "password_hash"]


def _user(row: Any) -> User:
    return User(
        id=row.id, username=row.username, name=row.name, email=row.email, role=row.role,
        manager_id=row.manager_id, created_at=row.created_at, active=bool(row.active),
        version=row.version,
    )


class UserRepository:
    """Find and store users; never commits (the unit of work does)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, user_id: str, *, for_update: bool = False) -> User | None:
        """Return the user with this id, if any (locking the row until commit when `for_update`)."""
        query = sa.select(*_USER_COLUMNS).where(users.c.id == user_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).first()
        return _user(row) if row else None

    def manager_of(self, user_id: str) -> str | None:
        """Return the id of a user's manager, if any."""
        return self.connection.execute(sa.select(users.c.manager_id).where(users.c.id == user_id)).scalar()

    def lock_active_admins(self) -> list[str]:
        """Return the ids of the active admins, their rows locked until commit.

        Two admins demoting each other at once would otherwise both see the other still
        active and leave nobody: the second waits for the first and then counts again.
        """
        query = sa.select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True))
        return list(self.connection.execute(query.order_by(users.c.id).with_for_update()).scalars())

    def page(self, after: str | None, limit: int) -> list[User]:
        """Return up to `limit` users by username, those after the username `after`."""
        query = sa.select(*_USER_COLUMNS).order_by(users.c.username).limit(limit)
        if after is not None:
            query = query.where(users.c.username > after)
        return [_user(row) for row in self.connection.execute(query)]

    def credentials(self, username: str) -> tuple[User, str] | None:
        """Return the user with this username and their password hash, if any."""
        row = self.connection.execute(sa.select(users).where(users.c.username == username)).first()
        return (_user(row), row.password_hash) if row else None

    def list(self) -> list[User]:
        """Return every user, by username."""
        rows = self.connection.execute(sa.select(*_USER_COLUMNS).order_by(users.c.username))
        return [_user(row) for row in rows]

    def reports_of(self, manager_id: str) -> list[str]:
        """Return the ids of the users whose manager is `manager_id`."""
        query = sa.select(users.c.id).where(users.c.manager_id == manager_id).order_by(users.c.id)
        return list(self.connection.execute(query).scalars())

    def is_empty(self) -> bool:
        """Tell whether no user exists yet."""
        return self.connection.execute(sa.select(users.c.id).limit(1)).first() is None

    def add(self, user: User, password_hash: str) -> None:
        """Insert a new user; a taken username raises sqlalchemy's IntegrityError."""
        self.connection.execute(
            users.insert().values(
                id=user.id, username=user.username, password_hash=password_hash, name=user.name,
                email=user.email, role=user.role, manager_id=user.manager_id,
                created_at=user.created_at, active=user.active, version=user.version,
            )
        )

    def update(self, user: User, password_hash: str | None = None) -> None:
        """Store the changeable fields and version of a user (and a new password hash, if given)."""
        values = {"name": user.name, "email": user.email, "role": user.role, "manager_id": user.manager_id,
                  "active": user.active, "version": user.version}
        if password_hash is not None:
            values["password_hash"] = password_hash
        self.connection.execute(users.update().where(users.c.id == user.id).values(**values))

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace a user's password hash."""
        self.connection.execute(
            users.update().where(users.c.id == user_id).values(password_hash=password_hash)
        )
