"""A deal's links to persons and companies, and how a change of them is reported."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from crm_shared.changes import Change

LINK_TYPES = ("person", "company")


@dataclass(frozen=True)
class Link:
    """A deal's link to a person or company; `name` is None while the contact is not known yet."""

    type: str
    id: str
    name: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name}


def unique_links(links: Sequence[Link]) -> list[Link]:
    return list({link.key: link for link in links}.values())


def link_changes(before: Sequence[Link], after: Sequence[Link]) -> list[Change]:
    """One change per link removed (before set) or added (after set)."""
    after_keys = {link.key for link in after}
    before_keys = {link.key for link in before}
    changes = [Change("links", link.as_dict(), None) for link in before if link.key not in after_keys]
    return changes + [Change("links", None, link.as_dict()) for link in after if link.key not in before_keys]
