"""Creating, reading, changing, deleting and listing contacts, within the caller's visibility.

`get_contact` and `list_contacts` are where visibility (CON-15) is enforced for reads:
every read of a contact, exports included, goes through one of them.
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from crm_shared.errors import Conflict, ValidationFailed
from crm_shared.owners import NO_USERS, check_owner
from crm_shared.pagination import decode_cursor, page
from crm_shared.rules import RuleBroken
from crm_shared.types import utcnow
from crm_shared.users import UserDirectory

from crm_contacts.adapters.listing import ListQuery, cursor_types, sort_key
from crm_contacts.domain.actions import ensure_editable
from crm_contacts.domain.events import contact_changed, contact_created
from crm_contacts.domain.model import Contact, new_contact
from crm_contacts.domain.visibility import Viewer, can_see, visible_owners
from crm_contacts.service_layer.access import editor_of, visible_contact
from crm_shared.preconditions import require_match
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def create_contact(
    uow: ContactsUnitOfWork, kind: str, values: Mapping[str, Any], *, users: UserDirectory = NO_USERS
) -> Contact:
    """Create a person or company owned by the caller or by `owner_id`; its event commits with it.

    `owner_id` must be a user the caller may give records to, looked up in `users` (the
    gateway's users); without a directory only the caller may own it.
    """
    with uow:
        contact = checked_new_contact(uow, kind, values, users)
        uow.contacts.add(contact)
        uow.emit(contact_created(contact))
        uow.commit()
    return contact


def checked_new_contact(uow: ContactsUnitOfWork, kind: str, values: Mapping[str, Any], users: UserDirectory) -> Contact:
    """Return the new contact `values` describe, refused (422) like any create: owner, references, its own rules.

    Every way of creating a contact (the API, an import) passes through here, so they refuse alike.
    """
    check_owner(uow.viewer, users, values.get("owner_id"))
    check_references(uow, values, uow.viewer)
    return new_contact(kind, values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=utcnow())


def get_contact(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> Contact:
    """Return a contact the viewer may see, or raise NotFound (also for one they may not see)."""
    with uow.reading():
        return visible_contact(uow, kind, contact_id, viewer)


def list_contacts(
    uow: ContactsUnitOfWork, query: ListQuery, cursor: str | None, viewer: Viewer
) -> tuple[list[Contact], str | None]:
    """Return one page of the contacts the viewer may see, and the next page's cursor (None on the last)."""
    page_query = ListQuery(**{**query.__dict__, "after": decode_cursor(cursor, cursor_types(query.sort)),
                              "visible_owners": visible_owners(viewer)})
    with uow.reading():
        rows = uow.contacts.list(page_query)
    return page(rows, query.limit, lambda contact: sort_key(contact, query.sort))


def update_contact(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, patch: Mapping[str, Any], viewer: Viewer,
    *, if_match: str | None = None, users: UserDirectory = NO_USERS,
) -> Contact:
    """Apply a partial update; locked (423), invalid (409) or stale (412) records refuse it.

    A new `owner_id` must be a user the caller may give records to (see `create_contact`).
    """
    with uow:
        contact = visible_contact(uow, kind, contact_id, viewer, for_update=True)
        ensure_editable(contact, editor_of(viewer))
        require_match(if_match, contact.version)
        if "owner_id" in patch and patch["owner_id"] != contact.owner_id:
            if not patch["owner_id"]:
                raise RuleBroken({"owner_id": ["A record needs an owner."]})
            check_owner(viewer, users, patch["owner_id"])
        check_references(uow, patch, viewer)
        changed, changes = contact.updated(patch, actor_id=uow.actor.id, now=utcnow())
        if changes:
            uow.contacts.save(changed, contact)
            uow.emit(contact_changed(changed, "updated", changes))
            uow.commit()
    return changed


def delete_contact(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer,
    *, cascade: bool = False, if_match: str | None = None,
) -> None:
    """Delete a contact for good; links (persons of a company, deals, tasks, …) block it unless cascaded."""
    with uow:
        contact = visible_contact(uow, kind, contact_id, viewer, for_update=True)
        ensure_editable(contact, editor_of(viewer), allow_invalid=True)
        require_match(if_match, contact.version)
        persons = uow.contacts.persons_of_company(contact.id, for_update=True) if kind == "company" else []
        links = [{"type": "person", "id": p.id, "name": p.display_name} for p in persons]
        links += [link.as_dict() for link in uow.links.of_contact(contact.id)]
        if links and not cascade:
            raise Conflict(f"{len(links)} records link this {kind}; confirm with cascade=true to delete it anyway.",
                           links=links)
        for person in persons:
            detach_person(uow, person)
        uow.links.drop_contact(contact.id)
        uow.contacts.remove(contact)
        gone = contact.next_version(contact, actor_id=uow.actor.id, now=utcnow())
        uow.emit(contact_changed(gone, "deleted", contact.deletion_changes()))
        uow.commit()


def detach_person(uow: ContactsUnitOfWork, person: Contact, company_id: str | None = None) -> None:
    """Point a person at another company (or none), as an `updated` event of the person."""
    moved, changes = person.updated({"company_id": company_id}, actor_id=uow.actor.id, now=utcnow())
    if changes:
        uow.contacts.save(moved, person)
        uow.emit(contact_changed(moved, "updated", changes))


def check_references(uow: ContactsUnitOfWork, values: Mapping[str, Any], viewer: Viewer) -> None:
    """Refuse a company or groups that do not exist (422 naming the field).

    A company the viewer may not see is refused exactly like one that does not exist.
    """
    company_id = values.get("company_id")
    company = uow.contacts.get("company", company_id) if company_id else None
    if company_id and (company is None or not can_see(viewer, company.owner_id)):
        raise ValidationFailed({"company_id": [f"No company with id {company_id}."]})
    wanted = [group for group in values.get("groups") or [] if group]
    missing = sorted(set(wanted) - uow.groups.existing_ids(wanted))
    if missing:
        raise ValidationFailed({"groups": [f"No group with id {', '.join(missing)}."]})
