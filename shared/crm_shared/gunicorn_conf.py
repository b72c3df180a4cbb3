"""gunicorn's server hooks for the suite (`--config python:crm_shared.gunicorn_conf`).

The workers of one server share a Prometheus multiprocess folder (`crm_shared.metrics`): it is
emptied when the server starts, a dead worker's live gauges are dropped, and a folder the suite
made itself is removed when the server stops.
"""
from __future__ import annotations

from typing import Any

from crm_shared import metrics


def on_starting(_server: Any) -> None:
    metrics.clear_multiprocess_dir()


def child_exit(_server: Any, worker: Any) -> None:
    metrics.worker_exited(worker.pid)


def on_exit(_server: Any) -> None:
    metrics.remove_owned_dir()
