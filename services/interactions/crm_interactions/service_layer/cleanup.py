"""Deleting canceled entries (INT-4): one at a time, or in bulk with the list's filters as one audited operation.

An entry that is not canceled is never deleted: the bulk deletion matches canceled entries
only, a filter asking for logged ones is refused, and naming a logged entry by id refuses the
whole operation (409, nothing deleted).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from crm_shared.errors import Conflict, ValidationFailed
from crm_shared.preconditions import require_match

from crm_interactions.domain.entries import CANCELED, Entry
from crm_interactions.domain.events import DELETED, batch_deleted, entry_changed
from crm_interactions.domain.query import EntryQuery
from crm_interactions.service_layer.access import owners, seen_entry
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


@dataclass(frozen=True)
class Deletion:
    """What a bulk deletion removed (or, in a dry run, would remove)."""

    entry_ids: list[str]
    dry_run: bool
    operation_id: str | None

    def as_dict(self) -> dict[str, object]:
        return {"deleted": len(self.entry_ids), "dry_run": self.dry_run, "operation_id": self.operation_id,
                "ids": self.entry_ids}


def delete_entry(uow: InteractionsUnitOfWork, entry_id: str, if_match: str | None = None) -> None:
    """Delete one canceled entry (409 when it is not canceled)."""
    with uow:
        entry = seen_entry(uow, entry_id, for_update=True)
        require_match(if_match, entry.version)
        entry.ensure_deletable()
        _remove(uow, entry)
        uow.commit()


def delete_canceled(uow: InteractionsUnitOfWork, query: EntryQuery, *, dry_run: bool = False) -> Deletion:
    """Delete every visible canceled entry the filters match; a dry run counts and writes nothing."""
    if query.status not in (None, CANCELED):
        raise ValidationFailed({"status": ["Only canceled entries can be deleted."]})
    with uow:
        entries = _named_entries(uow, query) if query.ids is not None else \
            uow.entries.matching(replace(query, status=CANCELED), owners(uow))
        ids = [entry.id for entry in entries]
        if dry_run or not entries:
            return Deletion(ids, dry_run, None)
        operation_id = str(uuid.uuid4())
        for entry in entries:
            _remove(uow, entry)
        uow.emit(batch_deleted(operation_id, query.described(), ids))
        uow.commit()
    return Deletion(ids, False, operation_id)


def _named_entries(uow: InteractionsUnitOfWork, query: EntryQuery) -> list[Entry]:
    """Return the entries named by id; any unknown (or invisible) one is a 422, any not canceled a 409."""
    found = {entry.id: entry for entry in uow.entries.matching(replace(query, status=None), owners(uow))}
    missing = [entry_id for entry_id in query.ids or () if entry_id not in found]
    if missing:
        raise ValidationFailed({"ids": [f"No interaction with id {entry_id}." for entry_id in missing]})
    logged = sorted(entry.id for entry in found.values() if entry.status != CANCELED)
    if logged:
        raise Conflict("Only canceled entries can be deleted; nothing was deleted.", not_canceled=logged)
    return sorted(found.values(), key=lambda entry: entry.id)


def _remove(uow: InteractionsUnitOfWork, entry: Entry) -> None:
    uow.entries.remove(entry)
    uow.emit(entry_changed(entry, DELETED, entry.deletion_changes()))
