"""Keyset pagination cursors: opaque to clients, a sort key to the service."""
from __future__ import annotations

import base64
import json
from typing import Any

from crm_shared.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(key: list[Any]) -> str:
    """Encode the sort key of the last item of a page."""
    raw = json.dumps(key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """Decode a cursor into a sort key of `size` values; a bad cursor is a 422 on `cursor`."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise ValidationFailed({"cursor": ["Not a cursor returned by this list."]}) from None
    if not isinstance(key, list) or len(key) != size:
        raise ValidationFailed({"cursor": ["Not a cursor returned by this list."]})
    return key
