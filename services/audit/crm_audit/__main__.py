"""`python -m crm_audit migrate|serve|consume|maintain` and `crm-audit tail`; `serve` runs uvicorn (for the live tail)."""
from __future__ import annotations

import sys

from crm_shared import live
from crm_shared.cli import migrations_location, run_service
from crm_shared.config import Settings

from crm_audit import maintenance
from crm_audit.consumer import consume
from crm_audit.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)


def serve(settings: Settings) -> None:
    """Serve the API and the live tail on the service's port with uvicorn, in this process."""
    live.serve(SERVICE.name, "crm_audit.asgi:create_asgi", settings.port)


def main(argv: list[str] | None = None) -> None:
    """Run one command of the audit service, or `tail` (the operators' client of the live tail)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:
        serve(Settings.from_env(SERVICE.name))
        return
    if args[:1] == ["tail"]:
        from crm_audit.tail_cli import main as tail

        sys.exit(tail(args[1:]))
    run_service(SERVICE, commands={"consume": consume, "maintain": maintenance.run}, argv=args)


if __name__ == "__main__":
    main()
