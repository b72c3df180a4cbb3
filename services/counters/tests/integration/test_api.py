"""The counters API over a real store: counts from events, modes, others' counters, settings, rebuild."""
from __future__ import annotations

from datetime import timedelta

from crm_shared.types import utcnow

from ..unit.builders import comment_event, entry_event, record_event, task_event
from .conftest import AS_ADMIN, AS_ANN, AS_BOB, AS_CID, Api


def deal(deal_id: str) -> list[dict[str, str]]:
    return [{"type": "deal", "id": deal_id, "name": f"Deal {deal_id}"}]


def test_three_deals_with_two_overdue_tasks_each_count_six_for_their_owner(api: Api) -> None:
    ago = utcnow() - timedelta(hours=2)
    for number in range(3):
        api.feed(record_event("deal", f"d{number}", "ann"),
                 task_event(f"t{number}a", responsible="cid", due=ago, links=deal(f"d{number}")),
                 task_event(f"t{number}b", responsible="cid", due=ago, links=deal(f"d{number}")))
    api.feed(task_event("soon", responsible="ann", due=utcnow() + timedelta(minutes=10)),
             task_event("later", responsible="ann", due=utcnow() + timedelta(days=2)))
    mine = api.ok("GET", "/counters/me")
    assert (mine["user_id"], mine["planned"], mine["mode"], mine["window_minutes"]) == ("ann", 7, "record", 15)
    assert mine["breakdown"]["planned"] | {"by_record_type": None} == {"overdue": 6, "due_soon": 1,
                                                                       "by_record_type": None}
    records = api.ok("GET", "/counters/me/records")
    assert [(r["record"]["id"], r["planned"]) for r in records["items"]] == [("d0", 2), ("d1", 2), ("d2", 2)]
    assert records["unlinked"] == {"planned": 1, "incoming": 0}
    assert api.ok("GET", "/counters/me", headers=AS_CID)["planned"] == 0
    api.ok("PATCH", "/counters/settings", headers=AS_ADMIN, json={"mode": "activity"})
    assert (api.ok("GET", "/counters/me")["planned"], api.ok("GET", "/counters/me", headers=AS_CID)["planned"]) == (1, 6)


def test_incoming_missed_calls_and_comments_drop_when_processed_or_answered(api: Api) -> None:
    api.feed(record_event("person", "p1", "ann"), entry_event("e1", contact=("person", "p1")),
             task_event("t1", responsible="ann"), comment_event("t1", "c1", "bob", utcnow()))
    mine = api.ok("GET", "/counters/me")
    assert mine["incoming"] == 2
    assert {k: v for k, v in mine["breakdown"]["incoming"]["by_category"].items() if v} == {"missed_call": 1,
                                                                                            "comment": 1}
    api.feed(entry_event("e1", "processed", 2, processed=True),
             comment_event("t1", "c2", "ann", utcnow() + timedelta(seconds=1)))
    assert api.ok("GET", "/counters/me")["incoming"] == 0


def test_a_manager_reads_a_team_member_s_counters_and_an_outsider_gets_404(api: Api) -> None:
    api.feed(task_event("t1", responsible="ann", due=utcnow()))
    assert api.ok("GET", "/counters/users/ann", headers=AS_BOB)["planned"] == 1
    assert api.ok("GET", "/counters/users/ann", headers=AS_ADMIN)["planned"] == 1
    outsider = api.call("GET", "/counters/users/ann", headers=AS_CID)
    unknown = api.call("GET", "/counters/users/nobody", headers=AS_ADMIN)
    assert outsider.status_code == unknown.status_code == 404
    assert outsider.headers["Content-Type"] == "application/problem+json"
    assert [c["user_id"] for c in api.ok("GET", "/counters/team", headers=AS_BOB)["items"]] == ["bob", "ann"]
    assert [c["user_id"] for c in api.ok("GET", "/counters/team", headers=AS_ADMIN)["items"]] == [
        "ada", "ann", "bob", "cid"]


def test_settings_are_changed_by_an_admin_for_everyone_and_by_a_user_for_themselves(api: Api) -> None:
    assert api.call("PATCH", "/counters/settings", json={"window_minutes": 5}).status_code == 403
    assert api.ok("PATCH", "/counters/settings", headers=AS_ADMIN, json={"window_minutes": 30}) == {
        "window_minutes": 30, "mode": "record"}
    mine = api.ok("PATCH", "/counters/settings/me", json={"window_minutes": 120})
    assert (mine["window_minutes"], mine["global"], mine["own"]) == (
        120, {"window_minutes": 30, "mode": "record"}, {"window_minutes": 120, "mode": None})
    assert api.ok("GET", "/counters/settings", headers=AS_CID)["window_minutes"] == 30
    assert [e["type"] for e in api.events()] == ["crm.counter_settings.created"] * 2


def test_hostile_settings_are_refused_with_a_problem_naming_the_field_and_change_nothing(api: Api) -> None:
    for body in ({"window_minutes": "15"}, {"window_minutes": 1.5}, {"window_minutes": -1},
                 {"window_minutes": 10**12}, {"mode": "records"}, {"colour": "red"}, {"window_minutes": None}):
        response = api.call("PATCH", "/counters/settings", headers=AS_ADMIN, json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert response.headers["Content-Type"] == "application/problem+json"
    assert api.call("GET", "/counters/users/" + "x" * 65, headers=AS_ADMIN).status_code == 404
    assert api.events() == []


def test_rebuild_and_reconcile_are_for_admins_and_agree_with_the_consumer(api: Api) -> None:
    api.feed(record_event("person", "p1", "bob"), entry_event("e1"), task_event("t1", due=utcnow()))
    assert api.call("POST", "/counters/rebuild").status_code == 403
    assert api.call("GET", "/counters/reconcile").status_code == 403
    assert api.ok("GET", "/counters/reconcile", headers=AS_ADMIN) == {"checked": 2, "users": 2, "mismatches": []}
    assert api.ok("POST", "/counters/rebuild", headers=AS_ADMIN) == {"items": 2, "corrected": 0}
    assert api.events()[-1]["type"] == "crm.counters.rebuilt"


def test_a_stream_ticket_is_issued_to_the_caller(api: Api) -> None:
    issued = api.ok("POST", "/counters/stream-ticket", 201, headers=AS_ANN)
    assert issued["stream"] == f"/api/v1/counters/stream?ticket={issued['ticket']}"
