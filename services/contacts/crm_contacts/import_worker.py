"""The import worker: runs in the contacts consumer process and imports pending jobs, batch by batch.

A worker claims a job for a minute and renews the claim with every batch; each batch commits
its records, their events and the job's progress together. A worker that dies (a restart, a
kill) leaves its claim to expire, and any worker then resumes the job after its last committed
batch: no row is imported twice, none is lost. Several consumer replicas share the jobs.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

import sqlalchemy as sa

from crm_shared import db
from crm_shared.config import Settings
from crm_shared.unit_of_work import factory_of

from crm_contacts.domain.imports import DONE
from crm_contacts.service_layer import imports as use_cases
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

log = logging.getLogger(__name__)

#: how often an idle worker looks for a job
POLL_SECONDS = 0.5
#: how often a batch may fail on a conflict (a concurrent import of the same rows) before its job stops
CONFLICT_RETRIES = 3


class ImportWorker:
    """Claims import jobs and imports them until stopped."""

    def __init__(self, uows: Callable[..., ContactsUnitOfWork], stop: threading.Event,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.uows = uows
        self.stop = stop
        self.poll_seconds = poll_seconds

    def run(self) -> None:
        """Import jobs until `stop` is set; a database outage only pauses the work."""
        while not self.stop.is_set():
            try:
                job = use_cases.claim_import(self.uows())
                if job is None:
                    self.stop.wait(self.poll_seconds)
                    continue
                self.finish(job.id)
            except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
                log.warning("imports paused, the database is unavailable: %s", error)
                self.stop.wait(self.poll_seconds * 4)

    def finish(self, job_id: str) -> None:
        """Import a claimed job's batches until it is done (or the worker stops: the job waits for the next)."""
        conflicts = 0
        while not self.stop.is_set():
            try:
                job = use_cases.import_batch(self.uows, job_id)
            except sa.exc.IntegrityError as error:
                # the same rows being imported by another job at this moment: the retry skips them
                conflicts += 1
                if conflicts > CONFLICT_RETRIES:
                    self._fail(job_id, f"rows conflicted with another import: {error.orig}")
                    return
                continue
            except (sa.exc.OperationalError, sa.exc.InterfaceError):
                raise
            except Exception as error:  # noqa: BLE001 (a job that cannot go on stops; the worker goes on)
                log.exception("import %s failed", job_id)
                self._fail(job_id, f"{type(error).__name__}: {error}")
                return
            if job is None or job.status == DONE:
                log.info("import %s done", job_id)
                return

    def _fail(self, job_id: str, reason: str) -> None:
        use_cases.fail_import(self.uows(), job_id, reason)


@contextmanager
def importing(settings: Settings, stop: threading.Event) -> Iterator[ImportWorker]:
    """Run an import worker in a thread of this process, on its own engine, until `stop`."""
    engine = db.create_engine(settings.database_url)
    worker = ImportWorker(factory_of(ContactsUnitOfWork, engine), stop)
    thread = threading.Thread(target=worker.run, name="imports", daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        stop.set()
        thread.join(timeout=30)
        engine.dispose()
