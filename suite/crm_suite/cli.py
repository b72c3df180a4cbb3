"""`crm-suite run`: the whole suite in the foreground until Ctrl-C or SIGTERM."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from crm_shared import logs
from crm_shared.config import Settings, service_url

from crm_suite.plan import long_running, setup_steps
from crm_suite.ports import busy_ports
from crm_suite.supervisor import StartupFailed, Supervisor

log = logging.getLogger("crm.suite")


def run() -> int:
    """Set up, start and supervise every process; stop them all on SIGTERM or SIGINT."""
    environ = dict(os.environ)
    # Checked before anything starts: a server that cannot bind its port would leave the
    # health check talking to whatever program answers there instead.
    busy = busy_ports([spec.name for spec in long_running(environ) if spec.health_url], environ)
    if busy:
        for port in busy:
            print(f"crm-suite: {port.message()}", file=sys.stderr, flush=True)
        return 1
    settings = Settings.from_env("gateway", environ)
    environ["CRM_DATA_DIR"] = str(settings.data_dir)
    run_dir = settings.data_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(run_dir, environ)

    def _stop(_signum: int, _frame: object) -> None:
        supervisor.stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    mode = "embedded (SQLite, file transport)" if settings.embedded_broker else "distributed"
    log.info("starting the suite", extra={"mode": mode, "data_dir": str(settings.data_dir)})
    try:
        # the gateway's bootstrap first (the signing key and the first admin), then every other
        # service's migrations side by side: each has a database of its own
        first, *others = setup_steps()
        supervisor.run_step(first)
        supervisor.run_steps(others)
        for spec in long_running(environ):
            supervisor.start(spec)
        supervisor.wait_healthy()
        print(f"CRM suite ready: {service_url('gateway', environ)}/api/v1  (Ctrl-C stops it)", flush=True)
        supervisor.watch()
        return 0
    except StartupFailed as exc:
        log.error("the suite could not start: %s", exc)
        return 1
    finally:
        supervisor.stop_all()
        log.info("the suite stopped")


def main(argv: list[str] | None = None) -> None:
    """Entry point of `crm-suite`."""
    parser = argparse.ArgumentParser(prog="crm-suite", description="Run the CRM suite.")
    parser.add_argument("command", choices=["run"], help="run: check the ports are free, set up, start and "
                        "supervise every process in the foreground until Ctrl-C or SIGTERM")
    parser.parse_args(argv)
    logs.configure("suite")
    sys.exit(run())


if __name__ == "__main__":
    main()
