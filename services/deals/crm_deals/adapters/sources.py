"""The configurable list of acquisition sources a deal may name."""
from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_deals.adapters.tables import deal_sources


#: The types of a sources cursor: the position, the name, the id.
CURSOR_TYPES = (int, str, str)
_KEY = (deal_sources.c.position, deal_sources.c.name, deal_sources.c.id)


def sort_key(source: dict[str, Any]) -> list[Any]:
    """Return the cursor key of a source."""
    return [source["position"], source["name"], source["id"]]


class SourceRepository:
    """The sources in their table, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all(self) -> list[dict[str, str]]:
        """Return the sources in their order."""
        query = sa.select(deal_sources.c.id, deal_sources.c.name).order_by(*_KEY)
        return [dict(row) for row in self.connection.execute(query).mappings()]

    def page(self, *, limit: int, after: list[Any] | None) -> list[dict[str, Any]]:
        """Return up to `limit` sources in their order after the cursor key, each with its position."""
        query = sa.select(deal_sources.c.id, deal_sources.c.name, deal_sources.c.position).order_by(*_KEY)
        if after is not None:
            query = query.where(sa.tuple_(*_KEY) > sa.tuple_(*map(sa.literal, after)))
        return [dict(row) for row in self.connection.execute(query.limit(limit)).mappings()]

    def names(self) -> set[str]:
        """Return the names a deal's source may take."""
        return {source["name"] for source in self.all()}

    def add(self, name: str) -> dict[str, str]:
        """Append a source at the end of the list."""
        position = self.connection.execute(
            sa.select(sa.func.coalesce(sa.func.max(deal_sources.c.position), 0))).scalar()
        row = {"id": str(uuid.uuid4()), "name": name}
        self.connection.execute(deal_sources.insert().values(**row, position=int(position or 0) + 1))
        return row

    def remove(self, source_id: str) -> bool:
        """Remove a source from the list (deals keep the name they have); return whether it existed."""
        return self.connection.execute(deal_sources.delete().where(deal_sources.c.id == source_id)).rowcount > 0
