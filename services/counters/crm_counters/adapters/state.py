"""Settings and the per-user change marks the live streams watch."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.upsert import insert, insert_missing

from crm_counters.adapters.tables import count_changes, counter_settings
from crm_counters.domain.settings import GLOBAL, CounterSettings


class SettingsRepository:
    """The global settings and each user's own."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, scope: str) -> CounterSettings | None:
        row = self.connection.execute(
            sa.select(counter_settings).where(counter_settings.c.scope == scope)).mappings().first()
        return CounterSettings(**row) if row else None

    def global_settings(self) -> CounterSettings:
        return self.get(GLOBAL) or CounterSettings(GLOBAL)

    def save(self, settings: CounterSettings) -> None:
        """Store settings whose version is one more than the stored one's (0: new)."""
        values = {"window_minutes": settings.window_minutes, "mode": settings.mode, "version": settings.version}
        if settings.version == 1:
            insert_missing(self.connection, counter_settings, {"scope": settings.scope, **values})
        self.connection.execute(counter_settings.update().where(counter_settings.c.scope == settings.scope)
                                .values(**values))


class ChangeMarks:
    """A version per user that goes up whenever the user's counts may have changed (`*`: everyone's)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def mark(self, user_ids: Iterable[str], now: datetime) -> None:
        """Raise the version of each user, in one statement (in id order, so two writers never deadlock)."""
        rows = [{"user_id": user_id, "version": 1, "changed_at": now} for user_id in sorted(set(user_ids))]
        if not rows:
            return
        statement = insert(self.connection, count_changes)
        self.connection.execute(statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"version": count_changes.c.version + 1, "changed_at": statement.excluded.changed_at}), rows)

    def of(self, user_ids: Iterable[str]) -> dict[str, int]:
        """Return the version of each of these users that was ever marked."""
        wanted, found = sorted(set(user_ids)), {}
        for start in range(0, len(wanted), 1000):
            rows = self.connection.execute(sa.select(count_changes.c.user_id, count_changes.c.version)
                                           .where(count_changes.c.user_id.in_(wanted[start:start + 1000])))
            found.update({user_id: version for user_id, version in rows})
        return found

