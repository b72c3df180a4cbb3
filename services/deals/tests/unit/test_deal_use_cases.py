"""The deals use cases on the fake unit of work, and the contact events that move their links."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from crm_shared.copies import KnownRecord
from crm_shared.envelope import AUTOMATION, SYSTEM, Actor, wrap
from crm_shared.errors import NotFound, ValidationFailed
from crm_shared.events import ObjectChanged
from crm_shared.rules import RuleBroken, StateConflict
from crm_shared.visibility import Seer

from crm_deals.service_layer import deals as use_cases
from crm_deals.service_layer.incoming import handle_events

from .deals_fakes import deals_uow

JANA = KnownRecord("c-1", "person", "Jana Nováková", sequence=3, owner_id="u-1")
ACME = KnownRecord("c-2", "company", "ACME s.r.o.", sequence=1, owner_id="u-1")
PETR = Seer("u-2", name="Petr")


def operations(uow: Any) -> list[str]:
    return [event.operation for event in uow.events]


def a_deal(uow: Any, **values: Any):  # type: ignore[no-untyped-def]
    return use_cases.create_deal(uow, {"name": "Big deal", **values})


def contact_event(kind: str, contact_id: str, operation: str, sequence: int, **extra: Any):  # type: ignore[no-untyped-def]
    change = ObjectChanged(kind, contact_id, "New name", f"/api/v1/{kind}s/{contact_id}", operation, sequence,
                           state={"id": contact_id, "name": "New name", "owner_id": "u-1"}, extra=extra)
    return wrap(change, service="contacts", actor=Actor("u-1", "Eva"), correlation_id="from-contacts",
                time=datetime.now(timezone.utc))


def test_creating_a_deal_puts_it_in_the_first_stage_of_the_default_process_and_emits_created() -> None:
    uow = deals_uow(JANA)
    deal = a_deal(uow, links=[{"type": "person", "id": JANA.id}])
    assert (deal.stage_name, deal.owner_id, [link.name for link in deal.links]) == ("Lead", "u-1", [JANA.name])
    assert operations(uow) == ["created"] and uow.deals.get(deal.id) == deal


def test_a_deal_naming_an_unknown_source_is_refused_naming_the_field() -> None:
    with pytest.raises(RuleBroken) as broken:
        a_deal(deals_uow(), source="Carrier pigeon")
    assert "source" in broken.value.errors


def test_linking_a_contact_not_known_yet_keeps_it_as_pending() -> None:
    uow = deals_uow()
    a_deal(uow, links=[{"type": "person", "id": "c-9"}])
    assert uow.contacts.items["c-9"].pending


def test_linking_a_contact_of_another_kind_is_refused_on_that_link() -> None:
    with pytest.raises(ValidationFailed) as failed:
        a_deal(deals_uow(ACME), links=[{"type": "person", "id": ACME.id}])
    assert "links.0.type" in failed.value.extra["errors"]


def test_updating_a_deal_emits_the_changed_fields_and_another_user_cannot_see_it() -> None:
    uow = deals_uow()
    deal = a_deal(uow)
    assert use_cases.update_deal(uow, deal.id, {"name": "Bigger deal"}).name == "Bigger deal"
    assert operations(uow) == ["created", "updated"]
    uow.viewer = PETR
    with pytest.raises(NotFound):
        use_cases.update_deal(uow, deal.id, {"name": "Mine"})


def test_a_won_deal_cannot_be_won_again_but_can_be_reopened() -> None:
    uow = deals_uow()
    deal = a_deal(uow)
    assert use_cases.win(uow, deal.id).status == "won"
    with pytest.raises(StateConflict):
        use_cases.win(uow, deal.id)
    assert use_cases.reopen(uow, deal.id).status == "open"
    assert operations(uow) == ["created", "updated", "updated"]


def test_a_lost_deal_keeps_its_reason() -> None:
    uow = deals_uow()
    deal = a_deal(uow)
    lost = use_cases.lose(uow, deal.id, "too expensive")
    assert (lost.status, lost.lost_reason) == ("lost", "too expensive")


def test_reopening_an_open_deal_is_a_conflict() -> None:
    uow = deals_uow()
    with pytest.raises(StateConflict):
        use_cases.reopen(uow, a_deal(uow).id)


def test_links_are_added_and_removed_one_at_a_time() -> None:
    uow = deals_uow(JANA, ACME)
    deal = a_deal(uow, links=[{"type": "person", "id": JANA.id}])
    deal = use_cases.add_link(uow, deal.id, {"type": "company", "id": ACME.id})
    assert [link.id for link in deal.links] == [JANA.id, ACME.id]
    deal = use_cases.remove_link(uow, deal.id, JANA.id)
    assert [link.id for link in deal.links] == [ACME.id]
    with pytest.raises(NotFound):
        use_cases.remove_link(uow, deal.id, JANA.id)


def test_a_merged_contact_moves_its_deals_to_the_target_by_automation_for_the_merging_user_in_the_same_outbox(
) -> None:
    uow = deals_uow(JANA, KnownRecord("c-3", "person", "Jana N.", sequence=1, owner_id="u-1"))
    deal = a_deal(uow, links=[{"type": "person", "id": "c-3"}])
    uow.actor = SYSTEM  # as the consumer's unit of work
    handle_events(uow, [contact_event("person", JANA.id, "merged", 4, merged_from=["c-3"])])
    assert [link.id for link in uow.deals.get(deal.id).links] == [JANA.id]
    assert uow.contacts.items["c-3"].gone
    assert operations(uow) == ["created", "updated"] and uow.correlation_id == "from-contacts"
    assert uow.emitted[-1][1] == Actor("u-1", "Eva", AUTOMATION) and uow.actor == SYSTEM


def test_a_deleted_contact_leaves_its_deals_and_a_stale_event_changes_nothing() -> None:
    uow = deals_uow(JANA)
    deal = a_deal(uow, links=[{"type": "person", "id": JANA.id}])
    uow.actor = SYSTEM  # as the consumer's unit of work
    handle_events(uow, [contact_event("person", JANA.id, "updated", 2)])
    assert uow.contacts.items[JANA.id].name == JANA.name
    handle_events(uow, [contact_event("person", JANA.id, "deleted", 3)])
    assert uow.deals.get(deal.id).links == [] and uow.contacts.items[JANA.id].gone
    assert operations(uow) == ["created", "updated"] and SYSTEM.id == uow.deals.get(deal.id).updated_by
    assert uow.emitted[-1][1] == SYSTEM
