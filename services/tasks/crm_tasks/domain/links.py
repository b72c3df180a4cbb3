"""A task's links: at most one person, one company, one deal and one space."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from crm_shared.changes import Change

from crm_tasks.domain.rules import broken

LINK_TYPES = ("person", "company", "deal", "space")
MAX_ID_LENGTH = 64


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


def parse_links(items: Sequence[Mapping[str, Any] | Link] | None) -> tuple[Link, ...]:
    """Return the links in order, repeated ones once; two different links of one type break the rule."""
    links: dict[str, Link] = {}
    for index, item in enumerate(items or ()):
        link = item if isinstance(item, Link) else _link(index, item)
        if link.type in links and links[link.type].id != link.id:
            raise broken("links", f"At most one link of each type ({', '.join(LINK_TYPES)}).")
        links[link.type] = link
    return tuple(links.values())


def _link(index: int, item: Mapping[str, Any]) -> Link:
    kind, link_id = item.get("type"), item.get("id")
    if kind not in LINK_TYPES:
        raise broken(f"links.{index}.type", f"One of {', '.join(LINK_TYPES)}.")
    if not isinstance(link_id, str) or not link_id.strip() or len(link_id) > MAX_ID_LENGTH:
        raise broken(f"links.{index}.id", "Give the id of the linked record.")
    return Link(type=kind, id=link_id.strip(), name=item.get("name"))


def link_changes(before: Sequence[Link], after: Sequence[Link]) -> list[Change]:
    """One change per link removed (before set) or added (after set)."""
    after_keys = {link.key for link in after}
    before_keys = {link.key for link in before}
    changes = [Change("links", link.as_dict(), None) for link in before if link.key not in after_keys]
    return changes + [Change("links", None, link.as_dict()) for link in after if link.key not in before_keys]
