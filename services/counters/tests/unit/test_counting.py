"""Planned and Incoming, per user, in both modes, from task, interaction and record events (CNT-1, 2, 4, 7)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm_shared.envelope import InvalidEvent
from crm_shared.testing.fakes import FakeUnitOfWork

from crm_counters.domain.settings import ACTIVITY, GLOBAL, CounterSettings
from crm_counters.service_layer.counting import counts_of, read_records

from .builders import NOW, comment_event, entry_event, record_event, task_event
from .conftest import Feed

AGO = NOW - timedelta(hours=1)


def counts(uow: FakeUnitOfWork, user: str, at: datetime = NOW) -> dict:
    return counts_of(uow, user, at).as_dict()


def deal(deal_id: str) -> list[dict[str, str]]:
    return [{"type": "deal", "id": deal_id, "name": f"Deal {deal_id}"}]


def test_three_deals_owned_by_a_user_with_two_overdue_tasks_each_count_six(uow: FakeUnitOfWork, feed: Feed) -> None:
    for number in range(3):
        feed(record_event("deal", f"d{number}", "ann"))
        feed(task_event(f"t{number}a", responsible="bob", due=AGO, links=deal(f"d{number}")),
             task_event(f"t{number}b", responsible="bob", due=AGO, links=deal(f"d{number}")))
    ann = counts(uow, "ann")
    assert (ann["planned"], ann["breakdown"]["planned"]["overdue"]) == (6, 6)
    assert ann["breakdown"]["planned"]["by_record_type"]["deal"] == 6
    assert counts(uow, "bob")["planned"] == 0


def test_activity_mode_counts_the_same_tasks_for_their_own_responsible_user(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("deal", "d1", "ann"), task_event("t1", responsible="bob", due=AGO, links=deal("d1")),
         task_event("t2", responsible="ann", due=AGO))
    assert (counts(uow, "ann")["planned"], counts(uow, "bob")["planned"]) == (2, 0)
    uow.settings.save(CounterSettings(GLOBAL, mode=ACTIVITY, version=1))
    assert (counts(uow, "ann")["planned"], counts(uow, "bob")["planned"]) == (1, 1)
    assert counts(uow, "ann")["mode"] == "activity"


def test_an_unlinked_task_or_one_whose_record_is_unknown_counts_for_its_responsible_user(
        uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(task_event("t1", responsible="bob", due=AGO), task_event("t2", responsible="bob", due=AGO, links=deal("d9")))
    assert counts(uow, "bob")["planned"] == 2
    assert counts(uow, "bob")["breakdown"]["planned"]["by_record_type"] == {"deal": 1, "person": 0, "company": 0,
                                                                            "none": 1}
    feed(record_event("deal", "d9", "ann"))
    assert (counts(uow, "ann")["planned"], counts(uow, "bob")["planned"]) == (1, 1)


def test_a_task_due_within_the_window_counts_and_one_due_in_two_days_does_not(uow: FakeUnitOfWork,
                                                                              feed: Feed) -> None:
    feed(task_event("soon", due=NOW + timedelta(minutes=10)), task_event("later", due=NOW + timedelta(days=2)),
         task_event("inbox"))
    ann = counts(uow, "ann")
    assert (ann["planned"], ann["breakdown"]["planned"]["due_soon"], ann["window_minutes"]) == (1, 1, 15)


def test_a_task_just_past_the_window_starts_counting_when_the_window_reaches_it(uow: FakeUnitOfWork,
                                                                               feed: Feed) -> None:
    due = NOW + timedelta(minutes=15, seconds=30)
    feed(task_event("t1", due=due))
    before = counts_of(uow, "ann", NOW)
    assert before.as_dict()["planned"] == 0 and before.next_change == due - timedelta(minutes=15)
    entered = counts_of(uow, "ann", before.next_change)
    assert entered.as_dict()["planned"] == 1 and entered.next_change == due
    overdue = counts_of(uow, "ann", due).as_dict()
    assert (overdue["planned"], overdue["breakdown"]["planned"]["overdue"]) == (1, 1)


def test_completing_deleting_or_moving_a_task_changes_the_count(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(*(task_event(t, due=AGO) for t in ("done", "gone", "moved")))
    assert counts(uow, "ann")["planned"] == 3
    feed(task_event("done", "completed", 2, due=AGO, done=True))
    feed(task_event("gone", "deleted", 1, due=AGO))
    feed(task_event("moved", "updated", 2, due=NOW + timedelta(days=3)))
    assert counts(uow, "ann")["planned"] == 0
    feed(task_event("done", "reopened", 3, due=AGO))
    assert counts(uow, "ann")["planned"] == 1


def test_a_timed_task_counts_by_its_start(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(task_event("meeting", start=NOW + timedelta(minutes=5)))
    assert counts(uow, "ann")["breakdown"]["planned"]["due_soon"] == 1


def test_a_missed_call_on_the_user_s_person_counts_as_incoming_until_processed(uow: FakeUnitOfWork,
                                                                             feed: Feed) -> None:
    feed(record_event("person", "p1", "ann"), entry_event("e1"), entry_event("e2", kind="email", user="bob"))
    ann = counts(uow, "ann")
    assert ann["incoming"] == 2
    assert {k: v for k, v in ann["breakdown"]["incoming"]["by_category"].items() if v} == {"missed_call": 1, "email": 1}
    feed(entry_event("e1", "processed", 2, processed=True))
    assert counts(uow, "ann")["incoming"] == 1
    uow.settings.save(CounterSettings(GLOBAL, mode=ACTIVITY, version=1))
    assert (counts(uow, "ann")["incoming"], counts(uow, "bob")["incoming"]) == (0, 1)


def test_entries_that_are_not_unprocessed_inbound_ones_never_count(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("person", "p1", "ann"), entry_event("manual", source="manual", kind=None, user="ann"),
         entry_event("canceled", canceled=True), entry_event("deleted", "deleted"),
         entry_event("odd", kind="pigeon"))
    assert counts(uow, "ann")["incoming"] == 0


def test_a_comment_by_someone_else_counts_for_the_responsible_user_until_they_answer_it(
        uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(task_event("t1", responsible="ann"))
    feed(comment_event("t1", "c1", "bob", NOW - timedelta(minutes=3)),
         comment_event("t1", "c2", "cid", NOW - timedelta(minutes=2)))
    ann = counts(uow, "ann")
    assert (ann["incoming"], ann["breakdown"]["incoming"]["by_category"]["comment"]) == (2, 2)
    assert counts(uow, "bob")["incoming"] == 0  # nobody counts their own comment, nor one on another's task
    feed(comment_event("t1", "c3", "ann", NOW - timedelta(minutes=1)))
    assert counts(uow, "ann")["incoming"] == 0
    feed(comment_event("t1", "c4", "bob", NOW))
    assert counts(uow, "ann")["incoming"] == 1
    feed(task_event("t1", "completed", 2, responsible="ann", done=True))
    assert counts(uow, "ann")["incoming"] == 0


def test_a_comment_on_a_task_of_someone_else_s_record_counts_for_the_record_owner_in_record_mode(
        uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("deal", "d1", "ann"), task_event("t1", responsible="bob", links=deal("d1")),
         comment_event("t1", "c1", "cid", NOW, responsible="bob", links=deal("d1")))
    assert (counts(uow, "ann")["incoming"], counts(uow, "bob")["incoming"]) == (1, 0)
    uow.settings.save(CounterSettings(GLOBAL, mode=ACTIVITY, version=1))
    assert (counts(uow, "ann")["incoming"], counts(uow, "bob")["incoming"]) == (0, 1)


def test_an_owner_change_moves_the_record_s_activities_to_the_new_owner(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("company", "c1", "ann"),
         task_event("t1", responsible="cid", due=AGO, links=[{"type": "company", "id": "c1"}]),
         entry_event("e1", contact=("company", "c1")))
    assert (counts(uow, "ann")["planned"], counts(uow, "ann")["incoming"]) == (1, 1)
    feed(record_event("company", "c1", "bob", "updated", 2, name="Acme a.s."))
    assert (counts(uow, "ann")["planned"], counts(uow, "bob")["planned"], counts(uow, "bob")["incoming"]) == (0, 1, 1)
    assert counts(uow, "bob")["breakdown"]["incoming"]["by_record_type"]["company"] == 1


def test_older_and_repeated_events_change_nothing(uow: FakeUnitOfWork, feed: Feed) -> None:
    newest = task_event("t1", "updated", 3, due=AGO)
    feed(newest, task_event("t1", "updated", 2, due=NOW + timedelta(days=1)), task_event("t1", "created", 1), newest)
    assert counts(uow, "ann")["planned"] == 1
    feed(task_event("t1", "deleted", 3, due=AGO), task_event("t1", "updated", 3, due=AGO))
    assert counts(uow, "ann")["planned"] == 0
    feed(record_event("deal", "d1", "bob", "updated", 5), record_event("deal", "d1", "ann", "updated", 4))
    feed(task_event("t2", due=AGO, links=deal("d1")))
    assert counts(uow, "bob")["planned"] == 1


def test_the_users_whose_counts_change_are_marked_for_the_live_streams(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("deal", "d1", "ann"), task_event("t1", responsible="bob", due=AGO, links=deal("d1")))
    assert uow.marks.versions == {"ann": 1, "bob": 1}
    feed(task_event("t1", "updated", 1, responsible="bob", due=AGO, links=deal("d1")))  # a repeat
    assert uow.marks.versions == {"ann": 1, "bob": 1}


def test_the_per_record_view_lists_records_with_their_counts(uow: FakeUnitOfWork, feed: Feed) -> None:
    feed(record_event("deal", "d1", "ann", name="Big deal"), record_event("person", "p1", "ann"),
         task_event("t1", due=AGO, links=deal("d1")), task_event("t2", due=AGO, links=deal("d1")),
         entry_event("e1"), task_event("t3", due=AGO))
    uow.viewer = type("V", (), {"id": "ann", "role": "user", "team": ()})()
    view = read_records(uow, NOW)
    assert view["items"] == [
        {"record": {"type": "deal", "id": "d1", "name": "Big deal"}, "planned": 2, "incoming": 0},
        {"record": {"type": "person", "id": "p1", "name": "Acme"}, "planned": 0, "incoming": 1}]
    assert view["unlinked"] == {"planned": 1, "incoming": 0}


@pytest.mark.parametrize("event", [
    task_event("x" * 37), task_event("t1", responsible="u" * 37), task_event("t1", links=deal("d" * 37)),
    entry_event("e" * 37), record_event("deal", "d" * 37, "ann"), record_event("deal", "d1", "o" * 37),
], ids=["task", "responsible", "link", "entry", "record", "owner"])
def test_an_event_naming_something_that_cannot_be_an_id_is_invalid_and_changes_nothing(
        uow: FakeUnitOfWork, feed: Feed, event: object) -> None:
    with pytest.raises(InvalidEvent):
        feed(event)
    assert uow.items.items == {} and uow.copies.tasks == {}


def test_an_anonymized_person_s_name_leaves_the_copies_of_its_tasks_and_entries(uow: FakeUnitOfWork,
                                                                                feed: Feed) -> None:
    feed(record_event("person", "p1", "ann", name="Jana Nováková"),
         task_event("t1", due=AGO, links=[{"type": "person", "id": "p1", "name": "Jana Nováková"}]),
         entry_event("e1", contact=("person", "p1")))
    feed(record_event("person", "p1", "ann", "anonymized", 2, name="Anonymized person"))

    assert uow.copies.task("t1").record.name == uow.copies.entry("e1").contact.name == "Anonymized person"
    assert counts(uow, "ann")["planned"] == 1
