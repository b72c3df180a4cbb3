"""Lock, validity, consents and anonymization: what each changes, and what it refuses."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crm_shared.changes import Change
from crm_shared.erasure import REDACTED

from crm_contacts.domain import actions
from crm_contacts.domain.actions import ContactInvalid, ContactLocked, Editor
from crm_contacts.domain.model import Person, new_contact

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(minutes=5)
EVA = Editor("u-eva", "Eva Svobodová")
PETR = Editor("u-petr", "Petr Novák")
ADMIN = Editor("u-admin", "Admin", is_admin=True)


def person(**values: object) -> Person:
    contact = new_contact("person", {"first_name": "Jana", "last_name": "Nováková", **values},
                          id="p1", actor_id="u-eva", now=NOW)
    assert isinstance(contact, Person)
    return contact


def test_locking_records_the_holder_and_time_as_a_new_version() -> None:
    locked, changes = actions.lock(person(), EVA, LATER)
    assert (locked.locked_by, locked.locked_by_name, locked.locked_at, locked.version) == (EVA.id, EVA.name, LATER, 2)
    assert changes == [Change("locked_by", None, EVA.id), Change("locked_at", None, LATER.isoformat())]


def test_locking_ones_own_lock_again_changes_nothing() -> None:
    locked, _ = actions.lock(person(), EVA, NOW)
    again, changes = actions.lock(locked, EVA, LATER)
    assert again is locked and changes == []


def test_a_locked_record_refuses_everybody_but_the_holder_naming_the_holder() -> None:
    locked, _ = actions.lock(person(), EVA, NOW)
    actions.ensure_editable(locked, EVA)
    for other in (PETR, ADMIN):
        with pytest.raises(ContactLocked, match="Eva Svobodová"):
            actions.ensure_editable(locked, other)
    with pytest.raises(ContactLocked):
        actions.unlock(locked, PETR, LATER)


def test_the_holder_or_an_admin_unlocks() -> None:
    locked, _ = actions.lock(person(), EVA, NOW)
    for editor in (EVA, ADMIN):
        unlocked, changes = actions.unlock(locked, editor, LATER)
        assert unlocked.locked_by is None and unlocked.version == 3
        assert changes[0] == Change("locked_by", EVA.id, None)
    assert actions.unlock(person(), EVA, LATER)[1] == []


def test_an_invalid_record_cannot_be_edited_until_revalidated() -> None:
    invalid, changes = actions.set_validity(person(), False, EVA, LATER)
    assert changes == [Change("valid", True, False)]
    with pytest.raises(ContactInvalid):
        actions.ensure_editable(invalid, EVA)
    valid, changes = actions.set_validity(invalid, True, EVA, LATER)
    assert changes == [Change("valid", False, True)]
    actions.ensure_editable(valid, EVA)
    assert actions.set_validity(valid, True, EVA, LATER)[1] == []


def test_a_consent_change_names_the_purpose_with_before_and_after() -> None:
    granted, changes = actions.set_consent(person(), "newsletter", True, "web form", EVA, NOW)
    after = {"granted": True, "source": "web form", "at": NOW.isoformat()}
    assert changes == [Change("consents.newsletter", None, after)]
    withdrawn, changes = actions.set_consent(granted, "newsletter", False, "phone call", EVA, LATER)
    assert changes[0].before == after and changes[0].after["granted"] is False
    assert actions.set_consent(withdrawn, "newsletter", False, "phone call", EVA, LATER)[1] == []


def test_anonymizing_erases_every_personal_field_to_null_and_keeps_the_shell() -> None:
    original = person(emails=["j@example.cz"], phones=["+420 111"], note="VIP", tags=["b2b"])
    original, _ = actions.set_consent(original, "newsletter", True, "web", EVA, NOW)
    erased, changes = actions.anonymize(original, EVA, LATER)
    assert {c.field for c in changes} == {"first_name", "last_name", "emails", "phones", "note", "consents"}
    assert all(change.after is None for change in changes)
    assert {change.before for change in changes} == {REDACTED}  # the event never carries the erased values
    assert (erased.id, erased.tags, erased.owner_id) == ("p1", ["b2b"], "u-eva")
    assert erased.emails == [] and erased.first_name is None and erased.consents == {}
    assert erased.display_name == "Anonymized person" and erased.anonymized_at == LATER
    assert actions.anonymize(erased, EVA, LATER)[1] == []
