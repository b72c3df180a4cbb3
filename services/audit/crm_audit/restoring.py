"""Restoring a field from an audit entry through the owning service's own API, as the admin (AUD-8).

The owning service's rules, locks and visibility apply: the audit service only reads the record,
checks that the field still has the value the entry left, and patches the entry's `before` back
with `If-Match` of the version it read, naming the entry (`restores_entry`) so that the new
change's own entry points at it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from crm_shared.errors import Conflict, PreconditionFailed, ValidationFailed

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.restore import FIELD, check_unchanged, restore_of


@dataclass(frozen=True)
class Caller:
    """Whose call the owning service sees: the admin's own `Authorization` header, and the request id."""

    authorization: str
    request_id: str


@dataclass(frozen=True)
class Record:
    """A record as its owning service answers it, and its version (the `ETag`)."""

    body: Mapping[str, Any]
    version: str | None


class OwningServices(Protocol):
    """The services owning the records entries link to, reached by the entry's `object_link`.

    Their refusals arrive as the kit's problems (404, 409, 412, 422, 423; 502/503/504 when down).
    """

    def read(self, link: str, caller: Caller) -> Record: ...

    def patch(self, link: str, values: Mapping[str, Any], *, version: str | None, caller: Caller,
              restores_entry: str) -> Record: ...


class Entries(Protocol):
    def entry(self, entry_id: str) -> AuditEntry: ...


@dataclass(frozen=True)
class Restored:
    """What a restore put back, and the record as its owning service answered after the change."""

    restored_from: str
    field: str
    value: Any
    object_link: str
    record: Mapping[str, Any]


def restore_field(entries: Entries, owners: OwningServices, entry_id: str, field: str, caller: Caller) -> Restored:
    """Put `field` of the entry's record back to the entry's `before` value, as a new audited change."""
    restore = restore_of(entries.entry(entry_id), field)
    record = owners.read(restore.object_link, caller)
    check_unchanged(restore, record.body)
    try:
        patched = owners.patch(restore.object_link, {field: restore.before}, version=record.version, caller=caller,
                               restores_entry=restore.entry_id)
    except PreconditionFailed:
        raise Conflict(f"`{field}` was changed while it was being restored; nothing was restored.") from None
    except ValidationFailed as refused:
        raise _refused_value(field, refused) from None
    return Restored(restore.entry_id, field, restore.before, restore.object_link, patched.body)


def _refused_value(field: str, refused: ValidationFailed) -> ValidationFailed:
    """Name the request's `field` in the owning service's refusal of the value (or of the field itself)."""
    errors = refused.extra.get("errors") or {}
    messages = [f"{name}: {message}" for name, found in errors.items() for message in found] or [refused.detail]
    return ValidationFailed({FIELD: messages},
                            f"The record's service refused to put `{field}` back: {'; '.join(messages)}")
