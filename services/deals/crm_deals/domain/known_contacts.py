"""The deals service's copy of the contacts it links (`crm_shared.copies.supersedes` decides which event wins)."""
from __future__ import annotations

from dataclasses import dataclass


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
