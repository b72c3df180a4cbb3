"""The deals service's copy of the contacts it links, and when a contact event changes it."""
from __future__ import annotations

from dataclasses import dataclass

from crm_shared.copies import is_newer


@dataclass(frozen=True)
class KnownContact:
    """What the deals service knows of a contact."""

    id: str
    kind: str
    name: str | None
    valid: bool = True
    pending: bool = False
    gone: bool = False
    sequence: int = 0
    owner_id: str | None = None

    @property
    def owner_known(self) -> bool:
        """Tell whether the copy knows whose contact this is (its event came, with an owner)."""
        return not self.pending and self.owner_id is not None


def supersedes(incoming: KnownContact, current: KnownContact | None) -> bool:
    """Tell whether a contact event's state replaces the copy's.

    A contact gone for good stays gone; a pending copy (linked before its event came) takes
    any state; a deletion keeps the version of the contact's last change, so it wins a tie.
    """
    if current is None:
        return True
    if current.gone:
        return False
    if current.pending or incoming.gone or incoming.sequence <= 0:
        return True
    return is_newer(incoming.sequence, current.sequence)
