"""Alembic environment of the gateway: migrate on the connection the runner gives."""
from crm_shared.migrations import run_env

run_env()
