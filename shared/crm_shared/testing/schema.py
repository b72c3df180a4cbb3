"""Checking that a service's migrations build exactly the tables its code declares."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crm_shared import db
from crm_shared.migrations import upgrade


def migration_drift(database_url: str, migrations_location: str, service: str, metadata: sa.MetaData) -> list:
    """Migrate an empty database and return the differences from `metadata` (empty when in step)."""
    upgrade(database_url, migrations_location, service)
    engine = db.create_engine(database_url)
    try:
        with engine.connect() as connection:
            parts = _partitions(connection)
            context = MigrationContext.configure(connection, opts={
                "compare_type": False,
                # a partition is part of its declared table, not a table of its own
                "include_name": lambda name, kind, _: not (kind == "table" and name in parts),
            })
            return [diff for diff in compare_metadata(context, metadata) if not _ignored(diff)]
    finally:
        engine.dispose()


def _partitions(connection: sa.Connection) -> set[str]:
    if connection.dialect.name != "postgresql":
        return set()
    return set(connection.execute(sa.text("SELECT relname FROM pg_class WHERE relispartition")).scalars())


def _ignored(diff: object) -> bool:
    # alembic's own version table is not part of any service's metadata
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == "alembic_version"
