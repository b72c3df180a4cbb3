"""The tasks service's copies of other services' records: the persons, companies and deals it links,
and the users' names."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import is_newer
from crm_shared.copy_store import RecordCopies as KitRecordCopies
from crm_shared.upsert import insert_missing, upsert

from crm_tasks.adapters.tables import records, user_names


class RecordCopies(KitRecordCopies):
    """The copies of linked persons, companies and deals, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection, records)


class UserNames:
    """Users' display names by id, from the gateway's user events and the callers' tokens."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._cache: dict[str, str | None] = {}

    def name(self, user_id: str) -> str | None:
        if user_id not in self._cache:
            query = sa.select(user_names.c.name).where(user_names.c.id == user_id)
            self._cache[user_id] = self.connection.execute(query).scalar()
        return self._cache[user_id]

    def remember(self, user_id: str, name: str, sequence: int = 0) -> None:
        """Store a user's name when newer than the one known (sequence 0: a token's name, kept if none is known)."""
        if not name or not user_id:
            return
        current = self.connection.execute(
            sa.select(user_names.c.name, user_names.c.sequence).where(user_names.c.id == user_id)).first()
        if current is None:
            insert_missing(self.connection, user_names, {"id": user_id, "name": name, "sequence": sequence})
        elif sequence and is_newer(sequence, current.sequence) or (not sequence and current.sequence == 0
                                                                   and current.name != name):
            upsert(self.connection, user_names, {"id": user_id, "name": name, "sequence": sequence or current.sequence},
                   keys=("id",))
        self._cache[user_id] = name


