"""`python -m crm_gateway migrate|serve|bootstrap`."""
from crm_shared.cli import service_main

from crm_gateway.bootstrap import MIGRATIONS_LOCATION, bootstrap


def main() -> None:
    """Run one of the gateway's commands."""
    service_main(
        "gateway",
        app_factory="crm_gateway.app:create_app()",
        migrations_location=MIGRATIONS_LOCATION,
        commands={"bootstrap": bootstrap},
    )


if __name__ == "__main__":
    main()
