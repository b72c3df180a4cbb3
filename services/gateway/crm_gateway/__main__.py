"""`python -m crm_gateway migrate|serve|bootstrap`."""
from crm_shared.cli import run_service

from crm_gateway.bootstrap import bootstrap
from crm_gateway.declaration import SERVICE


def main() -> None:
    """Run one of the gateway's commands."""
    run_service(SERVICE, commands={"bootstrap": bootstrap})


if __name__ == "__main__":
    main()
