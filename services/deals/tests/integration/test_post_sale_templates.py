"""Post-sale task templates of processes on SQLite and PostgreSQL: the API, the copy of templates, deal events."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged

from .test_api import ADMIN, MANAGER, Api, api, changes_of  # noqa: F401  (api is a fixture)
from .test_contact_events import handle


def template_event(template_id: str, operation: str, sequence: int, name: str | None = "Onboarding",
                   **state: Any) -> CloudEvent:
    """Return a crm.task_template.<operation> event as the tasks service publishes it."""
    change = ObjectChanged("task_template", template_id, name or "", f"/api/v1/task-templates/{template_id}",
                           operation, sequence, state={"id": template_id, "name": name, "version": sequence,
                                                       "items": [], **state})
    return wrap(change, service="tasks", actor=Actor("u", "U"), correlation_id="from-tasks",
                time=datetime.now(timezone.utc))


def known_template(api: Api, name: str = "Onboarding") -> str:
    template_id = str(uuid.uuid4())
    handle(api.engine, template_event(template_id, "created", 1, name))
    return template_id


def copy_of(api: Api, template_id: str) -> dict[str, Any] | None:
    with api.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT name, pending, gone, sequence FROM task_templates WHERE id = :id"),
                                 {"id": template_id}).mappings().first()
    return {key: (bool(value) if key in ("pending", "gone") else value) for key, value in row.items()} if row else None


def new_process(api: Api, **values: Any) -> dict[str, Any]:
    return api.ok("POST", "/processes", 201, headers=MANAGER,
                  json={"name": f"P {uuid.uuid4()}", "stages": [{"name": "Call"}], **values})


def test_a_process_names_templates_for_won_and_lost_shown_with_their_names_in_reads_and_lists(api: Api) -> None:
    won, lost = known_template(api, "Onboarding"), known_template(api, "Post-mortem")
    process = new_process(api, won_task_template_id=won, lost_task_template_id=lost)
    expected = {"won_task_template_id": won, "won_task_template_name": "Onboarding",
                "lost_task_template_id": lost, "lost_task_template_name": "Post-mortem"}
    assert {key: process[key] for key in expected} == expected
    read = api.ok("GET", f"/processes/{process['id']}")
    assert {key: read[key] for key in expected} == expected
    listed = next(p for p in api.ok("GET", "/processes")["items"] if p["id"] == process["id"])
    assert {key: listed[key] for key in expected} == expected
    [event] = api.events()
    assert event["type"] == "crm.process.created"
    assert ("won_task_template", None, {"id": won, "name": "Onboarding"}) in changes_of(event)
    assert ("lost_task_template", None, {"id": lost, "name": "Post-mortem"}) in changes_of(event)


def test_patching_sets_changes_and_null_clears_a_template_each_an_audited_change(api: Api) -> None:
    first, second = known_template(api, "First"), known_template(api, "Second")
    process = api.default_process()
    path = f"/processes/{process['id']}"
    assert api.ok("PATCH", path, headers=ADMIN, json={"won_task_template_id": first})["won_task_template_name"] == "First"
    api.ok("PATCH", path, headers=ADMIN, json={"won_task_template_id": second})
    cleared = api.ok("PATCH", path, headers=ADMIN, json={"won_task_template_id": None})
    assert (cleared["won_task_template_id"], cleared["won_task_template_name"]) == (None, None)
    assert api.ok("GET", path)["won_task_template_id"] is None
    assert [changes_of(event) for event in api.events()] == [
        [("won_task_template", None, {"id": first, "name": "First"})],
        [("won_task_template", {"id": first, "name": "First"}, {"id": second, "name": "Second"})],
        [("won_task_template", {"id": second, "name": "Second"}, None)],
    ]


def test_an_id_that_is_no_uuid_is_a_422_naming_the_field(api: Api) -> None:
    response = api.call("PATCH", f"/processes/{api.default_process()['id']}", headers=ADMIN,
                        json={"lost_task_template_id": "onboarding"})
    assert response.status_code == 422
    assert "lost_task_template_id" in response.get_json()["errors"]
    assert api.events() == []


def test_a_deleted_template_is_a_422_naming_the_field_and_writes_nothing(api: Api) -> None:
    gone = known_template(api, "Old checklist")
    handle(api.engine, template_event(gone, "deleted", 2, "Old checklist"))
    response = api.call("POST", "/processes", headers=MANAGER,
                        json={"name": "Renewals", "won_task_template_id": gone})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["won_task_template_id"]
    assert "Old checklist" in response.get_json()["errors"]["won_task_template_id"][0]
    assert api.events() == []


def test_a_template_not_known_yet_is_accepted_as_pending_and_its_event_fills_in_the_name(api: Api) -> None:
    fresh = str(uuid.uuid4())
    process = new_process(api, won_task_template_id=fresh)
    assert (process["won_task_template_id"], process["won_task_template_name"]) == (fresh, None)
    assert copy_of(api, fresh) == {"name": None, "pending": True, "gone": False, "sequence": 0}
    handle(api.engine, template_event(fresh, "created", 1, "Welcome pack"))
    assert api.ok("GET", f"/processes/{process['id']}")["won_task_template_name"] == "Welcome pack"
    assert copy_of(api, fresh) == {"name": "Welcome pack", "pending": False, "gone": False, "sequence": 1}


def test_template_events_keep_the_copy_and_older_ones_are_ignored(api: Api) -> None:
    template = str(uuid.uuid4())
    handle(api.engine, template_event(template, "created", 1, "Draft"),
           template_event(template, "updated", 3, "Final"),
           template_event(template, "updated", 2, "Stale"))
    assert copy_of(api, template) == {"name": "Final", "pending": False, "gone": False, "sequence": 3}
    handle(api.engine, template_event(template, "deleted", 3, "Final"))
    handle(api.engine, template_event(template, "updated", 4, "Revived"))
    assert copy_of(api, template) == {"name": "Final", "pending": False, "gone": True, "sequence": 3}


def test_a_tolerant_reader_takes_the_id_and_name_from_whatever_the_event_carries(api: Api) -> None:
    template = str(uuid.uuid4())
    event = template_event(template, "created", 1, "From the name", extra_field={"ignored": True})
    data = {key: value for key, value in event.data.items() if key not in ("object_id", "changes")}
    handle(api.engine, CloudEvent(**{**event.__dict__, "data": data}))
    assert copy_of(api, template)["name"] == "From the name"  # type: ignore[index]


def test_deleting_a_template_drops_it_from_the_processes_naming_it_as_an_audited_system_change(api: Api) -> None:
    template, other = known_template(api, "Onboarding"), known_template(api, "Other")
    both = new_process(api, won_task_template_id=template, lost_task_template_id=template)
    keeps = new_process(api, won_task_template_id=other)
    handle(api.engine, template_event(template, "deleted", 2, "Onboarding"))
    read = api.ok("GET", f"/processes/{both['id']}")
    assert (read["won_task_template_id"], read["lost_task_template_id"], read["updated_by"]) == (None, None, "system")
    assert api.ok("GET", f"/processes/{keeps['id']}")["won_task_template_id"] == other
    event = api.events()[-1]
    assert (event["type"], event["subject"], event["actorid"]) == ("crm.process.updated", both["id"], "system")
    assert event["correlationid"] == "from-tasks"
    assert changes_of(event) == [("won_task_template", {"id": template, "name": "Onboarding"}, None),
                                 ("lost_task_template", {"id": template, "name": "Onboarding"}, None)]
    assert len(api.events()) == 3


def test_every_deal_event_carries_its_process_templates_owner_status_name_and_links(api: Api) -> None:
    won, lost = known_template(api, "Onboarding"), known_template(api, "Post-mortem")
    process = new_process(api, won_task_template_id=won, lost_task_template_id=lost)
    person = str(uuid.uuid4())
    deal = api.ok("POST", "/deals", 201, json={"name": "Licence", "process_id": process["id"],
                                                "links": [{"type": "person", "id": person}]})
    api.ok("POST", f"/deals/{deal['id']}/won")
    api.ok("POST", f"/deals/{deal['id']}/reopen", json={})
    api.ok("PATCH", f"/processes/{process['id']}", headers=MANAGER, json={"lost_task_template_id": None})
    api.ok("POST", f"/deals/{deal['id']}/lost", json={"reason": "No budget"})
    plain = api.ok("POST", "/deals", 201, json={"name": "Plain"})
    assert api.call("DELETE", f"/deals/{plain['id']}").status_code == 204
    states = [(e["type"], e["data"]["state"]) for e in api.events() if e["type"].startswith("crm.deal.")]
    assert [(kind, s["status"], s["won_task_template_id"], s["lost_task_template_id"]) for kind, s in states] == [
        ("crm.deal.created", "open", won, lost),
        ("crm.deal.updated", "won", won, lost),
        ("crm.deal.updated", "open", won, lost),
        ("crm.deal.updated", "lost", won, None),
        ("crm.deal.created", "open", None, None),
        ("crm.deal.deleted", "open", None, None),
    ]
    for _, state in states[:4]:
        assert (state["name"], state["owner_id"]) == ("Licence", deal["owner_id"])
        assert state["links"] == [{"type": "person", "id": person, "name": None}]
