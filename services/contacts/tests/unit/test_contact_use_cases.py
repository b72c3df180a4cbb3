"""The contacts use cases on the fake unit of work: what they store, what they emit, what they refuse."""
from __future__ import annotations

import pytest

from crm_shared.errors import Conflict, NotFound, ValidationFailed
from crm_shared.rules import RecordLocked, RuleBroken, StateConflict

from crm_contacts.domain.links import Link
from crm_contacts.service_layer import actions
from crm_contacts.service_layer.contacts import create_contact, delete_contact, update_contact
from crm_contacts.service_layer.merge import merge_contacts

from .contacts_fakes import contacts_uow, user

EVA, PETR = user("u-1", "Eva"), user("u-2", "Petr")


def a_person(uow, **values):  # type: ignore[no-untyped-def]
    return create_contact(uow, "person", {"first_name": "Jana", "last_name": "Nováková", **values})


def operations(uow) -> list[str]:  # type: ignore[no-untyped-def]
    return [event.operation for event in uow.events]


def test_creating_a_contact_stores_it_owned_by_its_creator_and_commits_its_created_event() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    assert uow.contacts.get("person", person.id) == person and person.owner_id == EVA.id
    assert operations(uow) == ["created"] and uow.events[0].object_id == person.id


def test_a_contact_breaking_a_rule_is_refused_with_its_fields_and_nothing_is_emitted() -> None:
    uow = contacts_uow()
    with pytest.raises(RuleBroken) as broken:
        create_contact(uow, "person", {"first_name": "", "last_name": ""})
    assert "last_name" in broken.value.errors and uow.events == []


def test_a_contact_naming_a_missing_company_is_refused_on_company_id() -> None:
    with pytest.raises(ValidationFailed) as failed:
        a_person(contacts_uow(), company_id="no-such-company")
    assert "company_id" in failed.value.extra["errors"]


def test_updating_a_contact_saves_the_next_version_and_emits_the_changed_fields() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    changed = update_contact(uow, "person", person.id, {"note": "VIP"}, EVA)
    assert changed.version == person.version + 1 and uow.contacts.get("person", person.id).note == "VIP"
    assert operations(uow) == ["created", "updated"]
    assert [change.field for change in uow.events[-1].changes] == ["note"]


def test_a_contact_of_another_user_is_as_missing_as_one_that_does_not_exist() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    with pytest.raises(NotFound):
        update_contact(uow, "person", person.id, {"note": "mine now"}, PETR)
    assert operations(uow) == ["created"]


def test_a_manager_may_change_the_contacts_of_their_team() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    manager = user("m-1", "Marie", role="manager", team=(EVA.id,))
    assert update_contact(uow, "person", person.id, {"note": "checked"}, manager).note == "checked"


def test_a_locked_contact_refuses_everyone_but_its_holder_naming_the_holder() -> None:
    uow = contacts_uow(caller=user(role="admin"))
    person = a_person(uow)
    actions.lock(uow, "person", person.id, EVA)
    with pytest.raises(RecordLocked) as locked:
        update_contact(uow, "person", person.id, {"note": "x"}, user("u-3", "Admin", role="admin"))
    assert locked.value.holder_id == EVA.id
    assert update_contact(uow, "person", person.id, {"note": "mine"}, EVA).note == "mine"
    assert operations(uow) == ["created", "locked", "updated"]


def test_unlocking_is_for_the_holder_or_an_admin() -> None:
    uow = contacts_uow(caller=user(role="admin"))
    person = a_person(uow)
    actions.lock(uow, "person", person.id, EVA)
    with pytest.raises(RecordLocked):
        actions.unlock(uow, "person", person.id, user("m-1", "Marie", role="manager", team=(EVA.id,)))
    assert actions.unlock(uow, "person", person.id, user("a-1", "Admin", role="admin")).locked_by is None


def test_an_invalidated_contact_refuses_changes_until_it_is_revalidated() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    actions.invalidate(uow, "person", person.id, EVA)
    with pytest.raises(StateConflict):
        update_contact(uow, "person", person.id, {"note": "x"}, EVA)
    actions.revalidate(uow, "person", person.id, EVA)
    assert update_contact(uow, "person", person.id, {"note": "x"}, EVA).note == "x"


def test_deleting_a_linked_contact_needs_cascade_and_then_forgets_its_links() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    uow.links.links.append(Link("person", person.id, "deal", "d-1", "Big deal"))
    with pytest.raises(Conflict) as conflict:
        delete_contact(uow, "person", person.id, EVA)
    assert conflict.value.extra["links"][0]["id"] == "d-1"
    delete_contact(uow, "person", person.id, EVA, cascade=True)
    assert not uow.contacts.exists("person", person.id) and uow.links.of_contact(person.id) == []
    assert operations(uow) == ["created", "deleted"]


def test_deleting_a_company_with_persons_detaches_each_as_an_update_of_the_person() -> None:
    uow = contacts_uow()
    company = create_contact(uow, "company", {"name": "ACME s.r.o."})
    person = a_person(uow, company_id=company.id)
    delete_contact(uow, "company", company.id, EVA, cascade=True)
    assert uow.contacts.get("person", person.id).company_id is None
    assert operations(uow) == ["created", "created", "updated", "deleted"]


def test_merging_moves_links_to_the_target_deletes_the_source_and_says_both() -> None:
    uow = contacts_uow()
    target = a_person(uow, emails=["jana@example.com"])
    source = a_person(uow, emails=["jana@work.example.com"])
    uow.links.links.append(Link("person", source.id, "deal", "d-1", "Big deal"))
    result = merge_contacts(uow, "person", target.id, source.id, EVA)
    assert result.contact.emails == ["jana@example.com", "jana@work.example.com"]
    assert not uow.contacts.exists("person", source.id)
    assert [link.contact_id for link in uow.links.links] == [target.id]
    assert operations(uow)[-2:] == ["merged", "deleted"]
    assert (uow.events[-2].object_id, uow.events[-2].extra) == (target.id, {"merged_from": [source.id]})
    assert (uow.events[-1].object_id, uow.events[-1].extra) == (source.id, {"merged_into": target.id})


def test_a_dry_run_merge_answers_the_result_and_changes_nothing() -> None:
    uow = contacts_uow()
    target, source = a_person(uow), a_person(uow, note="from the source")
    result = merge_contacts(uow, "person", target.id, source.id, EVA, dry_run=True)
    assert result.dry_run and result.contact.note == "from the source"
    assert uow.contacts.exists("person", source.id) and operations(uow) == ["created", "created"]


def test_a_contact_cannot_be_merged_into_itself() -> None:
    uow = contacts_uow()
    person = a_person(uow)
    with pytest.raises(RuleBroken):
        merge_contacts(uow, "person", person.id, person.id, EVA)


def test_anonymizing_drops_the_persons_published_events_with_its_commit_and_only_once() -> None:
    uow = contacts_uow()
    person = a_person(uow, emails=["jana@example.cz"])

    actions.anonymize(uow, person.id, EVA)
    actions.anonymize(uow, person.id, EVA)  # nothing left to erase: no event, no second drop

    assert operations(uow) == ["created", "anonymized"]
    assert uow.erased == [person.id]
    assert "jana@example.cz" not in repr(uow.events[-1])
