"""A record's links to records of other kinds (and services), and how a change of them is audited.

One shape on the wire and in events, `{"type", "id", "name"}`, the one the contacts service's
record of links reads (`crm_contacts.domain.links.links_of`). `name` is None while the
linked record is not known to the linking service yet.

A link never tells whether a record the linking user may not see exists: such a link is
`hidden` (nameless, left out of the linking record's events, untouched by the linked record's
events), and a link to a record not known yet is `awaiting` its event with the owners whose
records the linking user sees; the event settles it as a plain link or as hidden
(`crm_shared.linking` judges the links a request asks for).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Protocol, Sequence, TypeVar

from crm_shared.changes import Change

#: the `awaiting` of a link asked for by someone who sees every record
EVERYONE = "*"
#: the kinds of record the contacts service owns, as links and events name them
CONTACT_KINDS = ("person", "company")
#: the longest record id an event may name and a copy keeps (UUIDs, and the few fixed ids such as `system`)
MAX_ID_LENGTH = 36


@dataclass(frozen=True)
class Link:
    """A link to a record of another kind; `name` is None while the record is not known."""

    type: str
    id: str
    name: str | None = None
    hidden: bool = False
    awaiting: tuple[str, ...] | None = None
    #: the linked record's owner as the copy knows it (None: not known), for whom its name is shown
    owner_id: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name}

    @property
    def reported(self) -> bool:
        """Tell whether the linking record's events report this link (every link but a hidden one)."""
        return not self.hidden

    def seen_by(self, sees: Callable[["Link"], bool]) -> "Link":
        """Return the link as a reader sees it: the name only of a settled record they may see."""
        if self.name is None or (not self.hidden and self.awaiting is None and sees(self)):
            return self
        return replace(self, name=None)

    def settled(self, owner_id: str | None, name: str | None) -> "Link":
        """Return an awaiting link judged by its record's owner: a plain link, or hidden."""
        if self.awaiting is None or owner_id is None:
            return self
        if EVERYONE in self.awaiting or owner_id in self.awaiting:
            return replace(self, awaiting=None, name=name, owner_id=owner_id)
        return replace(self, awaiting=None, hidden=True, name=None, owner_id=owner_id)


def settle(links: Sequence[Link], record_id: str, owner_id: str | None,
           name: str | None) -> tuple[list[Link], list[Change]]:
    """Judge the links awaiting this record by its owner; return them and one `links` change
    (the link before, nothing after) per link the linking record's events no longer report."""
    settled = [link.settled(owner_id, name) if link.id == record_id else link for link in links]
    withdrawn = [Change("links", replace(before, name=None).as_dict(), None)
                 for before, after in zip(links, settled) if after.hidden and not before.hidden]
    return settled, withdrawn


def relinked(links: Sequence[Link], record_id: str, target: Link | None) -> list[Link]:
    """Move the links to `record_id` onto `target` (a merge's survivor), or drop them (None).

    Hidden links stay as they are, like links to ids that never became records; a moved link
    still awaiting its record keeps awaiting (the survivor's event judges it).
    """
    def moved(link: Link) -> Link:
        assert target is not None
        return replace(target, awaiting=link.awaiting) if link.awaiting is not None else target

    return [moved(link) if link.id == record_id and target and not link.hidden else link
            for link in links if link.id != record_id or target or link.hidden]


def renamed(links: Sequence[Link], record_id: str, name: str | None) -> list[Link]:
    """Return the links with the linked record's new name (an erased person's); hidden and
    nameless links stay nameless."""
    return [replace(link, name=name) if link.id == record_id and link.name is not None else link for link in links]


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
