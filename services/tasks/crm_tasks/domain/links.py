"""A task's links: at most one person, one company, one deal and one space."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from crm_shared.links import Link, link_changes

from crm_tasks.domain.rules import broken

LINK_TYPES = ("person", "company", "deal", "space")
MAX_ID_LENGTH = 64

__all__ = ["LINK_TYPES", "Link", "link_changes", "parse_links"]


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
