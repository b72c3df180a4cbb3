"""Checking the contacts a deal links against the service's copy, and the pending-contact rule."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from crm_shared.errors import ValidationFailed
from crm_shared.types import utcnow

from crm_deals.domain.known_contacts import KnownContact
from crm_deals.domain.links import Link
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def resolve(uow: DealsUnitOfWork, wanted: Sequence[Mapping[str, Any]], kept: Iterable[Link] = ()) -> list[Link]:
    """Turn `[{"type","id"}]` into links with names; a contact not known yet is linked as pending.

    A contact created a moment ago may not have reached this service yet: its event is
    still on its way. Refusing the link would show the user an error for a correct
    request, so an unknown (well-formed) id is accepted and remembered as pending; its
    event fills in the name, or removes the link if the contact turns out to be deleted.
    Links the deal already has are kept whatever became of their contact.
    """
    already = {link.key for link in kept}
    known = uow.contacts.get_many([item["id"] for item in wanted])
    errors: dict[str, list[str]] = {}
    links = []
    for index, item in enumerate(wanted):
        contact = known.get(item["id"])
        problem = None if (item["type"], item["id"]) in already else _problem(item, contact)
        if problem:
            errors.setdefault(f"links.{index}.{problem[0]}", []).append(problem[1])
            continue
        if contact is None:
            uow.contacts.add_pending(item["id"], item["type"], utcnow())
        links.append(Link(item["type"], item["id"], contact.name if contact else None))
    if errors:
        raise ValidationFailed(errors)
    return links


def _problem(item: Mapping[str, Any], contact: KnownContact | None) -> tuple[str, str] | None:
    if contact is None:
        return None
    if contact.kind != item["type"]:
        return "type", f"{item['id']} is a {contact.kind}, not a {item['type']}."
    if contact.gone:
        return "id", f"The {contact.kind} {item['id']} has been deleted."
    if not contact.valid:
        return "id", f"The {contact.kind} {contact.name} is marked invalid."
    return None
