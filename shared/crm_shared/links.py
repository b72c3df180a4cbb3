"""A record's links to records of other kinds (and services), and how a change of them is audited.

One shape on the wire and in events, `{"type", "id", "name"}`, the one the contacts service's
record of links reads (`crm_contacts.domain.links.links_of`). `name` is None while the
linked record is not known to the linking service yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence, TypeVar

from crm_shared.changes import Change


@dataclass(frozen=True)
class Link:
    """A link to a record of another kind; `name` is None while the record is not known."""

    type: str
    id: str
    name: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name}


class Linked(Protocol):
    """Anything that links like `Link` does: a key and its wire shape."""

    @property
    def key(self) -> tuple[str, str]: ...

    def as_dict(self) -> dict[str, Any]: ...


L = TypeVar("L", bound=Linked)


def unique_links(links: Sequence[L]) -> list[L]:
    """Return the links in order, a repeated one once (the last of it wins)."""
    return list({link.key: link for link in links}.values())


def link_changes(before: Sequence[Linked], after: Sequence[Linked]) -> list[Change]:
    """One change per link removed (before set) or added (after set)."""
    after_keys = {link.key for link in after}
    before_keys = {link.key for link in before}
    changes = [Change("links", link.as_dict(), None) for link in before if link.key not in after_keys]
    return changes + [Change("links", None, link.as_dict()) for link in after if link.key not in before_keys]
