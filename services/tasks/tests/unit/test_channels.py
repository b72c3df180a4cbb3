"""The channel of the tasks' changes the consumer makes: automation for the user who caused them."""
from __future__ import annotations

import uuid
from typing import Any

from crm_shared.copies import KnownRecord
from crm_shared.envelope import AUTOMATION, SYSTEM, Actor, CloudEvent
from crm_shared.testing.fakes import InMemoryCopies

from crm_tasks.domain.task_types import TaskType
from crm_tasks.domain.templates import new_template
from crm_tasks.service_layer import tasks
from crm_tasks.service_layer.record_events import handle_events

from .conftest import NOW
from .tasks_fakes import tasks_uow

TYPES = [TaskType("email", 1, "Email")]
EVA = Actor("eva", "Eva Seller")


def event(event_type: str, object_id: str, sequence: int, state: dict[str, Any], **data: Any) -> CloudEvent:
    kind, operation = event_type.split(".")[1:]
    return CloudEvent(id=str(uuid.uuid4()), source="/crm/test", type=event_type, subject=object_id, time=NOW,
                      actorid=EVA.id, actorname=EVA.name, correlationid="req-1", sequence=sequence,
                      data={"object_type": kind, "object_id": object_id, "operation": operation,
                            "state": {"id": object_id, **state}, **data})


def test_post_sale_tasks_are_created_by_an_automation_acting_for_the_user_who_won_the_deal() -> None:
    uow = tasks_uow("system", "system", "admin", types=TYPES)
    uow.templates.add(new_template({"name": "After", "items": [{"title": "Thank", "type_id": "email", "delay_days": 1}]},
                                   id="tpl", known_type_ids={"email"}, actor_id="admin", now=NOW))
    handle_events(uow, [event("crm.deal.won", "d1", 3, {"name": "Big deal", "owner_id": "ann",
                                                         "won_task_template_id": "tpl"})])
    assert [(e.operation, actor) for e, actor in uow.emitted] == [("created", EVA.via(AUTOMATION))]


def test_a_merge_moves_links_as_an_automation_and_a_deletion_drops_them_as_the_system() -> None:
    records = InMemoryCopies(KnownRecord("p-old", "person", "Jana D.", owner_id="ann", sequence=1),
                             KnownRecord("p-new", "person", "Jana", owner_id="ann", sequence=1),
                             KnownRecord("p-gone", "person", "Petr", owner_id="ann", sequence=1))
    uow = tasks_uow(types=TYPES, records=records)
    for record_id in ("p-old", "p-gone"):
        tasks.create_task(uow, {"title": "Call", "type_id": "email", "links": [{"type": "person", "id": record_id}]})
    uow.actor = SYSTEM  # as the consumer's unit of work
    handle_events(uow, [event("crm.person.merged", "p-new", 2, {"name": "Jana", "owner_id": "ann"},
                              merged_from=["p-old"]),
                        event("crm.person.deleted", "p-gone", 2, {"name": "Petr", "owner_id": "ann"})])
    moved, dropped = [actor for _, actor in uow.emitted[2:]]
    assert (moved, dropped.channel) == (EVA.via(AUTOMATION), "system")
