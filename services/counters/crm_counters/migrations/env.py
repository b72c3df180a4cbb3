"""Alembic environment of the counters service: migrate on the connection the runner gives."""
from crm_shared.migrations import run_env

run_env()
