"""`python -m crm_interactions migrate|serve|consume`."""
from __future__ import annotations

from crm_shared.cli import migrations_location, run_service

from crm_interactions.consumer import consume
from crm_interactions.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)


def main() -> None:
    """Run one command of the interactions service."""
    run_service(SERVICE, commands={"consume": consume})


if __name__ == "__main__":
    main()
