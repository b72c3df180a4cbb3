"""The command line every service shares: `python -m crm_<service> migrate|serve|…`."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from crm_shared import hostile_input, logs, metrics, migrations
from crm_shared.config import Settings

if TYPE_CHECKING:
    from crm_shared.declaration import ServiceDeclaration


def serve(settings: Settings, app_factory: str) -> None:
    """Replace this process with gunicorn serving the app factory (workers made after fork)."""
    embedded = settings.database_url.startswith("sqlite")
    workers = os.environ.get("CRM_WEB_WORKERS") or str(1 if embedded else os.cpu_count() or 2)
    threads = os.environ.get("CRM_WEB_THREADS") or "4"
    host = os.environ.get("CRM_BIND_HOST", "127.0.0.1")
    argv = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{settings.port}",
        "--workers", workers,
        "--threads", threads,
        # gunicorn's own workers, answering the requests gunicorn refuses as problem+json
        "--worker-class", "crm_shared.gunicorn_workers." + ("ProblemThreadWorker" if int(threads) > 1 else "ProblemSyncWorker"),
        "--graceful-timeout", "5",
        "--timeout", "120",
        "--keep-alive", "30",
        "--log-level", "warning",
        # the Prometheus multiprocess folder's upkeep (crm_shared.metrics)
        "--config", "python:crm_shared.gunicorn_conf",
        # gunicorn answers its own limits in its own format; with its limits above the suite's,
        # the app's RequestLimits answers over-long targets (414) and headers (431) as problems
        "--limit-request-line", "0",
        "--limit-request-field_size", str(4 * hostile_input.MAX_HEADER_LENGTH),
        app_factory,
    ]
    # gunicorn workers build the app in a fresh interpreter: tell the factory to log as JSON
    os.environ["CRM_JSON_LOGS"] = settings.service
    # the workers' metrics meet in one folder per server (made here when none is given)
    metrics.multiprocess_dir()
    os.execv(sys.executable, argv)


def migrations_location(declaration: "ServiceDeclaration") -> str:
    """Return the folder of a declared service's Alembic migrations, `crm_<name>/migrations`."""
    package = importlib.import_module(declaration.package)
    assert package.__file__ is not None
    return str(Path(package.__file__).parent / "migrations")


def run_service(
    declaration: "ServiceDeclaration",
    *,
    commands: Mapping[str, Callable[[Settings], None]] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Run a declared service's command: `python -m crm_<name> migrate|serve|…` (app and migrations by convention)."""
    service_main(
        declaration.name,
        app_factory=f"{declaration.package}.app:create_app()",
        migrations_location=migrations_location(declaration),
        commands=commands,
        argv=argv,
    )


def service_main(
    service: str,
    *,
    app_factory: str,
    migrations_location: str,
    commands: Mapping[str, Callable[[Settings], None]] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Run one of a service's commands: migrate, serve, or a service-specific one."""
    extra = dict(commands or {})
    parser = argparse.ArgumentParser(prog=f"crm-{service}")
    parser.add_argument("command", choices=["migrate", "serve", *extra])
    args = parser.parse_args(argv)
    logs.configure(service)
    settings = Settings.from_env(service)
    if args.command == "migrate":
        migrations.upgrade(settings.database_url, migrations_location, service)
    elif args.command == "serve":
        serve(settings, app_factory)
    else:
        extra[args.command](settings)
