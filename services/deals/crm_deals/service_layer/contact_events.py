"""Keeping the copy of contacts from their events, and moving or removing deals' links with them."""
from __future__ import annotations

from crm_shared.envelope import SYSTEM, CloudEvent
from crm_shared.erasure import ANONYMIZED
from crm_shared.following import follow_record
from crm_shared.links import relinked
from crm_shared.types import utcnow

from crm_deals.domain.events import deal_changed
from crm_deals.domain.links import Link
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

KINDS = ("person", "company")


def handle_contact_event(uow: DealsUnitOfWork, event: CloudEvent, kind: str, operation: str) -> None:
    """Apply one person or company event to the copy, and move or remove the links it concerns."""
    record = follow_record(uow.contacts, event, kind,
                           relink=lambda contact_id, target: _relink(uow, contact_id, target),
                           settle=lambda contact_id: _settle(uow, contact_id), uow=uow)
    if operation == ANONYMIZED:
        # the copy now has the erased name, which deals read their links' names from; the deals'
        # published events naming the contact go (those in flight are redacted by their consumers)
        uow.erase_published(record.id)


def _settle(uow: DealsUnitOfWork, contact_id: str) -> None:
    """Judge the links awaiting this contact by its owner as the copy now knows it.

    Each link turned hidden is an audited system change of its deal, whose events no longer
    report it; a link the linking user could see the contact of just gets its name.
    """
    contact = uow.contacts.get_many([contact_id]).get(contact_id)
    if contact is None or not contact.owner_known:
        return
    now = utcnow()
    for deal in uow.deals.awaiting(contact.id):
        settled, changes = deal.settling(contact.id, contact.owner_id, contact.name, actor_id=SYSTEM.id, now=now)
        uow.deals.save(settled)
        if changes:
            uow.emit(deal_changed(settled, "updated", changes, uow.processes.get(settled.process_id)))


def _relink(uow: DealsUnitOfWork, contact_id: str, target: Link | None) -> None:
    """Replace (or drop) the link to `contact_id` on every deal, each an audited change of the unit's actor
    (a merge's automation, else the system).

    Hidden links stay as they are, like links to ids that never became contacts; a moved
    link still awaiting its contact keeps awaiting (the survivor's event judges it).
    """
    now = utcnow()
    for deal in uow.deals.linking(contact_id):
        links = relinked(deal.links, contact_id, target)
        changed, changes = deal.with_links(links, actor_id=uow.actor.id, now=now)
        if changes:
            uow.deals.save(changed)
            uow.emit(deal_changed(changed, "updated", changes, uow.processes.get(changed.process_id)))
