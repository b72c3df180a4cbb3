"""Reading audit entries out of change events."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from crm_audit.event_reader import entry_from_event
from crm_shared.envelope import CloudEvent, InvalidEvent, parse

NOW = datetime(2026, 11, 22, 10, 15, 0, 123456, tzinfo=timezone.utc)


def event(data: dict[str, Any], **attributes: Any) -> CloudEvent:
    raw = {
        "specversion": "1.0",
        "id": "0b5c2f1e-8f1a-4c1e-9d7a-2f2b6f0a9c11",
        "source": "/crm/contacts",
        "type": "crm.person.updated",
        "subject": "p-1",
        "time": "2026-11-22T11:15:00.123456+01:00",
        "actorid": "u-1",
        "actorname": "Eva Admin",
        "actorchannel": "import",
        "correlationid": "req-7",
        "sequence": 3,
        "data": data,
        **attributes,
    }
    return parse(raw)


def person_updated(**overrides: Any) -> dict[str, Any]:
    return {
        "object_type": "person",
        "object_id": "p-1",
        "object_name": "Jana Nováková",
        "object_link": "/api/v1/persons/p-1",
        "operation": "updated",
        "changes": [{"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999"]}],
        "state": {"id": "p-1", "first_name": "Jana"},
        **overrides,
    }


def test_an_event_becomes_an_entry_with_who_what_and_when() -> None:
    entry = entry_from_event(event(person_updated()), recorded_at=NOW)

    assert entry.id == "0b5c2f1e-8f1a-4c1e-9d7a-2f2b6f0a9c11"
    assert entry.occurred_at == datetime(2026, 11, 22, 10, 15, 0, 123456, tzinfo=timezone.utc)
    assert (entry.user_id, entry.user_name, entry.channel) == ("u-1", "Eva Admin", "import")
    assert (entry.object_type, entry.object_id, entry.operation) == ("person", "p-1", "updated")
    assert entry.object_name == "Jana Nováková"
    assert entry.object_link == "/api/v1/persons/p-1"
    assert entry.changes == [{"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999"]}]
    assert (entry.correlation_id, entry.source, entry.recorded_at) == ("req-7", "/crm/contacts", NOW)


def test_unknown_fields_are_ignored_anywhere_in_the_data() -> None:
    data = person_updated(
        version_2_field={"x": 1},
        changes=[{"field": "tags", "before": [], "after": ["vip"], "label": "Tags"}],
    )

    entry = entry_from_event(event(data))

    assert entry.changes == [{"field": "tags", "before": [], "after": ["vip"]}]


def test_missing_optional_parts_get_empty_values() -> None:
    data = {"object_type": "deal", "object_id": "d-1", "operation": "deleted"}

    entry = entry_from_event(event(data))

    assert (entry.object_name, entry.object_link, entry.changes) == (None, None, [])


def test_null_changes_mean_no_field_changes() -> None:
    assert entry_from_event(event(person_updated(changes=None))).changes == []


def test_a_change_without_before_or_after_reads_them_as_null() -> None:
    entry = entry_from_event(event(person_updated(changes=[{"field": "note"}])))

    assert entry.changes == [{"field": "note", "before": None, "after": None}]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"object_id": "p-1", "operation": "updated"}, id="no object_type"),
        pytest.param(person_updated(object_type=""), id="empty object_type"),
        pytest.param(person_updated(object_id=42), id="numeric object_id"),
        pytest.param(person_updated(operation=None), id="null operation"),
        pytest.param(person_updated(changes={"field": "phones"}), id="changes not a list"),
        pytest.param(person_updated(changes=["phones"]), id="a change not an object"),
        pytest.param(person_updated(changes=[{"before": 1, "after": 2}]), id="a change without field"),
        pytest.param(person_updated(changes=[{"field": 7}]), id="a field not a string"),
        pytest.param(person_updated(object_type="x" * 65), id="object_type too long"),
    ],
)
def test_data_of_the_wrong_shape_is_an_invalid_event(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidEvent):
        entry_from_event(event(data))


def test_an_overlong_actor_id_is_an_invalid_event() -> None:
    with pytest.raises(InvalidEvent):
        entry_from_event(event(person_updated(), actorid="u" * 101))


def test_events_without_actor_are_recorded_as_the_system() -> None:
    raw = event(person_updated())
    bare = parse({**raw.to_dict(), "actorid": None, "actorname": None, "actorchannel": None})

    entry = entry_from_event(bare)

    assert (entry.user_id, entry.user_name, entry.channel) == ("system", "system", "api")
