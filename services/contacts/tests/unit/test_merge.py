"""Merging two contacts: lists united, target's values win unless the source is preferred."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm_contacts.domain.merge import merged
from crm_contacts.domain.model import Contact, ContactRuleBroken, new_contact

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def contact(kind: str, id: str, **values: object) -> Contact:
    return new_contact(kind, values, id=id, actor_id="u1", now=NOW)


def test_lists_are_united_empty_fields_filled_and_the_targets_values_win() -> None:
    target = contact("person", "t", last_name="Nová", emails=["a@x.cz"], tags=["vip"], position=None)
    source = contact("person", "s", last_name="Nováková", emails=["b@x.cz", "a@x.cz"], tags=["b2b"],
                     position="CEO")
    result, changes = merged(target, source, [], actor_id="u2", now=NOW)
    assert result.emails == ["a@x.cz", "b@x.cz"] and result.tags == ["vip", "b2b"]
    assert (result.last_name, result.position, result.version, result.id) == ("Nová", "CEO", 2, "t")
    assert {c.field for c in changes} == {"emails", "tags", "position"}


def test_prefer_source_lets_the_source_win_per_field() -> None:
    target = contact("person", "t", last_name="Nová", phones=["+420 111"])
    source = contact("person", "s", last_name="Nováková", phones=["+420 222"])
    result, changes = merged(target, source, ["last_name", "phones"], actor_id="u2", now=NOW)
    assert result.last_name == "Nováková"
    assert result.phones == ["+420 222", "+420 111"]
    assert ("last_name", "Nová", "Nováková") in [(c.field, c.before, c.after) for c in changes]


def test_only_the_same_kind_merges_and_never_into_itself() -> None:
    person, company = contact("person", "p", last_name="X"), contact("company", "c", name="ACME")
    with pytest.raises(ContactRuleBroken):
        merged(person, company, [], actor_id="u", now=NOW)
    with pytest.raises(ContactRuleBroken):
        merged(person, person, [], actor_id="u", now=NOW)
    with pytest.raises(ContactRuleBroken) as broken:
        merged(person, contact("person", "q", last_name="Y"), ["shoe_size"], actor_id="u", now=NOW)
    assert list(broken.value.errors) == ["prefer_source"]
