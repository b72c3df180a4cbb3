"""Imports of persons and companies: the rows of a file, the key that makes a re-run create nothing, the job.

A row's import key is a hash of its kind, its owner and its values as a create would store
them (trimmed, empty values dropped, lists without repeats, in any column order): the same
row imported again for the same owner has the same key, and the key table is unique, so the
second time the row is `skipped`. A row that differs in any stored value, or another owner's
copy of it, is a new record.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Mapping

from crm_shared.users import DirectoryUser
from crm_shared.visibility import Seer, Viewer

from crm_contacts.domain.model import normalize

#: rows one transaction of an import writes: progress is visible per batch, a restart resumes after the last
BATCH_SIZE = 500
#: the states of a job, in the order it goes through them
PENDING, RUNNING, DONE = "pending", "running", "done"

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class ImportRow:
    """One line of a file: its number in the file, and its values or why they are not a record."""

    number: int
    values: dict[str, Any] | None = None
    errors: Errors | None = None

    def refused(self, errors: Mapping[str, list[str]]) -> "ImportRow":
        """Return the row marked invalid for these reasons."""
        return replace(self, values=None, errors={name: list(messages) for name, messages in errors.items()})


@dataclass(frozen=True)
class RowOutcome:
    """What importing one row does (or would do): `create`, `skipped` (imported already) or `invalid`."""

    row: int
    action: str
    errors: Errors | None = None
    name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"row": self.row, "action": self.action}
        if self.errors:
            body["errors"] = self.errors
        if self.name is not None:
            body["name"] = self.name
        return body


def import_key(kind: str, owner_id: str, values: Mapping[str, Any]) -> str:
    """Return the key of a row: equal for rows that would store the same record for the same owner."""
    stored = {name: value for name, value in normalize(values).items() if value not in (None, [], {})}
    stored.pop("owner_id", None)
    text = json.dumps([kind, owner_id, stored], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def owner_of(values: Mapping[str, Any], creator_id: str) -> str:
    """Return who will own the record of a row: its `owner_id`, else the one importing it."""
    return str(values.get("owner_id") or creator_id)


@dataclass(frozen=True)
class Importer:
    """Who runs an import, as its job remembers them: the rules of a create are theirs, also after a restart."""

    id: str
    name: str
    role: str
    team: tuple[str, ...] = ()

    @classmethod
    def of(cls, viewer: Viewer) -> "Importer":
        return cls(id=viewer.id, name=getattr(viewer, "name", "") or viewer.id, role=viewer.role,
                   team=tuple(viewer.team))

    def viewer(self) -> Seer:
        return Seer(id=self.id, role=self.role, team=self.team, name=self.name)


@dataclass(frozen=True)
class KnownUsers:
    """The owners a file names, as the gateway answered when the import started (a job has no token later)."""

    users: dict[str, DirectoryUser] = field(default_factory=dict)

    def find(self, user_id: str) -> DirectoryUser | None:
        return self.users.get(user_id)

    def as_json(self) -> dict[str, Any]:
        return {user.id: asdict(user) for user in self.users.values()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "KnownUsers":
        return cls({key: DirectoryUser(**value) for key, value in (data or {}).items()})


@dataclass(frozen=True)
class ImportJob:
    """An import of one file: who started it, how far it got, and what it made of the rows so far."""

    id: str
    kind: str
    filename: str
    importer: Importer
    owners: KnownUsers
    correlation_id: str
    created_at: datetime
    updated_at: datetime
    total: int
    status: str = PENDING
    processed: int = 0
    created: int = 0
    skipped: int = 0
    invalid: int = 0
    #: why a job stopped before its last row, if it did
    error: str | None = None

    def advanced(self, outcomes: list[RowOutcome], now: datetime) -> "ImportJob":
        """Return the job after one batch of rows, done once every row is processed."""
        counts = {action: sum(1 for outcome in outcomes if outcome.action == action)
                  for action in ("create", "skipped", "invalid")}
        processed = self.processed + len(outcomes)
        return replace(self, processed=processed, created=self.created + counts["create"],
                       skipped=self.skipped + counts["skipped"], invalid=self.invalid + counts["invalid"],
                       status=DONE if processed >= self.total else RUNNING, updated_at=now)

    @property
    def link(self) -> str:
        return f"/api/v1/imports/{self.id}"

    def summary(self) -> dict[str, Any]:
        """Return the job as the API answers it (without its invalid rows)."""
        return {
            "id": self.id, "kind": self.kind, "filename": self.filename, "status": self.status,
            "total": self.total, "processed": self.processed, "created": self.created,
            "skipped": self.skipped, "invalid": self.invalid, "error": self.error, "created_by": self.importer.id,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
        }


def may_read(viewer: Viewer, job: ImportJob) -> bool:
    """Tell whether the viewer may see a job: the one who started it, or an admin."""
    return viewer.role == "admin" or viewer.id == job.importer.id
