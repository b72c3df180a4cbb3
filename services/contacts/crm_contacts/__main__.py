"""`python -m crm_contacts migrate|serve`."""
from pathlib import Path

from crm_shared.cli import service_main

if __name__ == "__main__":
    service_main(
        "contacts",
        app_factory="crm_contacts.app:create_app()",
        migrations_location=str(Path(__file__).parent / "migrations"),
    )
