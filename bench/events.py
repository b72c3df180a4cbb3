"""Realistic events and request bodies: what the contacts service writes for a new person; the deal body."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.model import new_contact
from crm_shared.envelope import Actor, wrap
from crm_shared.types import utcnow

#: the body of every benchmarked POST /api/v1/persons (no tags: a person row and an outbox row only)
PERSON = {
    "first_name": "Jana",
    "last_name": "Nováková",
    "emails": ["jana.novakova@example.com"],
    "phones": ["+420 601 234 567"],
    "position": "Purchasing manager",
}
PERSON_JSON = json.dumps(PERSON, ensure_ascii=False)

#: the body of every benchmarked POST /api/v1/deals: the default process and its first stage, no links
#: and no product lines (a deal row and an outbox row only); money travels as strings
DEAL = {"name": "Fleet renewal 2027", "value": "1250.00", "currency": "CZK"}
DEAL_JSON = json.dumps(DEAL, ensure_ascii=False)


def task_json(type_id: str) -> str:
    """The body of every benchmarked POST /api/v1/tasks: a deadline task of a default type, no links
    (a task row, its index rows and an outbox row only)."""
    return json.dumps({"title": "Call the customer back", "type_id": type_id, "due": "2027-01-15T17:00:00+01:00",
                       "priority": "high", "reminders": [30]}, ensure_ascii=False)

ACTOR = Actor(id=str(uuid.uuid4()), name="Bench Admin")


@dataclass(frozen=True)
class WireEvent:
    """One event as the outbox stores it and the bus carries it."""

    event_id: str
    routing_key: str
    body: str


def person_created() -> WireEvent:
    """Return a `crm.person.created` event built by the contacts domain, as it would commit."""
    now = utcnow()
    person = new_contact("person", PERSON, id=str(uuid.uuid4()), actor_id=ACTOR.id, now=now)
    event = wrap(
        contact_changed(person, "created", person.creation_changes()),
        service="contacts", actor=ACTOR, correlation_id=str(uuid.uuid4()), time=now,
    )
    return WireEvent(event.id, event.type, event.to_json())


def person_events(count: int) -> list[WireEvent]:
    """Return `count` distinct person-created events."""
    return [person_created() for _ in range(count)]
