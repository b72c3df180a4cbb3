"""Import jobs, their rows and the keys of imported rows, with SQLAlchemy Core in the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_contacts.adapters.tables import import_jobs, import_keys, import_rows
from crm_contacts.domain.imports import DONE, PENDING, RUNNING, ImportJob, Importer, ImportRow, KnownUsers

#: how many keys one `IN (…)` asks about
_KEY_CHUNK = 500


class ImportRepository:
    """The jobs, the rows each job still has to import, and the keys of the rows imported so far."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_job(self, job: ImportJob, rows: Iterable[ImportRow]) -> None:
        """Store a new job with its rows, in file order."""
        self.connection.execute(import_jobs.insert(), _job_row(job))
        records = [{"job_id": job.id, "ordinal": ordinal, "row_number": row.number, "values": row.values,
                    "errors": row.errors} for ordinal, row in enumerate(rows, start=1)]
        if records:
            self.connection.execute(import_rows.insert(), records)

    def get_job(self, job_id: str, *, for_update: bool = False) -> ImportJob | None:
        """Load a job; with `for_update`, hold its row lock until commit (one batch at a time)."""
        query = sa.select(import_jobs).where(import_jobs.c.id == job_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return _to_job(row) if row else None

    def save_job(self, job: ImportJob, *, claimed_until: datetime | None) -> None:
        """Write a job's progress, and how long its worker still holds it."""
        values = {key: value for key, value in _job_row(job).items() if key != "id"}
        self.connection.execute(import_jobs.update().where(import_jobs.c.id == job.id),
                                {**values, "claimed_until": claimed_until})

    def claim(self, now: datetime, until: datetime) -> ImportJob | None:
        """Take the oldest job nobody holds (never started, or its worker gone past its claim) until `until`."""
        free = sa.and_(import_jobs.c.status.in_([PENDING, RUNNING]),
                       sa.or_(import_jobs.c.claimed_until.is_(None), import_jobs.c.claimed_until < now))
        candidate = self.connection.execute(
            sa.select(import_jobs.c.id).where(free).order_by(import_jobs.c.created_at).limit(1)
            .with_for_update(skip_locked=True)
        ).scalar()
        if candidate is None:
            return None
        # the condition again: on SQLite, where no row lock is taken, only one worker's update matches
        taken = self.connection.execute(
            import_jobs.update().where(import_jobs.c.id == candidate, free)
            .values(status=RUNNING, claimed_until=until)
        )
        return self.get_job(candidate) if taken.rowcount == 1 else None

    def fail(self, job_id: str, reason: str, now: datetime) -> None:
        """Mark a job that cannot go on as done with an error (its imported rows stay)."""
        self.connection.execute(import_jobs.update().where(import_jobs.c.id == job_id)
                                .values(status=DONE, error=reason[:2000], claimed_until=None, updated_at=now))

    def rows(self, job_id: str, *, after: int, limit: int) -> list[ImportRow]:
        """Return up to `limit` rows of a job after the first `after`, in file order."""
        query = (sa.select(import_rows.c.row_number, import_rows.c["values"], import_rows.c.errors)
                 .where(import_rows.c.job_id == job_id, import_rows.c.ordinal > after)
                 .order_by(import_rows.c.ordinal).limit(limit))
        return [ImportRow(number=row.row_number, values=row.values, errors=row.errors)
                for row in self.connection.execute(query)]

    def refuse_rows(self, job_id: str, refused: list[ImportRow]) -> None:
        """Record why rows found invalid while importing were not imported."""
        if refused:
            statement = (import_rows.update()
                         .where(import_rows.c.job_id == job_id, import_rows.c.row_number == sa.bindparam("number"))
                         .values(errors=sa.bindparam("reasons"), **{"values": None}))
            self.connection.execute(statement, [{"number": row.number, "reasons": row.errors} for row in refused])

    def invalid_rows(self, job_id: str, limit: int) -> list[ImportRow]:
        """Return the first `limit` invalid rows of a job, in file order."""
        query = (sa.select(import_rows.c.row_number, import_rows.c.errors)
                 .where(import_rows.c.job_id == job_id, import_rows.c.errors.is_not(None))
                 .order_by(import_rows.c.ordinal).limit(limit))
        return [ImportRow(number=row.row_number, errors=row.errors) for row in self.connection.execute(query)]

    def forget_values(self, job_id: str) -> None:
        """Drop the imported rows' values of a finished job; its invalid rows stay, to be read."""
        self.connection.execute(import_rows.delete().where(import_rows.c.job_id == job_id,
                                                           import_rows.c.errors.is_(None)))

    def existing_keys(self, keys: Iterable[str]) -> set[str]:
        """Return those of `keys` some import has recorded already."""
        wanted, found = list(keys), set()
        for start in range(0, len(wanted), _KEY_CHUNK):
            chunk = wanted[start:start + _KEY_CHUNK]
            found |= set(self.connection.execute(
                sa.select(import_keys.c.key).where(import_keys.c.key.in_(chunk))).scalars())
        return found

    def add_keys(self, keys: list[dict[str, Any]]) -> None:
        """Record the keys of imported rows (`key`, `kind`, `owner_id`, `contact_id`, `job_id`, `created_at`).

        The key is the primary key: a concurrent import of the same row fails its batch here, and
        its retry then finds the key and skips the row.
        """
        if keys:
            self.connection.execute(import_keys.insert(), keys)


def _job_row(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.id, "kind": job.kind, "filename": job.filename, "status": job.status,
        "importer": {"id": job.importer.id, "name": job.importer.name, "role": job.importer.role,
                     "team": list(job.importer.team)},
        "owners": job.owners.as_json(), "correlation_id": job.correlation_id, "total": job.total,
        "processed": job.processed, "created": job.created, "skipped": job.skipped, "invalid": job.invalid,
        "error": job.error, "created_at": job.created_at, "updated_at": job.updated_at,
    }


def _to_job(row: Any) -> ImportJob:
    importer = row["importer"]
    return ImportJob(
        id=row["id"], kind=row["kind"], filename=row["filename"], status=row["status"],
        importer=Importer(id=importer["id"], name=importer["name"], role=importer["role"],
                          team=tuple(importer.get("team") or ())),
        owners=KnownUsers.from_json(row["owners"]), correlation_id=row["correlation_id"], total=row["total"],
        processed=row["processed"], created=row["created"], skipped=row["skipped"], invalid=row["invalid"],
        error=row["error"], created_at=row["created_at"], updated_at=row["updated_at"],
    )
