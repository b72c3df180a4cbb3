"""The deals service's own copy of the contacts it links (the kit's `RecordCopies` on `contacts`)."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copy_store import RecordCopies

from crm_deals.adapters.tables import contacts

__all__ = ["ContactCopies", "names_of"]


def names_of(connection: Connection, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """Return the known names and owners of contacts by id (None while pending or not known)."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = sa.select(contacts.c.id, contacts.c.name, contacts.c.owner_id).where(contacts.c.id.in_(wanted))
    return {row.id: (row.name, row.owner_id) for row in connection.execute(query)}


class ContactCopies(RecordCopies):
    """The copies of contacts, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection, contacts)
