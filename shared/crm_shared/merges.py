"""Reading a contact merge from its events, for the services that keep links to contacts.

The contacts service announces a merge twice: the target's `merged` event names the merged
ids in `data.merged_from` (older events: `data.state.merged_from`, or a single id), and each
source's `deleted` event names the survivor in `data.merged_into`.
"""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.envelope import InvalidEvent


def merged_from(data: Mapping[str, Any]) -> list[str]:
    """Return the ids merged into the target, read tolerantly (a list, or a single id)."""
    sources = data.get("merged_from")
    state = data.get("state")
    if sources is None and isinstance(state, Mapping):
        sources = state.get("merged_from")
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(item, str) for item in sources):
        raise InvalidEvent("a merge event must name the merged ids in data.merged_from")
    return sources


def merged_into(data: Mapping[str, Any]) -> str | None:
    """Return the id a deleted record was merged into, if its deletion was a merge."""
    target_id = data.get("merged_into")
    return target_id if isinstance(target_id, str) and target_id else None
