"""Groups (segments) and their members; joining or leaving is an update of the contact (CON-2)."""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.catalogue import create_record, read_page, remove_record
from crm_shared.errors import Forbidden, NotFound
from crm_shared.types import utcnow

from crm_contacts.adapters import groups as group_rows
from crm_contacts.domain.actions import ensure_editable
from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.groups import Group, new_group
from crm_contacts.domain.model import Contact
from crm_contacts.domain.visibility import Viewer, can_see
from crm_contacts.service_layer.access import editor_of, visible_contact
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def create_group(uow: ContactsUnitOfWork, values: Mapping[str, Any]) -> Group:
    """Create a group."""
    return create_record(uow, "groups", new_group, values, contact_changed)


def list_groups(uow: ContactsUnitOfWork, *, limit: int, cursor: str | None) -> tuple[list[Group], str | None]:
    """Return a page of groups by name (groups are shared; their members are filtered by visibility)."""
    return read_page(uow, "groups", limit=limit, cursor=cursor, types=group_rows.CURSOR_TYPES,
                     key=group_rows.sort_key)


def get_group(uow: ContactsUnitOfWork, group_id: str) -> Group:
    """Return a group or raise NotFound."""
    with uow.reading():
        return _existing(uow, group_id)


def update_group(uow: ContactsUnitOfWork, group_id: str, patch: Mapping[str, Any]) -> Group:
    """Rename a group or change its description (its owner, their manager or an admin)."""
    with uow:
        group = _owned(uow, group_id)
        changed, changes = group.updated(patch, actor_id=uow.actor.id, now=utcnow())
        if changes:
            uow.groups.save(changed)
            uow.emit(contact_changed(changed, "updated", changes))
            uow.commit()
    return changed


def delete_group(uow: ContactsUnitOfWork, group_id: str) -> None:
    """Delete a group (its owner, their manager or an admin); each member leaves it first.

    Every member leaves, also those the caller may not see: they were put into the group by
    someone who could, and a group's end is its owner's decision (an `updated` event per member).
    """
    with uow:
        group = _owned(uow, group_id)
        for member in uow.contacts.members_of_group(group.id, for_update=True):
            _save_groups(uow, member, [g for g in member.groups if g != group.id])
        remove_record(uow, "groups", group, contact_changed)
        uow.commit()


def members(uow: ContactsUnitOfWork, group_id: str, viewer: Viewer) -> list[Contact]:
    """Return the members of a group that the viewer may see."""
    with uow.reading():
        _existing(uow, group_id)
        return [c for c in uow.contacts.members_of_group(group_id) if can_see(viewer, c.owner_id)]


def set_membership(
    uow: ContactsUnitOfWork, group_id: str, kind: str, contact_id: str, viewer: Viewer, *, member: bool
) -> Contact:
    """Add a contact to a group or remove it: an update of the contact's `groups`."""
    with uow:
        _existing(uow, group_id)
        contact = visible_contact(uow, kind, contact_id, viewer, for_update=True)
        ensure_editable(contact, editor_of(viewer))
        if (group_id in contact.groups) == member:
            return contact
        others = [g for g in contact.groups if g != group_id]
        changed = _save_groups(uow, contact, [*others, group_id] if member else others)
        uow.commit()
    return changed


def _save_groups(uow: ContactsUnitOfWork, contact: Contact, groups: list[str]) -> Contact:
    changed, changes = contact.updated({"groups": groups}, actor_id=uow.actor.id, now=utcnow())
    if changes:
        uow.contacts.save(changed, contact)
        uow.emit(contact_changed(changed, "updated", changes))
    return changed


def _owned(uow: ContactsUnitOfWork, group_id: str) -> Group:
    """Return a group (locked) the caller may change: its owner, the owner's manager, or an admin."""
    group = _existing(uow, group_id, for_update=True)
    if not can_see(uow.viewer, group.owner_id):
        raise Forbidden("Only the group's owner, their manager or an admin may change or delete it.")
    return group


def _existing(uow: ContactsUnitOfWork, group_id: str, *, for_update: bool = False) -> Group:
    group = uow.groups.get(group_id, for_update=for_update)
    if group is None:
        raise NotFound(f"No group with id {group_id}.")
    return group
