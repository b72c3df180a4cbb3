"""Keeping the log's partitions: the months ahead created, the months past retention dropped.

The audit consumer runs it at start and every hour (`keep_partitions`); `python -m crm_audit
maintain` runs it once. `CRM_AUDIT_RETENTION_MONTHS=N` keeps the current month and the N before
it; unset (the default), nothing is ever dropped.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Mapping

from sqlalchemy.engine import Engine

from crm_audit.adapters import partitions
from crm_audit.domain.retention import retention_cutoff
from crm_shared import db
from crm_shared.config import Settings
from crm_shared.types import utcnow

log = logging.getLogger(__name__)

RETENTION_VARIABLE = "CRM_AUDIT_RETENTION_MONTHS"
INTERVAL_SECONDS = 3600.0


def retention_months(env: Mapping[str, str]) -> int | None:
    """Return the retention period in months from the environment, None when unset; refuse nonsense."""
    text = (env.get(RETENTION_VARIABLE) or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{RETENTION_VARIABLE} must be a whole number of months, at least 1 (got {text!r}).")
    return int(text)


def maintain_once(engine: Engine, months: int | None, now: datetime | None = None) -> list[str]:
    """Create the coming months' partitions and drop what is past retention, in one transaction."""
    now = now or utcnow()
    with engine.begin() as connection:
        return partitions.maintain(connection, now, retention_cutoff(now, months))


def keep_partitions(settings: Settings, stop: threading.Event) -> threading.Thread:
    """Maintain the partitions now and every hour until `stop`, on a thread and an engine of its own."""
    months = retention_months(settings.extra)
    thread = threading.Thread(target=_loop, args=(settings.database_url, months, stop),
                              name="audit-partitions", daemon=True)
    thread.start()
    return thread


def run(settings: Settings) -> None:
    """`python -m crm_audit maintain`: maintain once and say what changed."""
    engine = db.create_engine(settings.database_url)
    try:
        for change in maintain_once(engine, retention_months(settings.extra)) or ["nothing to do"]:
            print(change)
    finally:
        engine.dispose()


def _loop(url: str, months: int | None, stop: threading.Event) -> None:
    engine = db.create_engine(url)
    try:
        while not stop.is_set():
            try:
                for change in maintain_once(engine, months):
                    log.info("audit partitions: %s", change)
            except Exception:  # a failed round is logged; the next one tries again
                log.exception("audit partition maintenance failed")
            stop.wait(INTERVAL_SECONDS)
    finally:
        engine.dispose()
