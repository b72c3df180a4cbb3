"""The counters' own copies of tasks, task comments and interactions, read from their events.

Each copy keeps the sequence (the object's version) it was built from, so a repeated or an
older event changes nothing (`replaces`). A deletion carries the version of the object's last
change and wins that tie; only a newer version brings a deleted object back (a restore).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from crm_shared.envelope import InvalidEvent
from crm_shared.links import MAX_ID_LENGTH
from crm_shared.moments import moment

#: the record types a task may link whose owner counts (a space has no owner): the first found wins
OWNED_LINKS = ("deal", "person", "company")
INBOUND = "inbound"
INBOUND_KINDS = ("incoming_call", "missed_call", "email", "chat", "payment")


@dataclass(frozen=True)
class RecordRef:
    """A record an activity belongs to: a deal, person or company."""

    type: str
    id: str
    name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class TaskCopy:
    """What counting needs of a task: who is responsible, when it is due, whether it is open, its record."""

    id: str
    sequence: int
    title: str
    responsible_id: str
    due: datetime | None
    done: bool
    record: RecordRef | None
    deleted: bool = False

    @property
    def open(self) -> bool:
        return not self.done and not self.deleted


@dataclass(frozen=True)
class CommentCopy:
    """A comment on a task: who wrote it, and when."""

    id: str
    task_id: str
    author_id: str
    created_at: datetime


@dataclass(frozen=True)
class InteractionCopy:
    """What counting needs of an interaction entry: its contact, user, source, kind and state."""

    id: str
    sequence: int
    contact: RecordRef | None
    user_id: str | None
    source: str
    kind: str | None
    canceled: bool
    processed: bool
    deleted: bool = False

    @property
    def incoming(self) -> bool:
        """Tell whether the entry is an unprocessed inbound one still standing."""
        return (self.source == INBOUND and self.kind in INBOUND_KINDS and not self.canceled
                and not self.processed and not self.deleted)


def replaces(incoming: Any, current: Any | None) -> bool:
    """Tell whether a copy built from an event replaces the stored one (None: nothing stored yet)."""
    if current is None:
        return True
    if incoming.sequence != current.sequence:
        return bool(incoming.sequence > current.sequence)
    return bool(incoming.deleted and not current.deleted)


def identifier(value: Any, what: str) -> str:
    """Return an id an event names; InvalidEvent for anything that cannot be one."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise InvalidEvent(f"{what} is not an id of at most {MAX_ID_LENGTH} characters")
    return value


def task_from_state(state: Mapping[str, Any], sequence: int, *, deleted: bool) -> TaskCopy:
    """Read a task copy from a task event's state; InvalidEvent when it has no id or responsible user."""
    if not state.get("id") or not state.get("responsible_id"):
        raise InvalidEvent("a task event names the task and its responsible user in data.state")
    task_id, responsible = identifier(state["id"], "the task"), identifier(state["responsible_id"], "the responsible")
    return TaskCopy(id=task_id, sequence=sequence, title=str(state.get("title") or ""), responsible_id=responsible,
                    due=moment(state.get("due")) or moment(state.get("start")), done=bool(state.get("done")),
                    record=_task_record(state.get("links")), deleted=deleted)


def _task_record(links: Any) -> RecordRef | None:
    found = {link.get("type"): link for link in links or () if isinstance(link, Mapping) and link.get("id")}
    for kind in OWNED_LINKS:
        if kind in found:
            return RecordRef(kind, identifier(found[kind]["id"], f"the linked {kind}"), _name(found[kind].get("name")))
    return None


def comment_from(extra: Mapping[str, Any], task_id: str) -> CommentCopy:
    """Read the comment of a `crm.task.commented` event."""
    comment = extra.get("comment")
    if not isinstance(comment, Mapping) or not comment.get("id") or not comment.get("author_id"):
        raise InvalidEvent("a comment event names the comment and its author in data.comment")
    created_at = moment(comment.get("created_at"))
    if created_at is None:
        raise InvalidEvent("a comment event gives the time of the comment")
    return CommentCopy(id=identifier(comment["id"], "the comment"), task_id=task_id,
                       author_id=identifier(comment["author_id"], "the comment's author"), created_at=created_at)


def interaction_from_state(state: Mapping[str, Any], sequence: int, *, deleted: bool) -> InteractionCopy:
    """Read an interaction copy from an interaction event's state (the entry as its API answers it)."""
    if not state.get("id"):
        raise InvalidEvent("an interaction event names the entry in data.state")
    entry_id = identifier(state["id"], "the entry")
    contact, user = state.get("contact"), state.get("user")
    record = None
    if isinstance(contact, Mapping) and contact.get("id") and contact.get("type") in ("person", "company"):
        record = RecordRef(str(contact["type"]), identifier(contact["id"], "the contact"), _name(contact.get("name")))
    user_id = user.get("id") if isinstance(user, Mapping) else None
    return InteractionCopy(
        id=entry_id, sequence=sequence, contact=record, user_id=identifier(user_id, "the user") if user_id else None,
        source=str(state.get("source") or ""), kind=state.get("kind") if isinstance(state.get("kind"), str) else None,
        canceled=state.get("status") == "canceled", processed=bool(state.get("processed")), deleted=deleted)


def _name(value: Any) -> str | None:
    return str(value) if value else None
