"""What the consumer's use cases do with other services' events, on the fake unit of work."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from crm_shared.envelope import AUTOMATION, SYSTEM, Actor, CloudEvent, InvalidEvent
from crm_shared.testing.fakes import FakeUnitOfWork

from crm_interactions.domain.rules import new_rule
from crm_interactions.domain.templates import new_template
from crm_interactions.service_layer import log
from crm_interactions.service_layer.record_events import handle_events

from .fakes import NOW, fake_uow, known


def event(event_type: str, object_id: str, sequence: int = 1, state: dict[str, Any] | None = None,
          event_id: str | None = None, **data: Any) -> CloudEvent:
    return CloudEvent(id=event_id or str(uuid.uuid4()), source="/crm/test", type=event_type, subject=object_id,
                      time=datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc), actorid="eva", actorname="Eva Exporter",
                      correlationid="c", sequence=sequence,
                      data={"object_type": event_type.split(".")[1], "object_id": object_id,
                            "operation": event_type.split(".")[2], "state": state or {}, **data})


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = fake_uow(SYSTEM, role="admin")
    template = new_template({"code": "AUTO", "method": "email", "initiated_by": "us", "unit_cost": Decimal("1")},
                            id="t1", actor_id="admin", now=NOW)
    uow.templates.add(template)
    return uow


def _rule(uow: FakeUnitOfWork, event_type: str, **values: Any) -> None:
    rule = new_rule({"event_type": event_type, "template_id": "t1", **values}, id=str(uuid.uuid4()),
                    actor_id="admin", now=NOW)
    uow.rules.add(rule)


def test_a_contact_s_events_keep_its_copy_with_its_groups_newest_first(uow: FakeUnitOfWork) -> None:
    handle_events(uow, [event("crm.person.updated", "p1", 2, {"name": "Jana", "owner_id": "ann", "groups": ["g1"]}),
                        event("crm.person.created", "p1", 1, {"name": "Old", "owner_id": "ann", "groups": []})])
    copy = uow.contacts.get("p1")
    assert (copy.name, copy.groups, copy.sequence) == ("Jana", ("g1",), 2)


def test_an_export_rule_logs_the_exported_contact_once_per_event_as_its_actor(uow: FakeUnitOfWork) -> None:
    _rule(uow, "crm.person.exported")
    exported = event("crm.person.exported", "p1", 1, {"name": "Jana", "owner_id": "ann"})
    handle_events(uow, [exported, exported])
    [entry] = uow.entries.items.values()
    assert (entry.source, entry.user.name, entry.cause_event_id, entry.occurred_at) == (
        "rule", "Eva Exporter", exported.id, exported.time)
    assert [actor for _, actor in uow.emitted] == [Actor("eva", "Eva Exporter", AUTOMATION)]


def test_a_deal_won_by_a_status_change_logs_each_linked_person_and_company(uow: FakeUnitOfWork) -> None:
    _rule(uow, "crm.deal.won")
    links = [{"type": "person", "id": "p1", "name": "Jana"}, {"type": "company", "id": "c1", "name": "Acme"},
             {"type": "space", "id": "s1"}]
    handle_events(uow, [event("crm.deal.updated", "d1", 2, {"links": links}, changes=[
        {"field": "stage", "before": "a", "after": "b"}])])
    assert uow.entries.items == {}
    handle_events(uow, [event("crm.deal.updated", "d1", 3, {"links": links}, changes=[
        {"field": "status", "before": "open", "after": "won"}])])
    assert sorted(e.contact.id for e in uow.entries.items.values()) == ["c1", "p1"]
    assert uow.contacts.get("c1").pending  # linked before its own event: named by the link until it comes


def test_a_disabled_rule_logs_nothing_and_the_service_s_own_events_never_trigger_rules(uow: FakeUnitOfWork) -> None:
    _rule(uow, "crm.task.completed", enabled=False)
    handle_events(uow, [event("crm.task.completed", "t", 2, {"links": [{"type": "person", "id": "p1"}]}),
                        event("crm.interaction.created", "i", 1, {"contact": {"type": "person", "id": "p1"}})])
    assert uow.entries.items == {}


def test_a_merge_moves_the_source_s_entries_to_the_target(uow: FakeUnitOfWork) -> None:
    known(uow, "source", name="Jana Dvojnice")
    known(uow, "target", name="Jana Nováková")
    entry = log.log_interactions(uow, {"template_id": "t1", "contact": {"type": "person", "id": "source"}})[0]
    handle_events(uow, [event("crm.person.merged", "target", 2, {"name": "Jana Nováková", "owner_id": "ann"},
                              merged_from=["source"])])
    moved = uow.entries.get(entry.id)
    assert (moved.contact.id, moved.contact.name, moved.version) == ("target", "Jana Nováková", 2)
    assert uow.contacts.get("source").gone
    assert uow.events[-1].operation == "updated"
    assert uow.emitted[-1][1] == Actor("eva", "Eva Exporter", AUTOMATION)  # the merging user, by automation


def test_anonymization_redacts_every_entry_and_tells_the_audit_log(uow: FakeUnitOfWork) -> None:
    known(uow, "p1", name="Jana Nováková")
    entry = log.log_interactions(uow, {"template_id": "t1", "contact": {"type": "person", "id": "p1"},
                                       "description": "Jana's new address"})[0]
    handle_events(uow, [event("crm.person.anonymized", "p1", 2, {
        "name": "Anonymized person", "owner_id": "ann", "anonymized_at": "2026-12-01T10:00:00+00:00"})])
    redacted = uow.entries.get(entry.id)
    assert (redacted.contact.name, redacted.description) == ("Anonymized person", None)
    assert (uow.events[-1].operation, uow.events[-1].state["description"]) == ("anonymized", None)
    assert "Jana" not in repr(uow.events[-1]) and uow.erased == ["p1"]  # nor in the outbox once published
    assert uow.emitted[-1][1] == SYSTEM
    late = log.record_inbound(uow, {"kind": "chat", "contact": {"type": "person", "id": "p1"}, "subject": "Jana"})
    assert late.description is None


def test_a_deleted_contact_s_entries_stay_showing_it_deleted(uow: FakeUnitOfWork) -> None:
    known(uow, "p1")
    entry = log.log_interactions(uow, {"template_id": "t1", "contact": {"type": "person", "id": "p1"}})[0]
    handle_events(uow, [event("crm.person.deleted", "p1", 1, {"name": "Jana Nováková"})])
    kept = uow.entries.get(entry.id)
    assert (kept.contact.deleted, kept.contact.name) == (True, "Jana Nováková")


def test_an_event_naming_no_contact_id_is_invalid(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidEvent):
        handle_events(uow, [event("crm.person.updated", "", 1, {})])


def test_an_anonymization_arriving_after_a_newer_event_still_redacts_and_marks_the_copy(uow: FakeUnitOfWork) -> None:
    known(uow, "p1", name="Jana Nováková")
    entry = log.log_interactions(uow, {"template_id": "t1", "contact": {"type": "person", "id": "p1"},
                                       "description": "Jana called"})[0]
    handle_events(uow, [event("crm.person.updated", "p1", 3, {"name": "Anonymized person", "owner_id": "ann"})])
    handle_events(uow, [event("crm.person.anonymized", "p1", 2, {"name": "Anonymized person", "owner_id": "ann",
                                                                  "anonymized_at": "2026-12-01T10:00:00+00:00"})])
    assert uow.contacts.get("p1").anonymized
    assert uow.entries.get(entry.id).description is None
