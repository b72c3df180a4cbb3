"""The gateway's migrations build exactly the tables its code uses, on both databases."""
from crm_shared.testing.schema import migration_drift

from crm_gateway.bootstrap import MIGRATIONS_LOCATION
from crm_gateway.identity.tables import metadata


def test_migrations_match_the_declared_tables(any_database_url: str) -> None:
    assert migration_drift(any_database_url, MIGRATIONS_LOCATION, "gateway", metadata) == []
