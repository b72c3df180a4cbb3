"""`python -m crm_counters migrate|serve|consume`; `serve` runs uvicorn (the live streams need asyncio)."""
from __future__ import annotations

import os
import sys
from typing import Any

from crm_shared import hostile_input, logs
from crm_shared.cli import migrations_location, run_service
from crm_shared.config import Settings

from crm_counters.consumer import consume
from crm_counters.declaration import SERVICE

MIGRATIONS = migrations_location(SERVICE)

#: how uvicorn serves the counters (the tests serve them the same way)
SERVER_OPTIONS: dict[str, Any] = {
    "lifespan": "on", "log_config": None, "log_level": "warning", "access_log": False, "server_header": False,
    # like gunicorn's in cli.serve: the gateway keeps connections alive for reuse, and a stop waits briefly
    "timeout_keep_alive": 30, "timeout_graceful_shutdown": 3,
    # above the suite's own limits, so that the app answers over-long targets (414) and headers (431)
    # as problems rather than the server in its own format
    "h11_max_incomplete_event_size": 8 * hostile_input.MAX_HEADER_LENGTH,
}


def serve(settings: Settings) -> None:
    """Serve the API and the live streams on the service's port with uvicorn, in this process."""
    import uvicorn

    logs.configure(SERVICE.name)
    os.environ["CRM_JSON_LOGS"] = SERVICE.name
    uvicorn.run("crm_counters.asgi:create_asgi", factory=True, host=os.environ.get("CRM_BIND_HOST", "127.0.0.1"),
                port=settings.port, **SERVER_OPTIONS)


def main(argv: list[str] | None = None) -> None:
    """Run one command of the counters service."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:
        serve(Settings.from_env(SERVICE.name))
        return
    run_service(SERVICE, commands={"consume": consume}, argv=args)


if __name__ == "__main__":
    main()
