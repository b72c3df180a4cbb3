"""Keyset pages: cursors opaque to clients, a typed sort key to the service, one way to cut a page.

A cursor is the sort key of the last item of a page. Clients may send anything as a
cursor, so decoding checks each position against the type the list sorts by: a forged
or stale cursor is a 422 on `cursor`, never a value the database chokes on.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence, TypeVar

from crm_shared.errors import ValidationFailed
from crm_shared.hostile_input import text_problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")
Q = TypeVar("Q")
U = TypeVar("U")
#: What one position of a sort key may hold: text, a whole number, or an aware timestamp.
KeyType = type
KEY_TYPES: tuple[KeyType, ...] = (str, int, datetime)
_NOT_A_CURSOR = "Not a cursor returned by this list."


def encode_cursor(key: Sequence[Any]) -> str:
    """Encode the sort key of the last item of a page (timestamps as RFC 3339 text)."""
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in key]
    raw = json.dumps(plain, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: Sequence[KeyType]) -> list[Any] | None:
    """Decode a cursor into a sort key of the given types; a bad cursor is a 422 on `cursor`.

    `datetime` positions come back aware, in UTC.
    """
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError):
        raise _bad_cursor() from None
    if not isinstance(key, list) or len(key) != len(types):
        raise _bad_cursor()
    return [_typed(value, kind) for value, kind in zip(key, types)]


def _typed(value: Any, kind: KeyType) -> Any:
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
            return value
        raise _bad_cursor()
    if not isinstance(value, str) or text_problem(value) is not None:
        raise _bad_cursor()
    if kind is str:
        return value
    if kind is datetime:
        return _timestamp(value)
    raise TypeError(f"a cursor cannot hold {kind!r}")


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(text)
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise _bad_cursor() from None


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed({"cursor": [_NOT_A_CURSOR]})


def page(rows: Sequence[T], limit: int, key: Callable[[T], Sequence[Any]]) -> tuple[list[T], str | None]:
    """Cut up to `limit + 1` rows into a page and the cursor of the next one (None on the last)."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return items, encode_cursor(key(items[-1])) if more and items else None


def keyset_list(
    lister: Callable[[U, Q, str | None], tuple[Sequence[T], str | None]],
    uow: U,
    query: Callable[..., Q],
    args: Mapping[str, Any],
    present: Callable[[T], Any] | None = None,
) -> dict[str, Any]:
    """Answer a keyset list request: the `query` built from the request's `args` but its `cursor`,
    the page `lister` cuts after that cursor, as the wire body `{"items": [...], "next_cursor": ...}`
    (each item through `present`, or as it is)."""
    arguments = dict(args)
    cursor = arguments.pop("cursor", None)
    items, next_cursor = lister(uow, query(**arguments), cursor)
    return {"items": [present(item) for item in items] if present else list(items), "next_cursor": next_cursor}
