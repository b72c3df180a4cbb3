"""Reading and writing groups inside the caller's transaction."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_contacts.adapters.tables import groups
from crm_contacts.domain.groups import Group

_NAMES = [f.name for f in fields(Group)]


class GroupRepository:
    """Groups in their table; membership lives on the contacts."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, group_id: str, *, for_update: bool = False) -> Group | None:
        """Load a group by id."""
        query = sa.select(groups).where(groups.c.id == group_id)
        if for_update:
            query = query.with_for_update()
        row = self.connection.execute(query).mappings().first()
        return _group(row) if row else None

    def existing_ids(self, group_ids: list[str]) -> set[str]:
        """Return those of `group_ids` that name a group."""
        if not group_ids:
            return set()
        query = sa.select(groups.c.id).where(groups.c.id.in_(group_ids))
        return set(self.connection.execute(query).scalars())

    def add(self, group: Group) -> None:
        """Insert a new group."""
        self.connection.execute(groups.insert().values(_row(group)))

    def save(self, group: Group) -> None:
        """Write a changed group."""
        self.connection.execute(groups.update().where(groups.c.id == group.id).values(_row(group)))

    def remove(self, group: Group) -> None:
        """Delete a group (its members must have left it first)."""
        self.connection.execute(groups.delete().where(groups.c.id == group.id))

    def list(self, *, limit: int, after: list[Any] | None = None) -> list[Group]:
        """Return up to `limit` groups by name, after the (name, id) key `after`."""
        query = sa.select(groups).order_by(groups.c.name, groups.c.id).limit(limit)
        if after is not None:
            query = query.where(sa.tuple_(groups.c.name, groups.c.id) > sa.tuple_(*map(sa.literal, after)))
        return [_group(row) for row in self.connection.execute(query).mappings()]


#: The types of a groups cursor: the name, then the id.
CURSOR_TYPES = (str, str)


def sort_key(group: Group) -> list[Any]:
    """Return the cursor key of a group."""
    return [group.name, group.id]


def _row(group: Group) -> dict[str, Any]:
    return {name: getattr(group, name) for name in _NAMES}


def _group(row: Any) -> Group:
    return Group(**{name: row[name] for name in _NAMES})
