"""Creating, changing, deleting and listing contacts."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from crm_shared.errors import Conflict, NotFound, ValidationFailed
from crm_shared.pagination import decode_cursor, encode_cursor
from crm_shared.types import utcnow

from crm_contacts.adapters.repository import ListQuery, sort_key
from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.model import Contact, ContactRuleBroken, new_contact
from crm_contacts.service_layer.preconditions import require_match
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def create_contact(uow: ContactsUnitOfWork, kind: str, values: Mapping[str, Any]) -> Contact:
    """Create a person or company; its event commits with it."""
    with uow:
        _check_company_exists(uow, values)
        contact = _obey_rules(
            lambda: new_contact(kind, values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=utcnow())
        )
        uow.contacts.add(contact)
        uow.emit(contact_changed(contact, "created", contact.creation_changes()))
        uow.commit()
    return contact


def get_contact(uow: ContactsUnitOfWork, kind: str, contact_id: str) -> Contact:
    """Return a contact or raise NotFound."""
    with uow.reading():
        return _existing(uow, kind, contact_id)


def update_contact(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, patch: Mapping[str, Any], *, if_match: str | None = None
) -> Contact:
    """Apply a partial update; a stale If-Match is refused, an empty change writes nothing."""
    with uow:
        contact = _existing(uow, kind, contact_id, for_update=True)
        require_match(if_match, contact.version)
        _check_company_exists(uow, patch)
        changed, changes = _obey_rules(
            lambda: contact.updated(patch, actor_id=uow.actor.id, now=utcnow())
        )
        if changes:
            uow.contacts.save(changed, contact.tags)
            uow.emit(contact_changed(changed, "updated", changes))
            uow.commit()
    return changed


def delete_contact(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, *, cascade: bool = False, if_match: str | None = None
) -> None:
    """Delete a contact for good; a company's persons block it unless the cascade is confirmed."""
    with uow:
        contact = _existing(uow, kind, contact_id, for_update=True)
        require_match(if_match, contact.version)
        if kind == "company":
            _detach_persons(uow, contact, cascade=cascade)
        uow.contacts.remove(contact)
        uow.emit(contact_changed(contact, "deleted", contact.deletion_changes()))
        uow.commit()


def list_contacts(uow: ContactsUnitOfWork, query: ListQuery, cursor: str | None) -> tuple[list[Contact], str | None]:
    """Return one page of contacts and the cursor of the next page (None on the last)."""
    page_query = ListQuery(**{**query.__dict__, "after": decode_cursor(cursor, 2)})
    with uow.reading():
        rows = uow.contacts.list(page_query)
    items = rows[: query.limit]
    more = len(rows) > query.limit
    return items, encode_cursor(sort_key(items[-1], query.sort)) if more else None


def _existing(uow: ContactsUnitOfWork, kind: str, contact_id: str, *, for_update: bool = False) -> Contact:
    contact = uow.contacts.get(kind, contact_id, for_update=for_update)
    if contact is None:
        raise NotFound(f"No {kind} with id {contact_id}.")
    return contact


def _check_company_exists(uow: ContactsUnitOfWork, values: Mapping[str, Any]) -> None:
    company_id = values.get("company_id")
    if company_id and not uow.contacts.exists("company", company_id):
        raise ValidationFailed({"company_id": [f"No company with id {company_id}."]})


def _detach_persons(uow: ContactsUnitOfWork, company: Contact, *, cascade: bool) -> None:
    persons = uow.contacts.persons_of_company(company.id, for_update=True)
    if persons and not cascade:
        raise Conflict(
            f"{len(persons)} persons belong to this company; confirm with cascade=true to detach them.",
            links=[{"type": "person", "id": p.id, "name": p.display_name} for p in persons],
        )
    for person in persons:
        detached, changes = person.updated({"company_id": None}, actor_id=uow.actor.id, now=utcnow())
        uow.contacts.save(detached, person.tags)
        uow.emit(contact_changed(detached, "updated", changes))


def _obey_rules(action):  # type: ignore[no-untyped-def]
    try:
        return action()
    except ContactRuleBroken as broken:
        raise ValidationFailed(broken.errors) from broken

