"""The audit migrations build exactly the tables the code uses, on both databases."""
from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters.tables import metadata
from crm_shared.testing.schema import migration_drift


def test_migrations_match_the_declared_tables(any_database_url: str) -> None:
    assert migration_drift(any_database_url, MIGRATIONS, "audit", metadata) == []
