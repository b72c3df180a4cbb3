"""Which other objects an entry names, and what is erased of one of them once it is anonymized."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.mentions import kept, mentions_of, redact_mention
from crm_audit.domain.redaction import REDACTED, Anonymization

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
JANA = {"type": "person", "id": "p-1", "name": "Jana Nováková"}
ACME = {"type": "company", "id": "c-1", "name": "Acme s.r.o."}


def entry(object_type: str = "deal", object_id: str = "d-1", *, changes: list[dict],
          at: datetime = T0 - timedelta(minutes=1)) -> AuditEntry:
    return AuditEntry(id=f"e-{object_id}", occurred_at=at, user_id="u-1", user_name="Eva Admin", channel="api",
                      object_type=object_type, object_id=object_id, object_name="Big deal",
                      object_link=f"/api/v1/{object_type}s/{object_id}", operation="updated", changes=changes)


def test_a_deals_link_changes_name_the_linked_contacts() -> None:
    linked = entry(changes=[{"field": "links", "before": None, "after": JANA},
                            {"field": "links", "before": ACME, "after": None},
                            {"field": "value", "before": "100.00", "after": "200.00"}])

    assert mentions_of(linked) == {("person", "p-1"), ("company", "c-1")}


def test_references_are_found_at_any_depth_and_the_entrys_own_object_is_no_mention() -> None:
    nested = entry("interaction", "i-1", changes=[
        {"field": "contact", "before": {"type": "person", "id": "p-1", "name": "Jana", "deleted": False},
         "after": {"type": "person", "id": "p-2", "name": "Petr", "deleted": False}},
        {"field": "links", "before": None, "after": [{"meta": {"type": "interaction", "id": "i-1"}}, ACME]},
        {"field": "user", "before": {"id": "u-1", "name": "Eva"}, "after": {"type": "", "id": "x"}},
    ])

    assert mentions_of(nested) == {("person", "p-1"), ("person", "p-2"), ("company", "c-1")}


def test_a_mention_of_the_subject_keeps_its_identity_and_flags_and_loses_its_text() -> None:
    linked = entry(changes=[
        {"field": "links", "before": None, "after": JANA},
        {"field": "links", "before": ACME, "after": None},
        {"field": "contact", "before": {"type": "person", "id": "p-1", "name": "Jana", "deleted": False,
                                        "emails": ["j@example.cz"], "rank": 2}, "after": None},
    ])

    redacted = redact_mention(linked, ("person", "p-1"))

    assert redacted.changes == [
        {"field": "links", "before": None, "after": {"type": "person", "id": "p-1", "name": REDACTED}},
        {"field": "links", "before": ACME, "after": None},
        {"field": "contact", "before": {"type": "person", "id": "p-1", "name": REDACTED, "deleted": False,
                                        "emails": REDACTED, "rank": 2}, "after": None},
    ]
    assert (redacted.object_name, redacted.operation) == (linked.object_name, linked.operation)
    assert redact_mention(redacted, ("person", "p-1")) == redacted


def test_an_entry_not_naming_the_subject_stays_as_it_is() -> None:
    other = entry(changes=[{"field": "links", "before": None, "after": ACME}])

    assert redact_mention(other, ("person", "p-1")) is other


def test_a_mention_of_an_anonymized_subject_is_redacted_even_after_the_anonymization() -> None:
    # the deals service may still name the person from a copy the anonymization has not reached
    late = entry(at=T0 + timedelta(minutes=5), changes=[{"field": "links", "before": None, "after": JANA}])
    anonymized = {("person", "p-1"): Anonymization("person", "p-1", T0, "e-anon")}

    assert kept(late, anonymized).changes[0]["after"]["name"] == REDACTED
    assert kept(late, {}) == late


def test_an_anonymized_subjects_own_earlier_entry_is_redacted_as_before() -> None:
    own = entry("person", "p-1", changes=[{"field": "last_name", "before": None, "after": "Nováková"},
                                          {"field": "links", "before": None, "after": ACME}])
    anonymized = {("person", "p-1"): Anonymization("person", "p-1", T0, "e-anon")}

    stored = kept(own, anonymized)

    assert stored.object_name == REDACTED
    assert [change["after"] for change in stored.changes] == [REDACTED, REDACTED]
