"""References to other records in the contacts use cases: owners, companies, groups, merge sources.

A reference to a record the caller may not see is refused exactly like one to a missing record.
"""
from __future__ import annotations

import pytest

from crm_shared.envelope import Actor
from crm_shared.errors import Forbidden, ValidationFailed
from crm_shared.rules import RuleBroken
from crm_shared.testing.sessions import FakeUserDirectory

from crm_contacts.service_layer import groups
from crm_contacts.service_layer.contacts import create_contact, update_contact
from crm_contacts.service_layer.merge import merge_contacts

from .contacts_fakes import contacts_uow, user

EVA, PETR = user("u-1", "Eva"), user("u-2", "Petr")
BOSS = user("u-9", "Boss", role="manager", team=(EVA.id,))
ADMIN = user("u-0", "Admin", role="admin")
UNKNOWN = "00000000-0000-0000-0000-00000000dead"


def directory() -> FakeUserDirectory:
    users = FakeUserDirectory()
    users.add(EVA.id, manager_id=BOSS.id)
    users.add(PETR.id)
    users.add(BOSS.id, role="manager")
    users.add("u-3", active=False, manager_id=BOSS.id)
    return users


def acting(uow, caller):  # type: ignore[no-untyped-def]
    """Let the same fake unit of work act and see as another caller."""
    uow.actor, uow.viewer = Actor(caller.id, caller.name), caller
    return uow


def refusal(call) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises((RuleBroken, ValidationFailed)) as refused:
        call()
    error = refused.value
    return error.errors if isinstance(error, RuleBroken) else error.extra["errors"]


def person_by(caller, uow=None, **values):  # type: ignore[no-untyped-def]
    uow = uow or contacts_uow(caller=caller)
    acting(uow, caller)
    return create_contact(uow, "person", {"last_name": "Nová", **values}, users=directory())


def test_a_user_may_own_a_record_themselves_but_not_give_it_to_anyone_else() -> None:
    assert person_by(EVA, owner_id=EVA.id).owner_id == EVA.id
    other = refusal(lambda: person_by(EVA, owner_id=PETR.id))
    missing = refusal(lambda: person_by(EVA, owner_id=UNKNOWN))
    assert other == {"owner_id": [f"No active user with id {PETR.id} that you may assign records to."]}
    assert missing == {"owner_id": [f"No active user with id {UNKNOWN} that you may assign records to."]}


def test_a_manager_may_give_records_to_an_active_member_of_their_team_only() -> None:
    assert person_by(BOSS, owner_id=EVA.id).owner_id == EVA.id
    assert "owner_id" in refusal(lambda: person_by(BOSS, owner_id="u-3"))  # in the team, but deactivated
    assert "owner_id" in refusal(lambda: person_by(BOSS, owner_id=PETR.id))


def test_an_admin_may_give_records_to_any_active_user_but_not_to_an_unknown_id() -> None:
    assert person_by(ADMIN, owner_id=PETR.id).owner_id == PETR.id
    assert "owner_id" in refusal(lambda: person_by(ADMIN, owner_id=UNKNOWN))
    assert "owner_id" in refusal(lambda: person_by(ADMIN, owner_id="u-3"))


def test_without_a_directory_no_other_owner_is_accepted() -> None:
    uow = contacts_uow(caller=ADMIN)
    with pytest.raises(RuleBroken):
        create_contact(uow, "person", {"last_name": "Nová", "owner_id": PETR.id})
    assert uow.events == []


def test_changing_the_owner_is_checked_like_creating_and_an_unchanged_owner_needs_no_lookup() -> None:
    uow = contacts_uow(caller=EVA)
    person = person_by(EVA, uow)
    assert "owner_id" in refusal(lambda: update_contact(uow, "person", person.id, {"owner_id": PETR.id}, EVA,
                                                        users=directory()))
    assert "owner_id" in refusal(lambda: update_contact(uow, "person", person.id, {"owner_id": None}, EVA,
                                                        users=directory()))
    same = update_contact(uow, "person", person.id, {"owner_id": EVA.id, "note": "x"}, EVA)
    assert same.owner_id == EVA.id and same.note == "x"
    acting(uow, BOSS)
    moved = update_contact(uow, "person", person.id, {"owner_id": BOSS.id}, BOSS, users=directory())
    assert moved.owner_id == BOSS.id


def test_a_company_the_caller_cannot_see_is_refused_exactly_like_a_missing_one() -> None:
    uow = contacts_uow(caller=PETR)
    petrs = create_contact(uow, "company", {"name": "Petr s.r.o."})
    acting(uow, EVA)
    evas_person = create_contact(uow, "person", {"last_name": "Nová"})
    invisible = refusal(lambda: create_contact(uow, "person", {"last_name": "X", "company_id": petrs.id}))
    missing = refusal(lambda: create_contact(uow, "person", {"last_name": "X", "company_id": UNKNOWN}))
    assert invisible == {"company_id": [f"No company with id {petrs.id}."]}
    assert missing == {"company_id": [f"No company with id {UNKNOWN}."]}
    assert refusal(lambda: update_contact(uow, "person", evas_person.id, {"company_id": petrs.id}, EVA)) == invisible


def test_merging_from_a_record_of_the_other_kind_one_cannot_see_reads_like_merging_from_nothing() -> None:
    uow = contacts_uow(caller=PETR)
    petrs = create_contact(uow, "company", {"name": "Petr s.r.o."})
    acting(uow, EVA)
    target = create_contact(uow, "person", {"last_name": "Nová"})
    invisible = refusal(lambda: merge_contacts(uow, "person", target.id, petrs.id, EVA))
    assert invisible == {"source_id": [f"No person with id {petrs.id}."]}
    evas_company = create_contact(uow, "company", {"name": "Eva s.r.o."})
    visible = refusal(lambda: merge_contacts(uow, "person", target.id, evas_company.id, EVA))
    assert visible == {"source_id": ["Only a person can be merged into a person."]}


def test_only_a_groups_owner_their_manager_or_an_admin_may_rename_or_delete_it() -> None:
    uow = contacts_uow(caller=EVA)
    group = groups.create_group(uow, {"name": "VIP"})
    member = create_contact(uow, "person", {"last_name": "Nová", "groups": [group.id]})
    assert group.state()["owner_id"] == EVA.id
    acting(uow, PETR)
    events = len(uow.events)
    with pytest.raises(Forbidden):
        groups.update_group(uow, group.id, {"name": "Mine"})
    with pytest.raises(Forbidden):
        groups.delete_group(uow, group.id)
    assert len(uow.events) == events and uow.contacts.get("person", member.id).groups == [group.id]
    acting(uow, BOSS)
    assert groups.update_group(uow, group.id, {"name": "VIP clients"}).name == "VIP clients"
    acting(uow, EVA)
    groups.delete_group(uow, group.id)
    assert uow.groups.get(group.id) is None and uow.contacts.get("person", member.id).groups == []


def test_joining_or_leaving_a_group_needs_a_member_the_caller_may_see() -> None:
    from crm_shared.errors import NotFound

    uow = contacts_uow(caller=EVA)
    group = groups.create_group(uow, {"name": "VIP"})
    evas = create_contact(uow, "person", {"last_name": "Nová"})
    with pytest.raises(NotFound):
        groups.set_membership(uow, group.id, "person", evas.id, PETR, member=True)
    assert uow.contacts.get("person", evas.id).groups == []
