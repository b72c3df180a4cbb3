"""Cursors are opaque round-trips of a typed sort key; anything else is a 422 on `cursor`."""
import base64
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from crm_shared.errors import ValidationFailed
from crm_shared.pagination import decode_cursor, encode_cursor, keyset_list, page

MOMENT = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)


def raw_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_its_key_with_timestamps_aware_in_utc() -> None:
    assert decode_cursor(encode_cursor([MOMENT, "e1"]), (datetime, str)) == [MOMENT, "e1"]
    assert decode_cursor(encode_cursor(["Nováková", "e1"]), (str, str)) == ["Nováková", "e1"]
    assert decode_cursor(encode_cursor([1, "Sales", "e1"]), (int, str, str)) == [1, "Sales", "e1"]
    assert decode_cursor(None, (str, str)) is None


def test_a_timestamp_with_an_offset_comes_back_in_utc() -> None:
    [moment, _] = decode_cursor(raw_cursor(["2026-11-22T12:15:00+02:00", "e1"]), (datetime, str))  # type: ignore[misc]
    assert moment == MOMENT and moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize("cursor", [
    "garbage!", raw_cursor(["only-one"]), raw_cursor({"a": 1}), raw_cursor(None), raw_cursor([1, 2]),
    raw_cursor(["2026-11-22T10:15:00", "e1"]), raw_cursor(["not a time", "e1"]),
    raw_cursor(["0001-01-01T00:00:00+14:00", "e1"]), raw_cursor(["9999-12-31T23:59:59-14:00", "e1"]),
    raw_cursor([MOMENT.isoformat(), None]), raw_cursor([MOMENT.isoformat(), ["e1"]]),
    raw_cursor([MOMENT.isoformat(), "e\x00"]), raw_cursor([MOMENT.isoformat(), "\ud800"]),
    raw_cursor([MOMENT.isoformat(), "e1", "extra"]), raw_cursor([[[[[]]]]]),
    "W" * 5000 + "=", base64.urlsafe_b64encode(b"[" * 5000).decode(),
])
def test_a_forged_cursor_is_refused_on_the_cursor_field(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(cursor, (datetime, str))
    assert refused.value.extra["errors"] == {"cursor": ["Not a cursor returned by this list."]}


@pytest.mark.parametrize("position", [True, 1.5, "1", None, 2**70])
def test_a_whole_number_position_takes_only_whole_numbers(position: Any) -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(raw_cursor([position, "Sales", "e1"]), (int, str, str))


def test_a_page_cuts_the_extra_row_and_points_past_its_last_item() -> None:
    items, cursor = page(["a", "b", "c"], 2, lambda item: [item])
    assert items == ["a", "b"] and decode_cursor(cursor, (str,)) == ["b"]
    assert page(["a", "b"], 2, lambda item: [item]) == (["a", "b"], None)
    assert page([], 2, lambda item: [item]) == ([], None)


def test_a_keyset_list_builds_its_query_from_the_arguments_and_cuts_the_page_after_the_cursor() -> None:
    seen: list[tuple[object, dict[str, object], str | None]] = []

    def lister(uow: object, query: dict[str, object], cursor: str | None) -> tuple[list[int], str | None]:
        seen.append((uow, query, cursor))
        return [1, 2], "next"

    arguments = {"limit": 2, "cursor": "abc", "owner": "u1"}
    body = keyset_list(lister, "uow", dict, arguments, present=lambda item: {"n": item})
    assert body == {"items": [{"n": 1}, {"n": 2}], "next_cursor": "next"}
    assert seen == [("uow", {"limit": 2, "owner": "u1"}, "abc")]
    assert arguments["cursor"] == "abc", "the request's arguments are left as they were"
    assert keyset_list(lambda uow, query, cursor: ([], None), None, dict, {}) == {"items": [], "next_cursor": None}
