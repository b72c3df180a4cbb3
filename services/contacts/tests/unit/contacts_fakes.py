"""In-memory repositories of the contacts service, for use-case tests on the fake unit of work."""
from __future__ import annotations

from typing import Any

from crm_shared.envelope import Actor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryRepository
from crm_shared.visibility import Seer

from crm_contacts.domain.groups import Group
from crm_contacts.domain.links import Link
from crm_contacts.domain.model import Contact, Person


class InMemoryContacts:
    """Persons and companies by kind and id."""

    def __init__(self, *contacts: Contact) -> None:
        self.items: dict[tuple[str, str], Contact] = {(c.kind, c.id): c for c in contacts}

    def get(self, kind: str, contact_id: str, *, for_update: bool = False) -> Contact | None:
        return self.items.get((kind, contact_id))

    def exists(self, kind: str, contact_id: str) -> bool:
        return (kind, contact_id) in self.items

    def add(self, contact: Contact) -> None:
        self.items[(contact.kind, contact.id)] = contact

    def save(self, contact: Contact, previous: Any) -> None:
        self.items[(contact.kind, contact.id)] = contact

    def remove(self, contact: Contact) -> None:
        del self.items[(contact.kind, contact.id)]

    def persons_of_company(self, company_id: str, *, for_update: bool = False) -> list[Person]:
        return [c for c in self.items.values() if isinstance(c, Person) and c.company_id == company_id]

    def members_of_group(self, group_id: str, *, for_update: bool = False) -> list[Contact]:
        return [c for c in self.items.values() if group_id in c.groups]


class InMemoryGroups(InMemoryRepository[Group]):
    def existing_ids(self, group_ids: list[str]) -> set[str]:
        return {group_id for group_id in group_ids if group_id in self.items}


class InMemoryLinks:
    """The links other services' events reported, per contact."""

    def __init__(self, *links: Link) -> None:
        self.links = list(links)

    def of_contact(self, contact_id: str) -> list[Link]:
        return [link for link in self.links if link.contact_id == contact_id]

    def drop_contact(self, contact_id: str) -> None:
        self.links = [link for link in self.links if link.contact_id != contact_id]

    def move(self, source_id: str, target_kind: str, target_id: str) -> None:
        kept = {(link.object_type, link.object_id) for link in self.of_contact(target_id)}
        for link in self.of_contact(source_id):
            if (link.object_type, link.object_id) not in kept:
                self.links.append(Link(target_kind, target_id, link.object_type, link.object_id, link.object_name))
        self.drop_contact(source_id)


def user(user_id: str = "u-1", name: str = "Eva Svobodová", role: str = "user", team: tuple[str, ...] = ()) -> Seer:
    return Seer(id=user_id, role=role, team=team, name=name)


def contacts_uow(*contacts: Contact, links: tuple[Link, ...] = (), groups: tuple[Group, ...] = (),
                 caller: Seer | None = None) -> Any:
    caller = caller or user()
    return FakeUnitOfWork(
        actor=Actor(caller.id, caller.name), viewer=caller,
        contacts=InMemoryContacts(*contacts), groups=InMemoryGroups(groups), links=InMemoryLinks(*links),
    )
