"""Others' counters (CNT-3), the settings, stream tickets, rebuild and reconciliation (CNT-6)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from crm_shared.errors import Forbidden, NotFound
from crm_shared.rules import RuleBroken
from crm_shared.testing.fakes import FakeUnitOfWork
from crm_shared.visibility import Seer

from crm_counters.domain.items import Item
from crm_counters.service_layer import rebuild, settings, tickets
from crm_counters.service_layer.counting import counts_of, read_counts, read_team

from .builders import NOW, comment_event, entry_event, record_event, task_event
from .conftest import Feed

ANN = Seer("ann")
BOB = Seer("bob", role="manager", team=("ann",))
CID = Seer("cid")
ADA = Seer("ada", role="admin")


@pytest.fixture
def with_tasks(feed: Feed) -> None:
    feed(task_event("t1", responsible="ann", due=NOW - timedelta(hours=1)),
         task_event("t2", responsible="cid", due=NOW - timedelta(hours=1)))


def test_a_manager_reads_a_team_member_s_counters_and_an_outsider_gets_404(uow: FakeUnitOfWork,
                                                                          with_tasks: None) -> None:
    uow.viewer = BOB
    assert read_counts(uow, "ann", NOW)["planned"] == 1
    uow.viewer = CID
    with pytest.raises(NotFound):
        read_counts(uow, "ann", NOW)
    uow.viewer = BOB
    with pytest.raises(NotFound):
        read_counts(uow, "cid", NOW)
    uow.viewer = ADA
    assert read_counts(uow, "cid", NOW)["planned"] == 1


def test_the_team_view_lists_the_caller_and_their_team_or_everyone_for_an_admin(uow: FakeUnitOfWork,
                                                                               with_tasks: None) -> None:
    uow.viewer = BOB
    assert [c["user_id"] for c in read_team(uow, ["ignored"], NOW)] == ["bob", "ann"]
    uow.viewer = CID
    assert [c["user_id"] for c in read_team(uow, ["ann"], NOW)] == ["cid"]
    uow.viewer = ADA
    assert [c["user_id"] for c in read_team(uow, ["ann", "cid", "ada"], NOW)] == ["ada", "ann", "cid"]


def test_an_admin_changes_everyone_s_window_and_a_user_their_own_each_an_event(uow: FakeUnitOfWork) -> None:
    uow.viewer = ADA
    assert settings.change_global(uow, {"window_minutes": 30, "mode": "activity"}, NOW) == {
        "window_minutes": 30, "mode": "activity"}
    uow.viewer = ANN
    with pytest.raises(Forbidden):
        settings.change_global(uow, {"window_minutes": 5}, NOW)
    mine = settings.change_own(uow, {"window_minutes": 60}, NOW)
    assert (mine["window_minutes"], mine["mode"], mine["own"]) == (60, "activity", {"window_minutes": 60, "mode": None})
    assert counts_of(uow, "ann", NOW).as_dict()["window_minutes"] == 60
    assert counts_of(uow, "cid", NOW).as_dict()["window_minutes"] == 30
    assert [(e.object_type, e.object_id, e.operation) for e in uow.events] == [
        ("counter_settings", "*", "created"), ("counter_settings", "ann", "created")]
    assert settings.change_own(uow, {"window_minutes": None}, NOW)["window_minutes"] == 30
    assert uow.events[-1].changes[0].as_dict() == {"field": "window_minutes", "before": 60, "after": None}
    assert set(uow.marks.versions) == {"*", "ann"}


def test_bad_settings_are_refused_naming_the_field_and_change_nothing(uow: FakeUnitOfWork) -> None:
    uow.viewer = ADA
    with pytest.raises(RuleBroken) as refused:
        settings.change_global(uow, {"window_minutes": -1, "mode": "records"}, NOW)
    assert set(refused.value.errors) == {"window_minutes", "mode"}
    with pytest.raises(RuleBroken):
        settings.change_global(uow, {"window_minutes": None}, NOW)
    assert uow.events == [] and uow.settings.scopes == {}


def test_a_stream_ticket_opens_one_stream_once_within_a_minute(uow: FakeUnitOfWork) -> None:
    uow.viewer = BOB
    issued = tickets.issue_ticket(uow, NOW)
    assert issued["stream"].endswith(issued["ticket"])
    assert tickets.take_ticket(uow, issued["ticket"], NOW)["team"] == ["ann"]
    assert tickets.take_ticket(uow, issued["ticket"], NOW) is None
    late = tickets.issue_ticket(uow, NOW)
    assert tickets.take_ticket(uow, late["ticket"], NOW + timedelta(seconds=61)) is None
    assert tickets.take_ticket(uow, "x" * 500, NOW) is None
    assert not any(issued["ticket"] in str(key) for key in uow.tickets.tickets)  # only its hash is kept


def test_reconcile_lists_every_stored_item_that_differs_and_rebuild_repairs_it(uow: FakeUnitOfWork,
                                                                              feed: Feed) -> None:
    feed(record_event("person", "p1", "ann"), task_event("t1", due=NOW), entry_event("e1"),
         comment_event("t1", "c1", "bob", NOW))
    uow.viewer = ADA
    assert rebuild.reconcile(uow, NOW) == {"checked": 3, "users": 1, "mismatches": []}
    uow.items.items.pop("interaction:e1")
    uow.items.items["task:ghost"] = Item("task:ghost", "planned", None, NOW, None, "cid", "cid")
    found = rebuild.reconcile(uow, NOW)["mismatches"]
    assert [(m["kind"], m.get("key") or m.get("user_id")) for m in found] == [
        ("item", "interaction:e1"), ("item", "task:ghost"), ("user", "ann"), ("user", "cid")]
    assert rebuild.rebuild(uow, NOW) == {"items": 3, "corrected": 2}
    assert rebuild.reconcile(uow, NOW)["mismatches"] == []
    assert uow.events[-1].event_type == "crm.counters.rebuilt"
    uow.viewer = ANN
    with pytest.raises(Forbidden):
        rebuild.rebuild(uow, NOW)
