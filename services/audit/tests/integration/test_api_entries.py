"""The change log over HTTP on SQLite and PostgreSQL: list, filters, pages, one entry, history."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from flask.testing import FlaskClient

from crm_shared.changes import Change
from crm_shared.envelope import Actor, CloudEvent

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
ENTRIES = "/api/v1/audit/entries"
EVA = Actor("u-eva", "Eva Admin")
PETR = Actor("u-petr", "Petr Novák", channel="import")


@pytest.fixture
def sample(
    make_event: Callable[..., CloudEvent], record: Callable[[list[CloudEvent]], None]
) -> list[CloudEvent]:
    """Six changes by two users over an hour, stored in random order."""
    events = [
        make_event(object_type="person", object_id="p-1", operation="created", actor=EVA, time=T0,
                   changes=(Change("first_name", None, "Jana"), Change("last_name", None, "Nováková"))),
        make_event(object_type="person", object_id="p-1", operation="updated", actor=PETR,
                   time=T0 + timedelta(minutes=10)),
        make_event(object_type="company", object_id="c-1", object_name="ACME s.r.o.", operation="created",
                   actor=EVA, time=T0 + timedelta(minutes=20), changes=(Change("name", None, "ACME s.r.o."),)),
        make_event(object_type="deal", object_id="d-1", object_name="Big deal", operation="updated", actor=PETR,
                   time=T0 + timedelta(minutes=30), changes=(Change("stage", "lead", "won"),)),
        make_event(object_type="person", object_id="p-1", operation="locked", actor=EVA,
                   time=T0 + timedelta(minutes=40), changes=()),
        make_event(object_type="person", object_id="p-2", operation="deleted", actor=EVA,
                   time=T0 + timedelta(minutes=50), changes=()),
    ]
    record([events[3], events[0], events[5]])
    record([events[2], events[4], events[1]])
    return events


def get(client: FlaskClient, headers: dict[str, str], path: str = ENTRIES, **query: Any) -> Any:
    response = client.get(path, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_entries_are_listed_newest_first_in_the_contract_shape(client, tokens, sample) -> None:
    page = get(client, tokens.headers())

    assert ids(page) == [event.id for event in reversed(sample)]
    assert page["next_cursor"] is None
    second = page["items"][4]
    assert second == {
        "id": sample[1].id,
        "occurred_at": "2026-11-22T10:10:00+00:00",
        "user": {"id": "u-petr", "name": "Petr Novák"},
        "object_type": "person",
        "object_id": "p-1",
        "object_name": "Jana Nováková",
        "object_link": "/api/v1/persons/p-1",
        "operation": "updated",
        "changes": [{"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999"]}],
        "channel": "import",
        "correlation_id": "req-1",
        "restored_from": None,
    }


def test_a_restore_s_entry_points_at_the_entry_it_restored(client, tokens, sample, make_event, record) -> None:
    restore = replace(make_event(object_id="p-1", actor=EVA, time=T0 + timedelta(hours=1)),
                      restoresentry=sample[1].id)
    record([restore])
    assert get(client, tokens.headers(), f"{ENTRIES}/{restore.id}")["restored_from"] == sample[1].id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user_id": "u-petr"}, [3, 1]),
        ({"object_type": "person"}, [5, 4, 1, 0]),
        ({"object_id": "p-1"}, [4, 1, 0]),
        ({"operation": "created"}, [2, 0]),
        ({"object_type": "person", "operation": "created", "user_id": "u-eva"}, [0]),
        ({"from": "2026-11-22T10:20:00+00:00"}, [5, 4, 3, 2]),
        ({"to": "2026-11-22T10:20:00Z"}, [1, 0]),
        ({"from": "2026-11-22T11:10:00+01:00", "to": "2026-11-22T11:40:00+01:00"}, [3, 2, 1]),
        ({"operation": "merged"}, []),
    ],
)
def test_filters_narrow_the_list(client, tokens, sample, query: dict[str, str], expected: list[int]) -> None:
    assert ids(get(client, tokens.headers(), **query)) == [sample[n].id for n in expected]


def test_an_offset_whose_plus_arrived_as_a_space_still_counts_as_plus(client, tokens, sample) -> None:
    response = client.get(f"{ENTRIES}?from=2026-11-22T11:20:00+01:00", headers=tokens.headers())

    assert ids(response.get_json()) == [sample[n].id for n in (5, 4, 3, 2)]


def test_pages_cover_every_entry_once_even_with_equal_timestamps(client, tokens, make_event, record) -> None:
    same_time = T0 + timedelta(hours=1)
    events = [make_event(time=same_time) for _ in range(7)]
    events += [make_event(time=T0 + timedelta(minutes=n)) for n in (5, 59, 61, 90)]
    record(events)
    expected = [e.id for e in sorted(events, key=lambda e: (e.time, e.id), reverse=True)]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = get(client, tokens.headers(), limit=3, **({"cursor": cursor} if cursor else {}))
        seen += ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_a_filtered_list_pages_within_its_filter(client, tokens, make_event, record) -> None:
    mine = [make_event(object_id="p-9", time=T0 + timedelta(seconds=n)) for n in range(5)]
    record(mine + [make_event(object_id="p-8", time=T0 + timedelta(seconds=n)) for n in range(5)])

    first = get(client, tokens.headers(), object_id="p-9", limit=2)
    second = get(client, tokens.headers(), object_id="p-9", limit=2, cursor=first["next_cursor"])
    third = get(client, tokens.headers(), object_id="p-9", limit=2, cursor=second["next_cursor"])

    assert ids(first) + ids(second) + ids(third) == [e.id for e in reversed(mine)]
    assert third["next_cursor"] is None


def test_a_page_that_ends_exactly_at_the_last_entry_has_no_next_cursor(client, tokens, sample) -> None:
    assert get(client, tokens.headers(), limit=6)["next_cursor"] is None
    assert get(client, tokens.headers(), limit=5)["next_cursor"] is not None


def test_the_same_event_stored_twice_is_one_entry(client, tokens, make_event, record) -> None:
    event = make_event()
    record([event])
    record([event])

    assert ids(get(client, tokens.headers())) == [event.id]


def test_only_admins_may_read_the_log(client, tokens, sample) -> None:
    for role in ("manager", "user"):
        for path in (ENTRIES, f"{ENTRIES}/{sample[0].id}", f"{ENTRIES}/export",
                     "/api/v1/audit/objects/person/p-1/history"):
            response = client.get(path, headers=tokens.headers(role))
            assert response.status_code == 403, path
            assert response.mimetype == "application/problem+json"
            assert response.get_json()["status"] == 403


def test_without_a_token_the_answer_is_401(client, sample) -> None:
    response = client.get(ENTRIES)

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-11-22T10:00:00"}, "from"),
        ({"to": "2026-13-01T00:00:00Z"}, "to"),
        ({"from": "2026-11-22T10:00:00Z", "to": "2026-11-22T09:00:00Z"}, "to"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4IiwieSJd"}, "cursor"),
        ({"colour": "red"}, "colour"),
        ({"object_type": ""}, "object_type"),
    ],
)
def test_bad_parameters_are_a_422_naming_them(client, tokens, query: dict[str, str], bad: str) -> None:
    response = client.get(ENTRIES, query_string=query, headers=tokens.headers())

    assert response.status_code == 422
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert list(body["errors"]) == [bad]


def test_one_entry_is_read_by_its_id(client, tokens, sample) -> None:
    entry = get(client, tokens.headers(), f"{ENTRIES}/{sample[2].id}")

    assert (entry["id"], entry["object_name"], entry["operation"]) == (sample[2].id, "ACME s.r.o.", "created")
    assert entry["changes"] == [{"field": "name", "before": None, "after": "ACME s.r.o."}]


def test_a_missing_entry_is_a_404_problem(client, tokens, sample) -> None:
    response = client.get(f"{ENTRIES}/{uuid.uuid4()}", headers=tokens.headers())

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_the_history_of_an_object_is_all_its_changes_newest_first(client, tokens, sample) -> None:
    path = "/api/v1/audit/objects/person/p-1/history"
    first = get(client, tokens.headers(), path, limit=2)
    rest = get(client, tokens.headers(), path, limit=2, cursor=first["next_cursor"])

    assert ids(first) + ids(rest) == [sample[4].id, sample[1].id, sample[0].id]
    assert rest["next_cursor"] is None
    assert get(client, tokens.headers(), "/api/v1/audit/objects/company/p-1/history")["items"] == []


def test_a_restore_is_for_admins_and_a_bad_body_or_an_unknown_entry_is_refused_before_any_call(client, tokens) -> None:
    path = f"{ENTRIES}/{uuid.uuid4()}/restore"
    assert client.post(path, json={"field": "phones"}, headers=tokens.headers("user")).status_code == 403
    for body in ({"field": ""}, {"field": "phones", "value": 1}, {}):
        refused = client.post(path, json=body, headers=tokens.headers())
        assert refused.status_code == 422 and refused.content_type == "application/problem+json", refused.get_json()
    missing = client.post(path, json={"field": "phones"}, headers=tokens.headers())
    assert missing.status_code == 404 and "audit entry" in missing.get_json()["detail"]
