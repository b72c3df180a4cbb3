"""Running a service's Alembic migrations, once, whatever number of processes start at once."""
from __future__ import annotations

import zlib

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from crm_shared import db


def upgrade(database_url: str, script_location: str, service: str) -> None:
    """Create the database if missing and bring it to the newest schema."""
    db.ensure_database(database_url)
    engine = db.create_engine(database_url, pool_size=1)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Alembic takes no lock of its own: two replicas starting together would
                # both run the same migration. The advisory lock makes the second wait and
                # then find nothing left to do.
                key = zlib.crc32(f"crm-migrations:{service}".encode())
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
            config = Config()
            config.set_main_option("script_location", script_location)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def run_env() -> None:
    """The body of every service's migrations/env.py: migrate on the connection given."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
