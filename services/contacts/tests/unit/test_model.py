"""Persons and companies: rules, normalisation and the changes an update reports."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crm_shared.changes import Change

from crm_contacts.domain.model import Company, ContactRuleBroken, Person, new_contact

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def person(**values: object) -> Person:
    contact = new_contact("person", {"first_name": "Jana", "last_name": "Nováková", **values},
                          id="p1", actor_id="u1", now=NOW)
    assert isinstance(contact, Person)
    return contact


def test_a_new_contact_is_owned_by_its_creator_unless_an_owner_is_given() -> None:
    assert person().owner_id == "u1"
    assert person(owner_id="u2").owner_id == "u2"


def test_a_person_needs_a_first_or_a_last_name() -> None:
    with pytest.raises(ContactRuleBroken) as broken:
        new_contact("person", {"first_name": "  "}, id="p", actor_id="u", now=NOW)
    assert "last_name" in broken.value.errors
    assert person(first_name=None).display_name == "Nováková"


def test_a_company_needs_a_name() -> None:
    with pytest.raises(ContactRuleBroken) as broken:
        new_contact("company", {"name": ""}, id="c", actor_id="u", now=NOW)
    assert list(broken.value.errors) == ["name"]


def test_text_is_trimmed_and_lists_lose_blanks_and_duplicates() -> None:
    contact = person(emails=[" a@b.cz", "a@b.cz", ""], tags=["vip", "vip ", "b2b"], position="  ")
    assert contact.emails == ["a@b.cz"]
    assert contact.tags == ["vip", "b2b"]
    assert contact.position is None


def test_creation_lists_every_set_field_as_a_change_from_nothing() -> None:
    changes = person(phones=["+420 111"]).creation_changes()
    assert Change("phones", None, ["+420 111"]) in changes
    assert Change("first_name", None, "Jana") in changes
    assert all(change.before is None for change in changes)
    assert "position" not in {change.field for change in changes}


def test_an_update_reports_each_changed_field_with_before_and_after() -> None:
    original = person(phones=["+420 111 222 333"])
    later = NOW + timedelta(minutes=5)
    updated, changes = original.updated({"phones": ["+420 777 888 999"], "last_name": "Nováková"},
                                        actor_id="u2", now=later)
    assert changes == [Change("phones", ["+420 111 222 333"], ["+420 777 888 999"])]
    assert (updated.version, updated.updated_by, updated.updated_at) == (2, "u2", later)
    assert original.phones == ["+420 111 222 333"]


def test_an_update_that_changes_nothing_keeps_the_version() -> None:
    original = person()
    updated, changes = original.updated({"first_name": " Jana "}, actor_id="u2", now=NOW)
    assert changes == []
    assert updated is original


def test_an_update_may_not_break_the_rules_or_name_unknown_fields() -> None:
    with pytest.raises(ContactRuleBroken):
        person().updated({"first_name": None, "last_name": None}, actor_id="u", now=NOW)
    with pytest.raises(ContactRuleBroken) as broken:
        person().updated({"name": "x"}, actor_id="u", now=NOW)
    assert list(broken.value.errors) == ["name"]


def test_the_state_of_a_record_carries_its_kind_name_and_times() -> None:
    company = new_contact("company", {"name": "ACME s.r.o.", "reg_id": "27074358"}, id="c1", actor_id="u", now=NOW)
    assert isinstance(company, Company)
    state = company.state()
    assert state["kind"] == "company"
    assert state["name"] == "ACME s.r.o."
    assert state["created_at"] == NOW.isoformat()
    assert company.link == "/api/v1/companies/c1"
