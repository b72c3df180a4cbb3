"""Importing persons and companies from a file's rows: a dry run, a job, its batches (CON-16, AUD-8).

Every row is judged by `checked_new_contact`, the create's own checks (owner, references, the
record's rules), and every created row is emitted as the create emits it, by a unit of work
whose actor has the channel `import`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Iterable, Sequence

from crm_shared.envelope import Actor
from crm_shared.errors import NotFound, ValidationFailed
from crm_shared.rules import RuleBroken
from crm_shared.types import utcnow
from crm_shared.users import UserDirectory
from crm_shared.visibility import Viewer, can_see

from crm_contacts.domain.events import contact_created
from crm_contacts.domain.imports import (
    BATCH_SIZE, DONE, ImportJob, Importer, ImportRow, KnownUsers, RowOutcome, import_key, may_read, owner_of,
)
from crm_contacts.domain.model import Contact
from crm_contacts.service_layer.contacts import checked_new_contact
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

#: the channel every change an import makes is recorded with
CHANNEL = "import"
#: how long a worker holds a job between two batches; past it another worker resumes the job
CLAIM = timedelta(seconds=60)
#: how many invalid rows a job's answer lists
LISTED_INVALID = 1000


@dataclass
class Judged:
    """One batch of rows judged: the outcome per row, and the records and keys to write."""

    outcomes: list[RowOutcome]
    contacts: list[Contact]
    keys: list[dict[str, Any]]
    refused: list[ImportRow]


def preview_import(uow: ContactsUnitOfWork, kind: str, rows: Sequence[ImportRow], *,
                   users: UserDirectory) -> dict[str, Any]:
    """Judge every row as the import would, writing nothing: what each row would create, and why rows are invalid."""
    outcomes: list[RowOutcome] = []
    with uow.reading():
        seen: set[str] = set()
        for start in range(0, len(rows), BATCH_SIZE):
            outcomes += judge(uow, kind, rows[start:start + BATCH_SIZE], users, seen, job_id="").outcomes
    return report(outcomes)


def report(outcomes: list[RowOutcome]) -> dict[str, Any]:
    """Return a dry run's answer: counts, the invalid rows with their reasons, and every row's outcome."""
    counts = {action: sum(1 for outcome in outcomes if outcome.action == action)
              for action in ("create", "skipped", "invalid")}
    return {"dry_run": True, "total": len(outcomes), "created": counts["create"], "skipped": counts["skipped"],
            "invalid": counts["invalid"],
            "invalid_rows": [{"row": o.row, "errors": o.errors} for o in outcomes if o.action == "invalid"],
            "rows": [outcome.as_dict() for outcome in outcomes]}


def start_import(uow: ContactsUnitOfWork, kind: str, filename: str, rows: Sequence[ImportRow], *,
                 users: UserDirectory) -> ImportJob:
    """Store an import job with its rows; a worker imports them in batches (`import_batch`)."""
    now = utcnow()
    job = ImportJob(id=str(uuid.uuid4()), kind=kind, filename=filename[:300], importer=Importer.of(uow.viewer),
                    owners=known_owners(uow.viewer, users, rows), correlation_id=uow.correlation_id,
                    created_at=now, updated_at=now, total=len(rows))
    with uow:
        uow.imports.add_job(job, rows)
        uow.commit()
    return job


def known_owners(viewer: Viewer, users: UserDirectory, rows: Iterable[ImportRow]) -> KnownUsers:
    """Look up, once each, the owners the rows name that the importer could give records to.

    The job checks owners later, without the importer's token, against this answer.
    """
    named = {str(row.values["owner_id"]) for row in rows if row.values and row.values.get("owner_id")}
    found = {owner: users.find(owner) for owner in sorted(named) if owner != viewer.id and can_see(viewer, owner)}
    return KnownUsers({owner: user for owner, user in found.items() if user is not None})


def import_batch(uows: Callable[..., ContactsUnitOfWork], job_id: str) -> ImportJob | None:
    """Import the job's next batch of rows in one transaction with their events and the job's progress."""
    with uows() as peek:
        job = peek.imports.get_job(job_id)
    if job is None or job.status == DONE:
        return job
    uow = uows(actor=Actor(job.importer.id, job.importer.name, channel=CHANNEL),
               viewer=job.importer.viewer(), correlation_id=job.correlation_id)
    with uow:
        job = uow.imports.get_job(job_id, for_update=True)
        assert job is not None
        judged = judge(uow, job.kind, uow.imports.rows(job.id, after=job.processed, limit=BATCH_SIZE),
                       job.owners, set(), job_id=job.id)
        uow.contacts.add_many(judged.contacts)
        uow.imports.add_keys(judged.keys)
        uow.imports.refuse_rows(job.id, judged.refused)
        for contact in judged.contacts:
            uow.emit(contact_created(contact))
        now = utcnow()
        job = job.advanced(judged.outcomes, now)
        uow.imports.save_job(job, claimed_until=None if job.status == DONE else now + CLAIM)
        if job.status == DONE:
            uow.imports.forget_values(job.id)
        uow.commit()
    return job


def judge(uow: ContactsUnitOfWork, kind: str, rows: Sequence[ImportRow], users: UserDirectory,
          seen: set[str], *, job_id: str) -> Judged:
    """Judge a batch of rows: skipped (its key is known: imported before), invalid (the create's refusal) or new.

    `seen` holds the keys of earlier rows of the same file, so a row repeated in it is skipped too.
    """
    judged = Judged([], [], [], [])
    keys = {row.number: import_key(kind, owner_of(row.values, uow.actor.id), row.values)
            for row in rows if row.values is not None and not row.errors}
    known = uow.imports.existing_keys(keys.values()) | seen
    for row in rows:
        key = keys.get(row.number)
        if key is None:
            judged.outcomes.append(RowOutcome(row.number, "invalid", row.errors))
        elif key in known:
            judged.outcomes.append(RowOutcome(row.number, "skipped"))
        else:
            judged.outcomes.append(_judge_new(uow, kind, row, users, key, judged, job_id))
            known.add(key)
            seen.add(key)
    return judged


def _judge_new(uow: ContactsUnitOfWork, kind: str, row: ImportRow, users: UserDirectory, key: str,
               judged: Judged, job_id: str) -> RowOutcome:
    assert row.values is not None
    try:
        contact = checked_new_contact(uow, kind, row.values, users)
    except (RuleBroken, ValidationFailed) as refusal:
        refused = row.refused(refusal.errors if isinstance(refusal, RuleBroken) else refusal.extra["errors"])
        judged.refused.append(refused)
        return RowOutcome(row.number, "invalid", refused.errors)
    judged.contacts.append(contact)
    judged.keys.append({"key": key, "kind": kind, "owner_id": contact.owner_id, "contact_id": contact.id,
                        "job_id": job_id, "created_at": contact.created_at})
    return RowOutcome(row.number, "create", name=contact.display_name)


def get_import(uow: ContactsUnitOfWork, job_id: str, viewer: Viewer) -> dict[str, Any]:
    """Return a job its creator or an admin may see, with its invalid rows; anyone else gets 404."""
    with uow.reading():
        job = uow.imports.get_job(job_id)
        if job is None or not may_read(viewer, job):
            raise NotFound(f"No import with id {job_id}.")
        invalid = uow.imports.invalid_rows(job.id, LISTED_INVALID)
    return {**job.summary(), "invalid_rows": [{"row": row.number, "errors": row.errors} for row in invalid]}


def claim_import(uow: ContactsUnitOfWork) -> ImportJob | None:
    """Take the oldest job no worker holds, for `CLAIM`; None when there is none."""
    now = utcnow()
    with uow:
        job = uow.imports.claim(now, now + CLAIM)
        uow.commit()
    return job


def fail_import(uow: ContactsUnitOfWork, job_id: str, reason: str) -> None:
    """Stop a job that cannot go on, saying why; the rows it imported stay imported."""
    with uow:
        uow.imports.fail(job_id, reason, utcnow())
        uow.commit()
