"""Which values of an anonymized subject's entries are erased, and which stay."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.redaction import REDACTED, Anonymization, anonymization_of, redact

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
ANONYMIZED = Anonymization("person", "p-1", T0, "e-anon")


def entry(operation: str = "updated", *, at: datetime = T0 - timedelta(minutes=1), object_id: str = "p-1",
          changes: list[dict] | None = None) -> AuditEntry:
    return AuditEntry(
        id=f"e-{operation}", occurred_at=at, user_id="u-1", user_name="Eva Admin", channel="api",
        object_type="person", object_id=object_id, object_name="Jana Nováková",
        object_link=f"/api/v1/persons/{object_id}", operation=operation,
        changes=changes if changes is not None else [{"field": "phones", "before": ["+420 1"], "after": ["+420 2"]}],
    )


def test_an_earlier_entry_loses_every_value_and_its_name_but_keeps_its_fields() -> None:
    earlier = entry(changes=[{"field": "first_name", "before": None, "after": "Jana"},
                             {"field": "emails", "before": ["j@example.cz"], "after": []}])

    redacted = redact(earlier, ANONYMIZED)

    assert redacted.object_name == REDACTED
    assert redacted.changes == [{"field": "first_name", "before": None, "after": REDACTED},
                                {"field": "emails", "before": REDACTED, "after": REDACTED}]
    assert (redacted.id, redacted.operation, redacted.object_link) == (earlier.id, earlier.operation, earlier.object_link)


def test_the_anonymization_entry_keeps_its_null_after_values_and_loses_its_before_values() -> None:
    anonymized = entry("anonymized", at=T0, changes=[{"field": "last_name", "before": "Nováková", "after": None}])

    assert redact(anonymized, ANONYMIZED).changes == [{"field": "last_name", "before": REDACTED, "after": None}]
    assert anonymization_of(anonymized) == Anonymization("person", "p-1", T0, "e-anonymized")


def test_entries_after_the_anonymization_and_of_other_subjects_stay_as_they_are() -> None:
    later = entry(at=T0 + timedelta(seconds=1))
    other = entry(object_id="p-2")

    assert redact(later, ANONYMIZED) == later
    assert redact(other, ANONYMIZED) == other
    assert redact(other, None) == other


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact(entry(), ANONYMIZED)

    assert redact(once, ANONYMIZED) == once
