"""The service's copy of persons, companies and groups, read tolerantly from the contacts service's events.

A contact's event carries its whole state: name, owner, groups (the ids of its segments),
`anonymized_at`. The copy decides who sees an entry (its contact's owner), which contacts a
group holds at a moment, and whether new entries are stored redacted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from crm_shared.envelope import InvalidEvent
from crm_shared.links import MAX_ID_LENGTH

from crm_interactions.domain.entries import ContactRef


@dataclass(frozen=True)
class ContactCopy:
    """What the service knows of a contact; `pending` until its first event, `gone` once deleted or merged."""

    id: str
    kind: str
    name: str | None
    owner_id: str | None
    groups: tuple[str, ...] = ()
    anonymized: bool = False
    pending: bool = False
    gone: bool = False
    sequence: int = 0

    def ref(self) -> ContactRef:
        return ContactRef(self.kind, self.id, self.name, self.gone)


@dataclass(frozen=True)
class GroupCopy:
    """A segment of contacts (its members are the contacts whose `groups` name it)."""

    id: str
    name: str | None
    gone: bool = False
    sequence: int = 0


def contact_of(data: Mapping[str, Any], kind: str, sequence: int, *, gone: bool) -> ContactCopy:
    """Read the copy a person's or company's event describes; InvalidEvent when it names no record."""
    state = _state(data)
    contact_id = _id(data.get("object_id") or state.get("id"))
    name = state.get("name") or data.get("object_name")
    owner = state.get("owner_id")
    groups = state.get("groups")
    group_ids = tuple(str(g) for g in groups if isinstance(g, str) and len(g) <= MAX_ID_LENGTH) \
        if isinstance(groups, list) else ()
    return ContactCopy(id=contact_id, kind=kind, name=str(name)[:420] if name else None,
                       owner_id=str(owner) if owner else None, groups=group_ids,
                       anonymized=bool(state.get("anonymized_at")) or data.get("operation") == "anonymized",
                       gone=gone, sequence=sequence)


def group_of(data: Mapping[str, Any], sequence: int, *, gone: bool) -> GroupCopy:
    """Read the copy a group's event describes."""
    state = _state(data)
    name = state.get("name") or data.get("object_name")
    return GroupCopy(id=_id(data.get("object_id") or state.get("id")), name=str(name)[:200] if name else None,
                     gone=gone, sequence=sequence)


def merged_from(data: Mapping[str, Any]) -> list[str]:
    """Return the ids a `merged` event says were merged into its record."""
    sources = data.get("merged_from")
    if sources is None:
        sources = _state(data).get("merged_from")
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(item, str) for item in sources):
        raise InvalidEvent("a merge event must name the merged ids in data.merged_from")
    return [_id(source) for source in sources]


def merged_into(data: Mapping[str, Any]) -> str | None:
    """Return the record a deleted one was merged into, if the deletion was a merge."""
    target = data.get("merged_into")
    return _id(target) if isinstance(target, str) and target else None


def _state(data: Mapping[str, Any]) -> Mapping[str, Any]:
    state = data.get("state")
    return state if isinstance(state, Mapping) else {}


def _id(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise InvalidEvent(f"the event names no usable record id: {value!r}")
    return value
