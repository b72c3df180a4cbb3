"""Merging a contact into another of the same kind (CON-7)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from crm_shared.changes import Change
from crm_shared.errors import NotFound, ValidationFailed
from crm_shared.types import utcnow

from crm_contacts.domain.actions import ensure_editable
from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.merge import merged
from crm_contacts.domain.model import Contact
from crm_contacts.domain.visibility import Viewer, can_see
from crm_contacts.service_layer.access import editor_of, visible_contact
from crm_contacts.service_layer.contacts import detach_person
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


@dataclass(frozen=True)
class MergeResult:
    """The target as it is (or, in a dry run, would be) after the merge, and what changed on it."""

    contact: Contact
    changes: list[Change]
    source_id: str
    dry_run: bool


def merge_contacts(
    uow: ContactsUnitOfWork, kind: str, target_id: str, source_id: str, viewer: Viewer,
    *, prefer_source: Iterable[str] = (), dry_run: bool = False,
) -> MergeResult:
    """Merge `source_id` into `target_id`; a dry run answers the result and writes nothing.

    The target's `merged` event carries `merged_from: [source_id]` and the source's `deleted`
    event `merged_into: target_id`, so that other services move their links.
    """
    with uow:
        target = visible_contact(uow, kind, target_id, viewer, for_update=True)
        source = _source(uow, kind, source_id, viewer)
        editor = editor_of(viewer)
        ensure_editable(target, editor)
        ensure_editable(source, editor, allow_invalid=True)
        result, changes = merged(target, source, prefer_source, actor_id=editor.id, now=utcnow())
        if dry_run:
            return MergeResult(result, changes, source.id, dry_run=True)
        if kind == "company":
            for person in uow.contacts.persons_of_company(source.id, for_update=True):
                detach_person(uow, person, target.id)
        uow.links.move(source.id, kind, target.id)
        uow.contacts.remove(source)
        uow.contacts.save(result, target)
        uow.emit(contact_changed(result, "merged", changes, {"merged_from": [source.id]}))
        gone = source.next_version(source, actor_id=editor.id, now=utcnow())
        uow.emit(contact_changed(gone, "deleted", source.deletion_changes(), {"merged_into": target.id}))
        uow.commit()
    return MergeResult(result, changes, source.id, dry_run=False)


def _source(uow: ContactsUnitOfWork, kind: str, source_id: str, viewer: Viewer) -> Contact:
    try:
        return visible_contact(uow, kind, source_id, viewer, for_update=True)
    except NotFound:
        other = uow.contacts.get("company" if kind == "person" else "person", source_id)
        # a record of the other kind that the viewer may not see is answered like no record at all
        if other is not None and can_see(viewer, other.owner_id):
            raise ValidationFailed({"source_id": [f"Only a {kind} can be merged into a {kind}."]}) from None
        raise ValidationFailed({"source_id": [f"No {kind} with id {source_id}."]}) from None
