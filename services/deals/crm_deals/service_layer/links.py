"""Checking the contacts a deal links against the service's copy, and the pending-contact rule."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from crm_shared.errors import ValidationFailed
from crm_shared.types import utcnow
from crm_shared.visibility import can_see, visible_owners

from crm_deals.domain.known_contacts import KnownContact
from crm_deals.domain.links import EVERYONE, Link
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def resolve(uow: DealsUnitOfWork, wanted: Sequence[Mapping[str, Any]], kept: Iterable[Link] = ()) -> list[Link]:
    """Turn `[{"type","id"}]` into links with names; a contact not known yet is linked as pending.

    A contact created a moment ago may not have reached this service yet: its event is
    still on its way. Refusing the link would show the user an error for a correct
    request, so an unknown (well-formed) id is accepted and remembered as pending; its
    event fills in the name, or removes the link if the contact turns out to be deleted.
    The link awaits that event with the owners whose contacts the caller sees, and the
    event settles it: a plain link, or a hidden one if the caller could not see the contact.

    A known contact the caller (`uow.viewer`) may not see is answered exactly like an
    unknown id: accepted without a name, never checked (kind, deleted, invalid), and hidden.
    Links the deal already has are kept whatever became of their contact.
    """
    already = {link.key: link for link in kept}
    known = _known_now(uow, [item for item in wanted if (item["type"], item["id"]) not in already])
    viewer = uow.viewer
    errors: dict[str, list[str]] = {}
    links = []
    for index, item in enumerate(wanted):
        if (item["type"], item["id"]) in already:
            links.append(already[(item["type"], item["id"])])
            continue
        contact = known.get(item["id"])
        if contact is None or not contact.owner_known:
            owners = visible_owners(viewer)
            links.append(Link(item["type"], item["id"], None, awaiting=(EVERYONE,) if owners is None else owners))
            continue
        if not can_see(viewer, contact.owner_id):
            links.append(Link(item["type"], item["id"], None, hidden=True, owner_id=contact.owner_id))
            continue
        problem = _problem(item, contact)
        if problem:
            errors.setdefault(f"links.{index}.{problem[0]}", []).append(problem[1])
            continue
        links.append(Link(item["type"], item["id"], contact.name, owner_id=contact.owner_id))
    if errors:
        raise ValidationFailed(errors)
    return links


def _known_now(uow: DealsUnitOfWork, wanted: Sequence[Mapping[str, Any]]) -> dict[str, KnownContact]:
    """Return the copies of the wanted contacts, an unknown one remembered as pending first.

    The contact's event may be applied by the consumer while this request runs: reading the
    rows again under lock, once every wanted contact has one, sees a state the consumer
    committed meanwhile, or else makes the consumer wait for this request and then judge
    the links it left awaiting.
    """
    known = uow.contacts.get_many([item["id"] for item in wanted])
    missing = [item for item in wanted if item["id"] not in known]
    for item in missing:
        uow.contacts.add_pending(item["id"], item["type"], utcnow())
    if missing:
        known.update(uow.contacts.get_many([item["id"] for item in missing], for_update=True))
    return known


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
