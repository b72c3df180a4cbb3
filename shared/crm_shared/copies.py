"""Copies of other services' records kept from their events: only a newer event counts.

At-least-once delivery may repeat or reorder one object's events; each event carries the
object's sequence (its version), and a copy remembers the sequence it was built from.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


def is_newer(sequence: int, applied: int | None) -> bool:
    """Tell whether an event of this sequence is newer than the copy's (None: no copy yet)."""
    return applied is None or sequence > applied


@dataclass(frozen=True)
class KnownRecord:
    """What a service knows of another service's record it links: kind, name, owner, state.

    `pending`: linked before its first event arrived; `gone`: deleted or merged into another.
    """

    id: str
    kind: str
    name: str | None
    owner_id: str | None = None
    valid: bool = True
    pending: bool = False
    gone: bool = False
    sequence: int = 0

    @property
    def owner_known(self) -> bool:
        """Tell whether the copy knows whose record this is (its event came, with an owner)."""
        return not self.pending and self.owner_id is not None


class Copied(Protocol):
    """What `supersedes` reads of a copy or of an incoming state."""

    @property
    def pending(self) -> bool: ...

    @property
    def gone(self) -> bool: ...

    @property
    def sequence(self) -> int: ...


def supersedes(incoming: Copied, current: Copied | None) -> bool:
    """Tell whether a record event's state replaces the copy's.

    A record gone for good stays gone; a pending copy takes any state; a deletion keeps the
    version of the record's last change, so it wins a tie.
    """
    if current is None:
        return True
    if current.gone:
        return False
    if current.pending or incoming.gone or incoming.sequence <= 0:
        return True
    return is_newer(incoming.sequence, current.sequence)
