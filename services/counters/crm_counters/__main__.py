"""`python -m crm_counters migrate|serve|consume`; `serve` runs uvicorn (the live streams need asyncio)."""
from __future__ import annotations

import sys

from crm_shared import live
from crm_shared.cli import migrations_location, run_service
from crm_shared.config import Settings

from crm_counters.consumer import consume
from crm_counters.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)

#: how uvicorn serves the counters (the kit's options for every service with live streams)
SERVER_OPTIONS = live.SERVER_OPTIONS


def serve(settings: Settings) -> None:
    """Serve the API and the live streams on the service's port with uvicorn, in this process."""
    live.serve(SERVICE.name, "crm_counters.asgi:create_asgi", settings.port)


def main(argv: list[str] | None = None) -> None:
    """Run one command of the counters service."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:
        serve(Settings.from_env(SERVICE.name))
        return
    run_service(SERVICE, commands={"consume": consume}, argv=args)


if __name__ == "__main__":
    main()
