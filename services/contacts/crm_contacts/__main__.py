"""`python -m crm_contacts migrate|serve|consume`."""
from __future__ import annotations

from pathlib import Path

from crm_shared.cli import service_main

from crm_contacts.consumer import consume

MIGRATIONS = str(Path(__file__).parent / "migrations")


def main() -> None:
    """Run one command of the contacts service."""
    service_main(
        "contacts",
        app_factory="crm_contacts.app:create_app()",
        migrations_location=MIGRATIONS,
        commands={"consume": consume},
    )


if __name__ == "__main__":
    main()
