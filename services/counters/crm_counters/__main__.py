"""`python -m crm_counters migrate|serve|consume`; `serve` runs uvicorn (the live streams need asyncio)."""
from __future__ import annotations

import os
import sys

from crm_shared import logs
from crm_shared.cli import migrations_location, run_service
from crm_shared.config import Settings

from crm_counters.consumer import consume
from crm_counters.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)


def serve(settings: Settings) -> None:
    """Serve the API and the live streams on the service's port with uvicorn, in this process."""
    import uvicorn

    logs.configure(SERVICE.name)
    os.environ["CRM_JSON_LOGS"] = SERVICE.name
    uvicorn.run("crm_counters.asgi:create_asgi", factory=True, host=os.environ.get("CRM_BIND_HOST", "127.0.0.1"),
                port=settings.port, lifespan="on", log_config=None, log_level="warning", access_log=False,
                timeout_keep_alive=30, timeout_graceful_shutdown=3, server_header=False)


def main(argv: list[str] | None = None) -> None:
    """Run one command of the counters service."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:
        serve(Settings.from_env(SERVICE.name))
        return
    run_service(SERVICE, commands={"consume": consume}, argv=args)


if __name__ == "__main__":
    main()
