"""The CloudEvents envelope: what producers write is what consumers read back."""
from datetime import datetime, timezone

import pytest

from crm_shared.changes import Change
from crm_shared.envelope import Actor, InvalidEvent, parse, wrap
from crm_shared.events import ObjectChanged

WHEN = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)


def sample() -> ObjectChanged:
    return ObjectChanged("person", "p1", "Jana Nováková", "/api/v1/persons/p1", "updated", 2,
                         (Change("phones", ["1"], ["2"]),), {"id": "p1"})


def test_an_event_carries_every_attribute_the_contract_names() -> None:
    event = wrap(sample(), service="contacts", actor=Actor("u1", "Petr"), correlation_id="req-1", time=WHEN).to_dict()
    assert event["specversion"] == "1.0"
    assert event["source"] == "/crm/contacts"
    assert event["type"] == "crm.person.updated"
    assert event["subject"] == "p1"
    assert event["time"] == "2026-11-22T10:15:00+00:00"
    assert event["datacontenttype"] == "application/json"
    assert (event["actorid"], event["actorname"], event["correlationid"], event["sequence"]) == ("u1", "Petr", "req-1", 2)
    assert event["data"]["changes"] == [{"field": "phones", "before": ["1"], "after": ["2"]}]
    assert set(event["data"]) == {"object_type", "object_id", "object_name", "object_link", "operation", "changes", "state"}


def test_what_is_written_parses_back_unchanged() -> None:
    original = wrap(sample(), service="contacts", actor=Actor("u1", "Petr"), correlation_id="c", time=WHEN)
    assert parse(original.to_json().encode()) == original


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1]", b'{"specversion": "1.0"}', b"\xff\xfe",
     b'{"specversion":"0.3","id":"x","source":"s","type":"t","time":"2026-01-01T00:00:00+00:00","data":{}}',
     b'{"specversion":"1.0","id":"not-a-uuid","source":"s","type":"t","time":"2026-01-01T00:00:00+00:00","data":{}}',
     b'{"specversion":"1.0","id":"6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10","source":"s","type":"t","time":"2026-01-01T00:00:00","data":{}}'],
)
def test_anything_else_is_an_invalid_event(body: bytes) -> None:
    with pytest.raises(InvalidEvent):
        parse(body)
