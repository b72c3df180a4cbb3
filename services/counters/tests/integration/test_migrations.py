"""The migrations build exactly the tables the code uses, on both databases."""
from pathlib import Path

import crm_counters
from crm_shared.testing.schema import migration_drift

from crm_counters.adapters.tables import metadata


def test_migrations_match_the_declared_tables(any_database_url: str) -> None:
    location = str(Path(crm_counters.__file__).parent / "migrations")
    assert migration_drift(any_database_url, location, "counters", metadata) == []
