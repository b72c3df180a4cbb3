"""The iCalendar feed, read back with the icalendar parser."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar

from crm_tasks.domain.sharing import FREE_BUSY, FULL, NONE, READ
from crm_tasks.feeds.ics import render_calendar

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
PRAGUE = ZoneInfo("Europe/Prague")
START = datetime(2026, 11, 23, 9, 0, tzinfo=PRAGUE)


def feed(*entries) -> Calendar:  # type: ignore[no-untyped-def]
    return Calendar.from_ical(render_calendar(entries, name="Ann's tasks", now=NOW))


def only(calendar: Calendar, name: str):  # type: ignore[no-untyped-def]
    (component,) = [c for c in calendar.walk(name)]
    return component


def test_a_timed_task_is_an_event_with_its_times_rule_and_reminders(make_task) -> None:
    task = make_task(start=START, end=START + timedelta(hours=1), rrule="FREQ=WEEKLY;BYDAY=MO", reminders=[15],
                     description="Agenda", priority="high")
    event = only(feed((task, FULL)), "VEVENT")
    assert (event["SUMMARY"], event["DESCRIPTION"], event["UID"]) == ("Send the offer", "Agenda", "t1@tasks.crm")
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (START, START + timedelta(hours=1))
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Prague"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    assert (int(event["PRIORITY"]), only(event, "VALARM").decoded("TRIGGER")) == (1, timedelta(minutes=-15))


def test_a_task_with_only_a_due_time_is_an_open_todo(make_task) -> None:
    todo = only(feed((make_task(due=START, reminders=[30]), READ)), "VTODO")
    assert (todo.decoded("DUE"), str(todo["STATUS"]), todo["SUMMARY"]) == (START, "NEEDS-ACTION", "Send the offer")
    assert only(todo, "VALARM")["TRIGGER"].params["RELATED"] == "END"


def test_a_recurring_due_task_starts_at_its_due_time_as_rfc_5545_wants(make_task) -> None:
    todo = only(feed((make_task(due=START, rrule="FREQ=DAILY;COUNT=5"), FULL)), "VTODO")
    assert (todo.decoded("DTSTART"), todo.decoded("DURATION"), "DUE" in todo) == (START, timedelta(0), False)
    assert todo["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=5"


def test_a_done_task_is_a_completed_todo(make_task, catalog) -> None:
    done, _ = make_task(start=START, end=START + timedelta(hours=1)).completed(catalog=catalog, actor_id="ann", now=NOW)
    calendar = feed((done, FULL))
    todo = only(calendar, "VTODO")
    assert (str(todo["STATUS"]), todo.decoded("COMPLETED"), todo.decoded("DUE")) == (
        "COMPLETED", NOW, START + timedelta(hours=1))
    assert calendar.walk("VEVENT") == [] and todo.walk("VALARM") == []


def test_a_free_busy_task_shows_busy_without_its_title_or_description(make_task) -> None:
    task = make_task(start=START, end=START + timedelta(hours=1), description="Secret", reminders=[5])
    event = only(feed((task, FREE_BUSY)), "VEVENT")
    assert (event["SUMMARY"], "DESCRIPTION" in event, "CATEGORIES" in event, event.walk("VALARM")) == (
        "Busy", False, False, [])
    assert b"Send the offer" not in render_calendar([(task, FREE_BUSY)], name="x", now=NOW)


def test_invisible_tasks_and_free_busy_tasks_without_a_time_are_left_out(make_task) -> None:
    calendar = feed((make_task(due=START), NONE), (make_task(), FREE_BUSY))
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTODO") == []


def test_an_inbox_task_is_a_todo_without_a_time(make_task) -> None:
    todo = only(feed((make_task(), FULL)), "VTODO")
    assert ("DUE" in todo, "DTSTART" in todo, str(todo["STATUS"])) == (False, False, "NEEDS-ACTION")


def test_the_calendar_names_itself_and_writes_the_zones_it_uses(make_task) -> None:
    calendar = feed((make_task(start=START, end=START + timedelta(hours=1)), FULL),
                    (make_task(due="2026-11-24T12:00:00+01:00"), FULL))
    assert (calendar["X-WR-CALNAME"], calendar["VERSION"]) == ("Ann's tasks", "2.0")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Prague"]
    due = only(calendar, "VTODO").decoded("DUE")
    assert (due, due.utcoffset()) == (datetime(2026, 11, 24, 11, tzinfo=timezone.utc), timedelta(0))
