"""Cursors are opaque round-trips of a sort key; anything else is a 422 on `cursor`."""
import pytest

from crm_shared.errors import ValidationFailed
from crm_shared.pagination import decode_cursor, encode_cursor


def test_a_cursor_round_trips_its_key() -> None:
    key = ["2026-11-22T10:15:00+00:00", "e1"]
    assert decode_cursor(encode_cursor(key), 2) == key
    assert decode_cursor(None, 2) is None


@pytest.mark.parametrize("cursor", ["garbage!", encode_cursor(["only-one"]), encode_cursor({"a": 1})])  # type: ignore[list-item]
def test_a_foreign_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(cursor, 2)
    assert "cursor" in refused.value.extra["errors"]
