"""`python -m crm_audit migrate|serve|consume`."""
from __future__ import annotations

from pathlib import Path

from crm_audit.consumer import consume
from crm_shared.cli import service_main

MIGRATIONS = str(Path(__file__).parent / "migrations")


def main() -> None:
    """Run one command of the audit service."""
    service_main(
        "audit",
        app_factory="crm_audit.app:create_app()",
        migrations_location=MIGRATIONS,
        commands={"consume": consume},
    )


if __name__ == "__main__":
    main()
