"""Creating, changing, closing, reopening, deleting and listing deals."""
from __future__ import annotations

import uuid
from typing import Any, Callable, Mapping

from crm_shared.errors import NotFound
from crm_shared.owners import NO_USERS, check_owner
from crm_shared.pagination import decode_cursor, page
from crm_shared.preconditions import require_match
from crm_shared.types import utcnow
from crm_shared.users import UserDirectory
from crm_shared.visibility import can_see

from crm_deals.adapters.repository import CURSOR_TYPES, sort_key
from crm_deals.domain.deal_query import DealQuery
from crm_deals.domain.deals import Deal, new_deal
from crm_deals.domain.events import deal_changed
from crm_deals.service_layer import links as contact_links
from crm_deals.service_layer.processes import existing_process, process_for_deal
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def create_deal(uow: DealsUnitOfWork, values: Mapping[str, Any], *, users: UserDirectory = NO_USERS) -> Deal:
    """Create an open deal in its process (the default one unless named); its event commits with it.

    `owner_id` must be a user the caller may give records to, looked up in `users` (the
    gateway's users); without a directory only the caller may own it.
    """
    with uow:
        check_owner(uow.viewer, users, values.get("owner_id"))
        process = process_for_deal(uow, values.get("process_id"))
        links = contact_links.resolve(uow, values.get("links") or [])
        fields = {key: value for key, value in values.items() if key != "links"}
        deal = new_deal(fields, id=str(uuid.uuid4()), process=process, sources=uow.sources.names(), links=links,
                        actor_id=uow.actor.id, now=utcnow())
        uow.deals.add(deal)
        uow.emit(deal_changed(deal, "created", deal.creation_changes(), process))
        uow.commit()
    return shown(uow, deal)


def get_deal(uow: DealsUnitOfWork, deal_id: str) -> Deal:
    """Return a visible deal or raise NotFound."""
    with uow.reading():
        return shown(uow, _existing(uow, deal_id))


def update_deal(uow: DealsUnitOfWork, deal_id: str, patch: Mapping[str, Any], *, if_match: str | None = None,
                users: UserDirectory = NO_USERS) -> Deal:
    """Apply a partial update (links replace the whole list); an empty change writes nothing.

    A new `owner_id` must be a user the caller may give records to (see `create_deal`).
    """
    def change(deal: Deal) -> Any:
        if patch.get("owner_id") and patch["owner_id"] != deal.owner_id:
            check_owner(uow.viewer, users, patch["owner_id"])
        process = process_for_deal(uow, patch.get("process_id") or deal.process_id)
        links = contact_links.resolve(uow, patch["links"], deal.links) if "links" in patch else None
        fields = {key: value for key, value in patch.items() if key != "links"}
        return lambda: deal.updated(fields, process=process, sources=uow.sources.names(), links=links,
                                    actor_id=uow.actor.id, now=utcnow())
    return _change(uow, deal_id, change, if_match=if_match)


def add_link(uow: DealsUnitOfWork, deal_id: str, link: Mapping[str, Any]) -> Deal:
    """Link one more person or company to a deal."""
    def change(deal: Deal) -> Any:
        wanted = [l.as_dict() for l in deal.links] + [dict(link)]
        links = contact_links.resolve(uow, wanted, deal.links)
        return lambda: deal.with_links(links, actor_id=uow.actor.id, now=utcnow())
    return _change(uow, deal_id, change)


def remove_link(uow: DealsUnitOfWork, deal_id: str, contact_id: str) -> Deal:
    """Unlink a person or company from a deal (404 when it is not linked)."""
    def change(deal: Deal) -> Any:
        if contact_id not in {link.id for link in deal.links}:
            raise NotFound(f"The deal has no link to {contact_id}.")
        kept = [link for link in deal.links if link.id != contact_id]
        return lambda: deal.with_links(kept, actor_id=uow.actor.id, now=utcnow())
    return _change(uow, deal_id, change)


def win(uow: DealsUnitOfWork, deal_id: str) -> Deal:
    """Close a deal as won."""
    return _change(uow, deal_id, lambda deal: lambda: deal.won(actor_id=uow.actor.id, now=utcnow()))


def lose(uow: DealsUnitOfWork, deal_id: str, reason: str) -> Deal:
    """Close a deal as lost, for a reason."""
    return _change(uow, deal_id, lambda deal: lambda: deal.lost(reason, actor_id=uow.actor.id, now=utcnow()))


def reopen(uow: DealsUnitOfWork, deal_id: str, stage_id: str | None = None) -> Deal:
    """Open a closed deal again, where it was or in `stage_id`."""
    def change(deal: Deal) -> Any:
        process = existing_process(uow, deal.process_id)
        return lambda: deal.reopened(process, stage_id, actor_id=uow.actor.id, now=utcnow())
    return _change(uow, deal_id, change)


def delete_deal(uow: DealsUnitOfWork, deal_id: str, *, if_match: str | None = None) -> None:
    """Delete a deal for good."""
    with uow:
        deal = _existing(uow, deal_id, for_update=True)
        require_match(if_match, deal.version)
        uow.deals.remove(deal)
        uow.emit(deal_changed(deal, "deleted", deal.deletion_changes(), uow.processes.get(deal.process_id)))
        uow.commit()


def list_deals(uow: DealsUnitOfWork, query: DealQuery, cursor: str | None) -> tuple[list[Deal], str | None]:
    """Return one page of visible deals and the cursor of the next page (None on the last)."""
    page_query = DealQuery(**{**query.__dict__, "after": decode_cursor(cursor, CURSOR_TYPES), "viewer": uow.viewer})
    with uow.reading():
        rows = uow.deals.list(page_query)
    return page([shown(uow, deal) for deal in rows], query.limit, lambda deal: sort_key(deal, query.sort))


def _change(
    uow: DealsUnitOfWork, deal_id: str, prepare: Callable[[Deal], Callable[[], tuple[Deal, list[Any]]]],
    *, if_match: str | None = None,
) -> Deal:
    """Lock the deal, apply a domain change to it, and commit it with its event if anything changed."""
    with uow:
        deal = _existing(uow, deal_id, for_update=True)
        require_match(if_match, deal.version)
        changed, changes = prepare(deal)()
        if changes:
            uow.deals.save(changed)
            uow.emit(deal_changed(changed, "updated", changes, uow.processes.get(changed.process_id)))
        uow.commit()
    return shown(uow, changed)


def shown(uow: DealsUnitOfWork, deal: Deal) -> Deal:
    """Return a deal as the caller may see it: the names only of linked contacts they may see."""
    return deal.seen_by(lambda link: link.owner_id is not None and can_see(uow.viewer, link.owner_id))


def _existing(uow: DealsUnitOfWork, deal_id: str, *, for_update: bool = False) -> Deal:
    deal = uow.deals.get(deal_id, for_update=for_update)
    if deal is None or not can_see(uow.viewer, deal.owner_id):
        raise NotFound(f"No deal with id {deal_id}.")
    return deal
