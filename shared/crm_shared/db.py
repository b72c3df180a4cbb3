"""Database engines for SQLite (embedded) and PostgreSQL (distributed), created per process."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url


def is_postgres(engine_or_url: Engine | str) -> bool:
    """Tell whether an engine or URL points at PostgreSQL."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "postgresql"


READ_ONLY = "crm_read_only"


def create_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10, read_only: bool = False) -> Engine:
    """Create an engine tuned for its backend; call it after any fork, never at import.

    A `read_only` engine's transactions never take SQLite's write lock, so long reads
    (exports, lists) do not hold writers up.
    """
    if make_url(url).get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    else:
        # No ping before every checkout (it costs a round trip per request): a connection
        # found dead raises a disconnect error, SQLAlchemy then refreshes the whole pool, and
        # the request answers 503 (see problems.register) for the client to retry.
        engine = sa.create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
    return engine.execution_options(**{READ_ONLY: True}) if read_only else engine


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # WAL lets readers run beside the one writer; NORMAL sync is durable in WAL mode
        # against process crashes. The driver's own BEGIN handling is switched off so that
        # SQLAlchemy's "begin" event below can issue BEGIN IMMEDIATE: writers then queue on
        # the busy timeout instead of failing with "database is locked" on lock upgrade.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def ensure_database(url: str) -> None:
    """Create the database named in a PostgreSQL URL if it does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).scalar()
            if not exists:
                try:
                    conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
                except sa.exc.ProgrammingError as exc:
                    # another process created it between our check and our CREATE
                    if "already exists" not in str(exc):
                        raise
                except sa.exc.IntegrityError:
                    pass
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    """Drop the database named in a PostgreSQL URL (tests), or delete the SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        admin.dispose()
