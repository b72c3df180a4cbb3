"""Fixtures available to every test of the repository."""
from crm_shared.testing.fixtures import amqp_url, any_database_url, postgres_module_url, postgres_url, sqlite_url  # noqa: F401
