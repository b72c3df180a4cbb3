"""`python -m crm_deals migrate|serve|consume`."""
from __future__ import annotations

from pathlib import Path

from crm_shared.cli import service_main

from crm_deals.consumer import consume

MIGRATIONS = str(Path(__file__).parent / "migrations")


def main() -> None:
    """Run one command of the deals service."""
    service_main("deals", app_factory="crm_deals.app:create_app()", migrations_location=MIGRATIONS,
                 commands={"consume": consume})


if __name__ == "__main__":
    main()
