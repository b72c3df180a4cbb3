"""A user's visible tasks as an iCalendar (RFC 5545) feed (TSK-10).

Timed tasks are VEVENTs (DTSTART, DTEND), tasks with only a due time VTODOs (DUE), tasks in the
inbox VTODOs without a time; a done task is a COMPLETED VTODO. A recurring task carries its
RRULE; a recurring VTODO with only a due time starts at it and lasts PT0S, because RFC 5545
defines recurrence from DTSTART and wants DUE later than DTSTART. A task seen through
`free_busy` shows only its slot: summary "Busy", no description, alarms or done state, and a
free/busy task without a time is left out. Times keep their IANA zone (with a VTIMEZONE);
fixed offsets are written in UTC.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Component, Event, Todo, vRecur

from crm_tasks.domain.schedule import TIMED
from crm_tasks.domain.sharing import FREE_BUSY, NONE
from crm_tasks.domain.tasks import Task

PRODID = "-//CRM suite//Tasks//EN"
UID_DOMAIN = "tasks.crm"
BUSY = "Busy"
#: RFC 5545 PRIORITY: 1 highest, 5 medium, 9 lowest
PRIORITY = {"high": 1, "normal": 5, "low": 9}


def render_calendar(entries: Iterable[tuple[Task, str]], *, name: str, now: datetime) -> bytes:
    """Return the VCALENDAR of the tasks, each with the access level its viewer has (sharing.access)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for task, level in entries:
        component = _component(task, level, now)
        if component is not None:
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _component(task: Task, level: str, now: datetime) -> Component | None:
    if level == NONE or (level == FREE_BUSY and task.schedule.anchor is None):
        return None
    busy_only = level == FREE_BUSY
    component = _timed(task) if task.schedule.kind == TIMED and (busy_only or not task.done) else _todo(task)
    component.add("uid", f"{task.id}@{UID_DOMAIN}")
    component.add("dtstamp", now.astimezone(timezone.utc))
    component.add("sequence", task.version - 1)
    if task.rrule:
        component.add("rrule", vRecur.from_ical(task.rrule))
    if busy_only:
        component.add("summary", BUSY)
        component.add("class", "PRIVATE")
        return component
    _describe(component, task)
    if task.done:
        component.add("status", "COMPLETED")
        component.add("completed", (task.done_at or now).astimezone(timezone.utc))
    elif isinstance(component, Todo):
        component.add("status", "NEEDS-ACTION")
    return component


def _timed(task: Task) -> Event:
    event = Event()
    event.add("dtstart", _when(task.schedule.start))
    event.add("dtend", _when(task.schedule.end))
    event.add("transp", "OPAQUE")
    return event


def _todo(task: Task) -> Todo:
    todo = Todo()
    schedule = task.schedule
    if schedule.start is not None:
        todo.add("dtstart", _when(schedule.start))
        if schedule.end is not None and schedule.end > schedule.start:
            todo.add("due", _when(schedule.end))
    elif schedule.due is not None and task.rrule:
        todo.add("dtstart", _when(schedule.due))
        todo.add("duration", timedelta(0))
    elif schedule.due is not None:
        todo.add("due", _when(schedule.due))
    return todo


def _describe(component: Component, task: Task) -> None:
    component.add("summary", task.title)
    if task.description:
        component.add("description", task.description)
    component.add("categories", [task.type_name])
    component.add("priority", PRIORITY[task.priority])
    component.add("class", "PRIVATE" if task.private else "PUBLIC")
    component.add("created", task.created_at.astimezone(timezone.utc))
    component.add("last-modified", task.updated_at.astimezone(timezone.utc))
    if not task.done and task.schedule.anchor is not None:
        # a VTODO with only a DUE has no start for an alarm to be relative to
        related = "END" if "due" in component and "dtstart" not in component else "START"
        for minutes in task.reminders:
            component.add_component(_alarm(task.title, minutes, related))


def _alarm(title: str, minutes: int, related: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(minutes=-minutes), parameters={"RELATED": related})
    return alarm


def _when(moment: datetime | None) -> datetime | None:
    """Keep an IANA zone (recurrences follow its daylight saving); write a fixed offset in UTC."""
    if moment is None or isinstance(moment.tzinfo, ZoneInfo):
        return moment
    return moment.astimezone(timezone.utc)
