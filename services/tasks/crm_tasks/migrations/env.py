"""Alembic environment of the tasks service: migrate on the connection the runner gives."""
from crm_shared.migrations import run_env

run_env()
