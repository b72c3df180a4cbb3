"""`python -m crm_tasks migrate|serve|consume`."""
from __future__ import annotations

from crm_shared.cli import migrations_location, run_service

from crm_tasks.consumer import consume
from crm_tasks.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)


def main() -> None:
    """Run one command of the tasks service."""
    run_service(SERVICE, commands={"consume": consume})


if __name__ == "__main__":
    main()
