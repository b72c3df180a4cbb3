"""Alembic environment of the audit service: migrate on the connection crm_shared gives."""
from crm_shared.migrations import run_env

run_env()
