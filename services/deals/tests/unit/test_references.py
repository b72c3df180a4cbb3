"""The deals use cases on the fake unit of work: owners from the directory, links to contacts one cannot see."""
from __future__ import annotations

from typing import Any

import pytest

from crm_shared.copies import KnownRecord
from crm_shared.envelope import Actor
from crm_shared.rules import RuleBroken
from crm_shared.testing.sessions import FakeUserDirectory
from crm_shared.visibility import Seer

from crm_deals.domain.events import deal_changed
from crm_deals.service_layer import deals as use_cases
from crm_deals.service_layer.incoming import handle_events

from .deals_fakes import deals_uow
from .test_deal_use_cases import contact_event

EVA, PETR = Seer("u-1", name="Eva"), Seer("u-2", name="Petr")
BOSS = Seer("u-9", role="manager", team=("u-1",), name="Boss")
EVAS = KnownRecord("c-1", "person", "Jana Nováková", sequence=1, owner_id="u-1")


def users() -> FakeUserDirectory:
    directory = FakeUserDirectory()
    directory.add("u-1", manager_id="u-9")
    directory.add("u-2")
    directory.add("u-3", active=False, manager_id="u-9")
    return directory


def as_(uow: Any, caller: Seer) -> Any:
    uow.actor, uow.viewer = Actor(caller.id, caller.name), caller
    return uow


def test_a_deal_may_be_given_only_to_the_caller_their_team_or_by_an_admin_to_an_active_user() -> None:
    with pytest.raises(RuleBroken) as refused:
        use_cases.create_deal(deals_uow(caller=EVA), {"name": "D", "owner_id": "u-2"}, users=users())
    assert list(refused.value.errors) == ["owner_id"]
    assert use_cases.create_deal(deals_uow(caller=BOSS), {"name": "D", "owner_id": "u-1"}, users=users()).owner_id == "u-1"
    with pytest.raises(RuleBroken):
        use_cases.create_deal(deals_uow(caller=BOSS), {"name": "D", "owner_id": "u-3"}, users=users())
    admin = Seer("u-0", role="admin")
    assert use_cases.create_deal(deals_uow(caller=admin), {"name": "D", "owner_id": "u-2"}, users=users()).owner_id == "u-2"
    with pytest.raises(RuleBroken):
        use_cases.create_deal(deals_uow(caller=admin), {"name": "D", "owner_id": "u-404"}, users=users())


def test_changing_a_deals_owner_is_checked_and_nothing_is_emitted_when_refused() -> None:
    uow = deals_uow(caller=EVA)
    deal = use_cases.create_deal(uow, {"name": "D"})
    with pytest.raises(RuleBroken):
        use_cases.update_deal(uow, deal.id, {"owner_id": "u-2"}, users=users())
    assert len(uow.events) == 1 and uow.deals.get(deal.id).owner_id == "u-1"


def test_a_contact_the_caller_cannot_see_is_linked_like_an_unknown_id_hidden_from_the_deals_events() -> None:
    uow = deals_uow(EVAS, caller=PETR)
    deal = use_cases.create_deal(uow, {"name": "D", "links": [{"type": "company", "id": EVAS.id},
                                                              {"type": "person", "id": "c-unknown"}]})
    assert [link.as_dict() for link in deal.links] == [{"type": "company", "id": "c-1", "name": None},
                                                       {"type": "person", "id": "c-unknown", "name": None}]
    assert uow.events[0].state["links"] == [{"type": "person", "id": "c-unknown", "name": None}]
    assert uow.contacts.items["c-1"] == EVAS and uow.contacts.items["c-unknown"].pending


def test_a_contacts_event_hides_a_link_awaiting_it_from_someone_who_could_not_see_it() -> None:
    uow = deals_uow(caller=PETR)
    deal = use_cases.create_deal(uow, {"name": "D", "links": [{"type": "person", "id": "c-5"}]})
    event = contact_event("person", "c-5", "created", 1)  # owned by u-1, whom Petr does not see
    handle_events(as_(uow, Seer("system", role="admin")), [event])
    stored = uow.deals.get(deal.id)
    assert stored.links[0].hidden and stored.version == 2
    assert uow.events[-1].state["links"] == [] and [c.before for c in uow.events[-1].changes] == [
        {"type": "person", "id": "c-5", "name": None}]
    assert deal_changed(stored, "updated", [], None).state["links"] == []
    # the contact's deletion leaves the hidden link alone
    handle_events(uow, [contact_event("person", "c-5", "deleted", 2)])
    assert [link.id for link in uow.deals.get(deal.id).links] == ["c-5"]


def test_an_anonymized_contact_s_copy_takes_its_erased_name_and_the_deals_published_events_naming_it_go() -> None:
    uow = deals_uow(EVAS, caller=EVA)
    use_cases.create_deal(uow, {"name": "D", "links": [{"type": "person", "id": "c-1"}]})

    handle_events(uow, [contact_event("person", "c-1", "anonymized", 2)])

    # deals read their links' names from the copy, which now has the name the erasure's event gives
    assert uow.contacts.get_many(["c-1"])["c-1"].name == "New name"
    assert uow.erased == ["c-1"]
    handle_events(uow, [contact_event("person", "c-1", "updated", 3)])
    assert uow.erased == ["c-1"]
