"""A deal's links to persons and companies, and how a change of them is reported."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable


LINK_TYPES = ("person", "company")


#: the `awaiting` of a link asked for by someone who sees every contact
EVERYONE = "*"


@dataclass(frozen=True)
class Link:
    """A deal's link to a person or company; `name` is None while the contact is not known yet.

    A link the linking user could not see the contact of is `hidden`: it is answered like a
    link to an unknown id (no name), it is left out of the deal's events (so it never blocks
    the contact's deletion nor shows the deal to the contact's owner) and contact events do not
    move or remove it. A link to a contact not known yet is `awaiting` its event, with the
    owners whose contacts the linking user saw; the event settles it as a link or as hidden.
    """

    type: str
    id: str
    name: str | None = None
    hidden: bool = False
    awaiting: tuple[str, ...] | None = None
    #: the contact's owner as the copy knows it (None: not known), for whom its name is shown
    owner_id: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name}

    @property
    def reported(self) -> bool:
        """Tell whether the deal's events report this link (every link but a hidden one)."""
        return not self.hidden

    def seen_by(self, sees: Callable[[str | None], bool]) -> "Link":
        """Return the link as a reader sees it: the name only of a settled contact they may see."""
        if self.name is None or (not self.hidden and self.awaiting is None and sees(self.owner_id)):
            return self
        return replace(self, name=None)

    def settled(self, owner_id: str | None, name: str | None) -> "Link":
        """Return an awaiting link judged by its contact's owner: a plain link, or hidden."""
        if self.awaiting is None or owner_id is None:
            return self
        if EVERYONE in self.awaiting or owner_id in self.awaiting:
            return replace(self, awaiting=None, name=name, owner_id=owner_id)
        return replace(self, awaiting=None, hidden=True, name=None, owner_id=owner_id)
