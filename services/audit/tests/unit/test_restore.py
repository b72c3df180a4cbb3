"""Restoring a field from an entry: through the owning service, as the admin, only what is still as it was."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

import pytest

from crm_shared.errors import Conflict, Locked, NotFound, PreconditionFailed, ServiceUnavailable, ValidationFailed
from crm_shared.rules import RuleBroken, StateConflict

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.restore import same_value
from crm_audit.restoring import Caller, Record, restore_field

WHEN = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
ENTRY_ID = "6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10"
ADMIN = Caller("Bearer admin-token", "req-1")
PERSON = "/api/v1/persons/p-1"


def entry(link: str = PERSON, operation: str = "updated", **changes: tuple[Any, Any]) -> AuditEntry:
    kind = link.split("/")[3].rstrip("s")
    return AuditEntry(id=ENTRY_ID, occurred_at=WHEN, user_id="u-1", user_name="Eva", channel="api",
                      object_type=kind, object_id=link.rsplit("/", 1)[1], object_name="Jana", object_link=link,
                      operation=operation,
                      changes=[{"field": name, "before": before, "after": after}
                               for name, (before, after) in (changes or {"phones": (["+420 1"], ["+420 2"])}).items()])


class FakeEntries:
    def __init__(self, *entries: AuditEntry) -> None:
        self.items = {e.id: e for e in entries}

    def entry(self, entry_id: str) -> AuditEntry:
        if entry_id not in self.items:
            raise NotFound(f"There is no audit entry {entry_id}.")
        return self.items[entry_id]


@dataclass
class FakeOwners:
    """Owning services in memory: records by link, each with a version; a refusal to raise on patch."""

    records: dict[str, dict[str, Any]]
    refusal: Exception | None = None
    versions: dict[str, int] = field(default_factory=dict)
    patches: list[tuple[str, Mapping[str, Any], str | None, Caller, str]] = field(default_factory=list)

    def read(self, link: str, caller: Caller) -> Record:
        if link not in self.records:
            raise NotFound("No such record.")
        return Record(self.records[link], f'"{self.versions.get(link, 1)}"')

    def patch(self, link: str, values: Mapping[str, Any], *, version: str | None, caller: Caller,
              restores_entry: str) -> Record:
        if self.refusal is not None:
            raise self.refusal
        self.patches.append((link, values, version, caller, restores_entry))
        self.records[link] = {**self.records[link], **values}
        return Record(self.records[link], '"2"')


def test_restoring_puts_the_before_value_back_as_the_admin_with_the_version_read_and_names_the_entry() -> None:
    owners = FakeOwners({PERSON: {"id": "p-1", "phones": ["+420 2"], "first_name": "Jana"}})
    restored = restore_field(FakeEntries(entry()), owners, ENTRY_ID, "phones", ADMIN)
    assert owners.patches == [(PERSON, {"phones": ["+420 1"]}, '"1"', ADMIN, ENTRY_ID)]
    assert (restored.restored_from, restored.value, restored.record["phones"]) == (ENTRY_ID, ["+420 1"], ["+420 1"])


@pytest.mark.parametrize("link, name, before, after, current", [
    ("/api/v1/companies/c-1", "vat_id", "CZ1", "CZ2", "CZ2"),
    ("/api/v1/deals/d-1", "value", "100.00", "250.00", "250.0"),
    ("/api/v1/deals/d-1", "planned_close_date", "2026-12-24", None, None),
    ("/api/v1/tasks/t-1", "due", "2026-12-01T09:00:00+00:00", "2026-12-02T09:00:00+00:00", "2026-12-02T10:00:00+01:00"),
    ("/api/v1/tasks/t-1", "links", [{"type": "person", "id": "p-1", "name": "Jana"}], [],  []),
])
def test_every_owning_service_restores_through_the_same_path_whatever_its_spelling_of_values(
    link: str, name: str, before: Any, after: Any, current: Any,
) -> None:
    owners = FakeOwners({link: {"id": "x", name: current}})
    restore_field(FakeEntries(entry(link, **{name: (before, after)})), owners, ENTRY_ID, name, ADMIN)
    assert owners.patches[0][:2] == (link, {name: before})


def test_a_value_changed_since_the_entry_is_a_conflict_saying_what_it_is_now_and_nothing_is_patched() -> None:
    owners = FakeOwners({PERSON: {"phones": ["+420 3"]}})
    with pytest.raises(StateConflict) as refused:
        restore_field(FakeEntries(entry()), owners, ENTRY_ID, "phones", ADMIN)
    assert "changed since" in str(refused.value) and '["+420 3"]' in str(refused.value)
    assert refused.value.extra == {"field": "phones", "current": ["+420 3"]} and owners.patches == []


@pytest.mark.parametrize("name", ["first_name", "version"])
def test_a_field_the_entry_did_not_change_or_the_record_does_not_have_is_a_422_on_field(name: str) -> None:
    changed = entry(first_name=("Jana", "Janka")) if name == "first_name" else entry(version=(1, 2))
    owners = FakeOwners({PERSON: {"phones": ["+420 2"]}})
    entries = FakeEntries(changed if name == "version" else entry())
    with pytest.raises(RuleBroken) as refused:
        restore_field(entries, owners, ENTRY_ID, name, ADMIN)
    assert list(refused.value.errors) == ["field"] and owners.patches == []


@pytest.mark.parametrize("refused_entry", [
    entry(operation="deleted"), entry(operation="anonymized"), entry(operation="created"),
    entry(phones=(["[redacted]"], ["[redacted]"])), entry(object_name=("[redacted]", "Anonymized")),
    entry("/api/v1/persons/../users/u-1"),
])
def test_an_entry_with_nothing_to_put_back_is_refused_with_its_reason(refused_entry: AuditEntry) -> None:
    name = refused_entry.changes[0]["field"]
    owners = FakeOwners({refused_entry.object_link or "": {name: refused_entry.changes[0]["after"]}})
    with pytest.raises(StateConflict):
        restore_field(FakeEntries(refused_entry), owners, ENTRY_ID, name, ADMIN)
    assert owners.patches == []


def test_an_unknown_entry_or_record_is_a_404() -> None:
    with pytest.raises(NotFound):
        restore_field(FakeEntries(), FakeOwners({}), ENTRY_ID, "phones", ADMIN)
    with pytest.raises(NotFound):
        restore_field(FakeEntries(entry()), FakeOwners({}), ENTRY_ID, "phones", ADMIN)


@pytest.mark.parametrize("refusal, answered", [
    (Locked("The record is locked by Ann.", holder={"id": "ann", "name": "Ann"}), Locked),
    (PreconditionFailed("Stale."), Conflict),
    (ServiceUnavailable("The contacts service is unavailable."), ServiceUnavailable),
])
def test_the_owning_service_s_refusal_is_passed_on_and_a_race_is_a_conflict(refusal: Exception,
                                                                            answered: type[Exception]) -> None:
    owners = FakeOwners({PERSON: {"phones": ["+420 2"]}}, refusal=refusal)
    with pytest.raises(answered):
        restore_field(FakeEntries(entry()), owners, ENTRY_ID, "phones", ADMIN)
    assert owners.records[PERSON] == {"phones": ["+420 2"]}


def test_a_value_the_owning_service_refuses_is_a_422_on_field_quoting_its_reason() -> None:
    owners = FakeOwners({PERSON: {"phones": ["+420 2"]}},
                        refusal=ValidationFailed({"phones.0": ["Not a phone number."]}))
    with pytest.raises(ValidationFailed) as refused:
        restore_field(FakeEntries(entry()), owners, ENTRY_ID, "phones", ADMIN)
    assert refused.value.extra["errors"] == {"field": ["phones.0: Not a phone number."]}


def test_recorded_values_match_the_record_s_spelling_of_the_same_value() -> None:
    assert same_value("2026-12-01T09:00:00+00:00", "2026-12-01T10:00:00+01:00")
    assert same_value("1.50", "1.5") and not same_value("1.5", "1.6")
    assert same_value([{"id": "p-1", "name": "Jana"}], [{"id": "p-1", "name": "Jana", "type": "person"}])
    assert not same_value(["a"], ["a", "b"]) and not same_value("2026-12-01", "2026-12-02") and not same_value(1, "1")
