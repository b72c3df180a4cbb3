"""Keeping the copy of contacts from their events, and moving or removing deals' links with them."""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.envelope import SYSTEM, CloudEvent, InvalidEvent
from crm_shared.types import utcnow

from crm_deals.domain.events import deal_changed
from crm_deals.domain.known_contacts import KnownContact
from crm_deals.domain.links import Link
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

KINDS = ("person", "company")


def handle_contact_event(uow: DealsUnitOfWork, event: CloudEvent, kind: str, operation: str) -> None:
    """Apply one person or company event to the copy, and move or remove the links it concerns."""
    contact = _contact(event, kind, gone=operation == "deleted")
    fresh = uow.contacts.apply(contact, utcnow())
    if operation == "deleted" and fresh:
        _relink(uow, contact.id, _survivor(uow, event.data, kind))
    if operation == "merged":
        for source_id in _merged_from(event.data):
            _relink(uow, source_id, Link(kind, contact.id, contact.name))
            uow.contacts.mark_gone(source_id, kind, utcnow())


def _contact(event: CloudEvent, kind: str, *, gone: bool) -> KnownContact:
    data = event.data
    state = data.get("state") if isinstance(data.get("state"), Mapping) else {}
    contact_id = data.get("object_id") or state.get("id") or event.subject
    if not isinstance(contact_id, str) or not contact_id:
        raise InvalidEvent("the event names no contact id")
    name = state.get("name") or data.get("object_name")
    return KnownContact(
        id=contact_id, kind=kind, name=str(name) if name else None, valid=state.get("valid") is not False,
        gone=gone, sequence=event.sequence,
    )


def _survivor(uow: DealsUnitOfWork, data: Mapping[str, Any], kind: str) -> Link | None:
    """Return the link to the contact a deleted one was merged into (`merged_into`), if any."""
    target_id = data.get("merged_into")
    if not isinstance(target_id, str) or not target_id:
        return None
    known = uow.contacts.get_many([target_id]).get(target_id)
    if known is None:
        uow.contacts.add_pending(target_id, kind, utcnow())
    return Link(kind, target_id, known.name if known else None)


def _merged_from(data: Mapping[str, Any]) -> list[str]:
    """Return the ids merged into the target, read tolerantly (a list, or a single id)."""
    sources = data.get("merged_from")
    if sources is None and isinstance(data.get("state"), Mapping):
        sources = data["state"].get("merged_from")
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(item, str) for item in sources):
        raise InvalidEvent("a merge event must name the merged ids in data.merged_from")
    return sources


def _relink(uow: DealsUnitOfWork, contact_id: str, target: Link | None) -> None:
    """Replace (or drop) the link to `contact_id` on every deal, each an audited system change."""
    now = utcnow()
    for deal in uow.deals.linking(contact_id):
        links = [target if link.id == contact_id and target else link for link in deal.links
                 if link.id != contact_id or target]
        changed, changes = deal.with_links(links, actor_id=SYSTEM.id, now=now)
        if changes:
            uow.deals.save(changed)
            uow.emit(deal_changed(changed, "updated", changes, uow.processes.get(changed.process_id)))
