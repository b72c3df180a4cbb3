"""Post-sale task templates of processes on the fake unit of work: checked against the copy, kept from events."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from crm_shared.envelope import SYSTEM, Actor, InvalidEvent, wrap
from crm_shared.errors import ValidationFailed
from crm_shared.events import ObjectChanged

from crm_shared.copies import supersedes

from crm_deals.domain.task_templates import KnownTemplate
from crm_deals.service_layer import deals as deal_use_cases
from crm_deals.service_layer import processes as use_cases
from crm_deals.service_layer.incoming import handle_events

from .deals_fakes import deals_uow

ONBOARDING = KnownTemplate(str(uuid.uuid4()), "Onboarding", sequence=2)
POST_MORTEM = KnownTemplate(str(uuid.uuid4()), "Post-mortem", sequence=1)
DELETED = KnownTemplate(str(uuid.uuid4()), "Old checklist", gone=True, sequence=3)


def template_event(template_id: str, operation: str, sequence: int, name: str | None = "Onboarding") -> Any:
    state = {"id": template_id, "name": name, "version": sequence, "items": []}
    change = ObjectChanged("task_template", template_id, name or "", f"/api/v1/task-templates/{template_id}",
                           operation, sequence, state=state)
    return wrap(change, service="tasks", actor=Actor("u-1", "Eva"), correlation_id="from-tasks",
                time=datetime.now(timezone.utc))


def a_process(uow: Any, **values: Any):  # type: ignore[no-untyped-def]
    return use_cases.create_process(uow, {"name": "Renewals", "stages": [{"name": "Call"}], **values})


def test_a_process_names_known_templates_for_won_and_lost_and_the_event_shows_their_names() -> None:
    uow = deals_uow(templates=[ONBOARDING, POST_MORTEM])
    process = a_process(uow, won_task_template_id=ONBOARDING.id, lost_task_template_id=POST_MORTEM.id)
    assert (process.won_task_template_name, process.lost_task_template_name) == ("Onboarding", "Post-mortem")
    [event] = uow.events
    changes = {change.field: change.after for change in event.changes}
    assert changes["won_task_template"] == {"id": ONBOARDING.id, "name": "Onboarding"}
    assert changes["lost_task_template"] == {"id": POST_MORTEM.id, "name": "Post-mortem"}


def test_clearing_a_template_is_an_audited_change_to_nothing() -> None:
    uow = deals_uow(templates=[ONBOARDING])
    process = a_process(uow, won_task_template_id=ONBOARDING.id)
    cleared = use_cases.update_process(uow, process.id, {"won_task_template_id": None})
    assert cleared.won_task_template_id is None and cleared.won_task_template_name is None
    assert [(c.field, c.before, c.after) for c in uow.events[-1].changes] == [
        ("won_task_template", {"id": ONBOARDING.id, "name": "Onboarding"}, None)]


def test_naming_the_same_template_again_changes_nothing() -> None:
    uow = deals_uow(templates=[ONBOARDING])
    process = a_process(uow, won_task_template_id=ONBOARDING.id)
    use_cases.update_process(uow, process.id, {"won_task_template_id": ONBOARDING.id})
    assert [event.operation for event in uow.events] == ["created"]


def test_a_deleted_template_is_refused_naming_the_field() -> None:
    uow = deals_uow(templates=[DELETED])
    with pytest.raises(ValidationFailed) as failed:
        a_process(uow, lost_task_template_id=DELETED.id)
    assert list(failed.value.extra["errors"]) == ["lost_task_template_id"]
    assert "deleted" in failed.value.extra["errors"]["lost_task_template_id"][0]


def test_an_id_that_is_not_a_uuid_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as failed:
        a_process(deals_uow(), won_task_template_id="onboarding")
    assert list(failed.value.extra["errors"]) == ["won_task_template_id"]


def test_a_template_not_known_yet_is_accepted_as_pending_and_its_event_fills_in_the_name() -> None:
    uow = deals_uow()
    fresh = str(uuid.uuid4())
    process = a_process(uow, won_task_template_id=fresh)
    assert process.won_task_template_name is None and uow.task_templates.items[fresh].pending
    handle_events(uow, [template_event(fresh, "created", 1, "Welcome pack")])
    assert uow.task_templates.items[fresh] == KnownTemplate(fresh, "Welcome pack", sequence=1)
    assert [event.operation for event in uow.events] == ["created"]


def test_an_older_template_event_is_ignored() -> None:
    uow = deals_uow(templates=[ONBOARDING])
    handle_events(uow, [template_event(ONBOARDING.id, "updated", 1, "Stale name")])
    assert uow.task_templates.items[ONBOARDING.id].name == "Onboarding"


def test_deleting_a_template_drops_it_from_the_processes_naming_it_as_a_system_change() -> None:
    uow = deals_uow(templates=[ONBOARDING, POST_MORTEM])
    both = a_process(uow, won_task_template_id=ONBOARDING.id, lost_task_template_id=ONBOARDING.id)
    other = a_process(uow, name="Other", lost_task_template_id=POST_MORTEM.id)
    handle_events(uow, [template_event(ONBOARDING.id, "deleted", 2)])
    changed = uow.processes.get(both.id)
    assert (changed.won_task_template_id, changed.lost_task_template_id) == (None, None)
    assert uow.processes.get(other.id).lost_task_template_id == POST_MORTEM.id
    event = uow.events[-1]
    assert (event.object_id, event.operation, len(uow.events)) == (both.id, "updated", 3)
    assert [(c.field, c.before, c.after) for c in event.changes] == [
        ("won_task_template", {"id": ONBOARDING.id, "name": "Onboarding"}, None),
        ("lost_task_template", {"id": ONBOARDING.id, "name": "Onboarding"}, None),
    ]
    assert changed.updated_by == SYSTEM.id and uow.correlation_id == "from-tasks"
    assert uow.task_templates.items[ONBOARDING.id].gone


def test_a_deleted_template_stays_deleted_whatever_event_comes_later() -> None:
    uow = deals_uow(templates=[DELETED])
    handle_events(uow, [template_event(DELETED.id, "updated", 9, "Revived")])
    assert uow.task_templates.items[DELETED.id].gone


def test_a_template_event_naming_no_template_is_invalid() -> None:
    event = template_event("", "created", 1)
    event.data["object_id"] = None
    event.data["state"] = {}
    with pytest.raises(InvalidEvent):
        handle_events(deals_uow(), [event])


def test_a_deletion_wins_a_tie_and_a_pending_copy_takes_any_state() -> None:
    known = KnownTemplate("t", "A", sequence=4)
    assert supersedes(KnownTemplate("t", "A", gone=True, sequence=4), known)
    assert not supersedes(KnownTemplate("t", "B", sequence=4), known)
    assert supersedes(KnownTemplate("t", "B", sequence=1), KnownTemplate("t", None, pending=True))


def test_a_won_deal_event_carries_its_process_templates_and_owner_status_name_links() -> None:
    uow = deals_uow(templates=[ONBOARDING])
    process = a_process(uow, won_task_template_id=ONBOARDING.id)
    deal = deal_use_cases.create_deal(uow, {"name": "Big deal", "process_id": process.id})
    deal_use_cases.win(uow, deal.id)
    state = uow.events[-1].state
    assert (state["won_task_template_id"], state["lost_task_template_id"]) == (ONBOARDING.id, None)
    assert (state["status"], state["owner_id"], state["name"], state["links"]) == ("won", "u-1", "Big deal", [])


def test_a_deal_event_carries_the_templates_its_process_names_at_the_time_of_the_event() -> None:
    uow = deals_uow(templates=[ONBOARDING, POST_MORTEM])
    process = a_process(uow, lost_task_template_id=ONBOARDING.id)
    deal = deal_use_cases.create_deal(uow, {"name": "Big deal", "process_id": process.id})
    assert uow.events[-1].state["lost_task_template_id"] == ONBOARDING.id
    use_cases.update_process(uow, process.id, {"lost_task_template_id": POST_MORTEM.id})
    deal_use_cases.lose(uow, deal.id, "too expensive")
    assert uow.events[-1].state["lost_task_template_id"] == POST_MORTEM.id
