"""The tasks use cases on the fake unit of work: what they write, what they emit, what they refuse."""
from __future__ import annotations

from datetime import timedelta

import pytest

from crm_shared.copies import KnownRecord
from crm_shared.envelope import Actor, wrap
from crm_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_shared.events import ObjectChanged
from crm_shared.rules import RuleBroken

from crm_tasks.domain.sharing import Share
from crm_tasks.domain.task_types import SuggestNext, TaskType
from crm_tasks.domain.templates import new_template
from crm_tasks.service_layer import collaboration, tasks
from crm_tasks.service_layer.record_events import _post_sale, handle_events

from .conftest import NOW
from .tasks_fakes import InMemoryCopies, InMemoryShares, as_user, tasks_uow

TYPES = [TaskType("email", 1, "Email", SuggestNext("call", "Call back", 120)), TaskType("call", 1, "Call")]


def test_creating_a_task_stores_it_and_emits_its_created_event_on_commit() -> None:
    uow = tasks_uow(types=TYPES)
    task = tasks.create_task(uow, {"title": "Send the offer", "type_id": "email"})
    assert uow.tasks.get(task.id) == task and task.responsible_id == "ann"
    assert [(e.event_type, e.object_id) for e in uow.events] == [("crm.task.created", task.id)]
    assert uow.users.name("ann") == "Ann Author"


def test_a_refused_task_emits_nothing_and_stores_nothing() -> None:
    uow = tasks_uow(types=TYPES)
    with pytest.raises(RuleBroken) as refused:
        tasks.create_task(uow, {"title": "x", "type_id": "unknown"})
    assert list(refused.value.errors) == ["type_id"]
    assert uow.events == [] and uow.tasks.items == {}


def test_completing_answers_the_type_s_suggestion_and_accepting_it_keeps_the_links() -> None:
    uow = tasks_uow(types=TYPES, records=InMemoryCopies(KnownRecord("p1", "person", "Jana", owner_id="ann", sequence=1)))
    task = tasks.create_task(uow, {"title": "Mail", "type_id": "email", "links": [{"type": "person", "id": "p1"}]})
    done, suggestion = tasks.complete_task(uow, task.id)
    assert suggestion is not None and suggestion.due == done.done_at + timedelta(minutes=120)
    created = tasks.accept_suggestion(uow, task.id, {})
    assert (created.type_id, created.title, created.schedule.due) == ("call", "Call back", suggestion.due)
    assert [link.key for link in created.links] == [("person", "p1")]
    with pytest.raises(Conflict):
        tasks.accept_suggestion(uow, created.id, {})


def test_a_read_share_reads_but_does_not_change_and_no_share_is_missing() -> None:
    uow = tasks_uow(types=TYPES)
    task = tasks.create_task(uow, {"title": "Mail", "type_id": "email"})
    as_user(uow, "cid")
    with pytest.raises(NotFound):
        tasks.get_task(uow, task.id)
    uow.shares = InMemoryShares(Share("ann", "cid", "read"))
    assert tasks.get_task(uow, task.id)[1] == "read"
    count = len(uow.events)
    with pytest.raises(Forbidden):
        tasks.update_task(uow, task.id, {"title": "x"})
    with pytest.raises(Forbidden):
        collaboration.add_comment(uow, task.id, "hi")
    assert len(uow.events) == count


def test_a_link_to_an_invisible_record_is_refused_exactly_like_one_to_an_unknown_id() -> None:
    records = InMemoryCopies(KnownRecord("p1", "person", "Jana", owner_id="bob", sequence=1),
                              KnownRecord("p2", "person", "Gone", owner_id="bob", gone=True, sequence=2))
    uow = tasks_uow(types=TYPES, records=records)
    errors = []
    for record_id in ("p1", "p2", "never-heard-of"):
        with pytest.raises(ValidationFailed) as refused:
            tasks.create_task(uow, {"title": "x", "type_id": "email", "links": [{"type": "person", "id": record_id}]})
        errors.append(refused.value.extra["errors"])
    assert errors[0] == errors[1] == errors[2] == {"links.0.id": ["No person with this id."]}
    assert uow.events == [] and uow.tasks.items == {}


def test_a_task_without_a_type_gets_the_first_type_in_the_list() -> None:
    uow = tasks_uow(types=TYPES)
    task = tasks.create_task(uow, {"title": "Just a title"})
    assert (task.type_id, task.type_name) == ("email", "Email")


def test_a_post_sale_template_applies_once_per_close_to_the_deal_by_the_system() -> None:
    template = new_template({"name": "After", "items": [{"title": "Thank", "type_id": "email", "delay_days": 1}]},
                            id="tpl", known_type_ids={"email"}, actor_id="admin", now=NOW)
    uow = tasks_uow("system", "system", "admin", types=TYPES)
    uow.templates.add(template)
    deal = KnownRecord("d1", "deal", "Big deal", owner_id="ann", sequence=3)
    uow.records.apply(deal, NOW)

    class Close:
        sequence = 3
        data = {"state": {"won_task_template_id": "tpl"}}

    for _ in range(2):
        with uow:
            _post_sale(uow, Close(), deal, "won")  # type: ignore[arg-type]
            uow.commit()
    created = list(uow.tasks.items.values())
    assert [(t.title, t.responsible_id, t.created_by) for t in created] == [("Thank", "ann", "system")]
    assert [link.key for link in created[0].links] == [("deal", "d1")]


def test_an_anonymized_person_s_name_leaves_the_tasks_linking_it_and_their_published_events_go() -> None:
    uow = tasks_uow(types=TYPES, records=InMemoryCopies(KnownRecord("p1", "person", "Jana Nováková", owner_id="ann",
                                                                     sequence=1)))
    task = tasks.create_task(uow, {"title": "Call", "type_id": "call", "links": [{"type": "person", "id": "p1"}]})
    erased = ObjectChanged("person", "p1", "Anonymized person", "/api/v1/persons/p1", "anonymized", 2,
                           state={"id": "p1", "name": "Anonymized person", "owner_id": "ann"})
    handle_events(uow, [wrap(erased, service="contacts", actor=Actor("u-1", "Eva"), correlation_id="c", time=NOW)])

    stored = uow.tasks.get(task.id)
    assert [link.name for link in stored.links] == ["Anonymized person"]
    assert stored.version == task.version  # a new name is no change of the task: no event
    assert [event.operation for event in uow.events] == ["created"] and uow.erased == ["p1"]
