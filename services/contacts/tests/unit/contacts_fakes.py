"""In-memory repositories of the contacts service, for use-case tests on the fake unit of work."""
from __future__ import annotations

from typing import Any

from crm_shared.envelope import Actor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryRepository
from crm_shared.visibility import Seer

from crm_contacts.domain.groups import Group
from crm_contacts.domain.imports import ImportJob, ImportRow
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

    def add_many(self, contacts: list[Contact]) -> None:
        for contact in contacts:
            self.add(contact)

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


class InMemoryImports:
    """Import jobs, their rows and the keys of imported rows."""

    def __init__(self) -> None:
        self.jobs: dict[str, ImportJob] = {}
        self.job_rows: dict[str, list[ImportRow]] = {}
        self.keys: dict[str, dict[str, Any]] = {}

    def add_job(self, job: ImportJob, rows: Any) -> None:
        self.jobs[job.id], self.job_rows[job.id] = job, list(rows)

    def get_job(self, job_id: str, *, for_update: bool = False) -> ImportJob | None:
        return self.jobs.get(job_id)

    def save_job(self, job: ImportJob, *, claimed_until: Any) -> None:
        self.jobs[job.id] = job

    def rows(self, job_id: str, *, after: int, limit: int) -> list[ImportRow]:
        return self.job_rows[job_id][after:after + limit]

    def refuse_rows(self, job_id: str, refused: list[ImportRow]) -> None:
        by_number = {row.number: row for row in refused}
        self.job_rows[job_id] = [by_number.get(row.number, row) for row in self.job_rows[job_id]]

    def invalid_rows(self, job_id: str, limit: int) -> list[ImportRow]:
        return [row for row in self.job_rows[job_id] if row.errors][:limit]

    def forget_values(self, job_id: str) -> None:
        self.job_rows[job_id] = [row for row in self.job_rows[job_id] if row.errors]

    def existing_keys(self, keys: Any) -> set[str]:
        return {key for key in keys if key in self.keys}

    def add_keys(self, keys: list[dict[str, Any]]) -> None:
        for key in keys:
            assert key["key"] not in self.keys
            self.keys[key["key"]] = key


def user(user_id: str = "u-1", name: str = "Eva Svobodová", role: str = "user", team: tuple[str, ...] = ()) -> Seer:
    return Seer(id=user_id, role=role, team=team, name=name)


def contacts_uow(*contacts: Contact, links: tuple[Link, ...] = (), groups: tuple[Group, ...] = (),
                 caller: Seer | None = None) -> Any:
    caller = caller or user()
    return FakeUnitOfWork(
        actor=Actor(caller.id, caller.name), viewer=caller,
        contacts=InMemoryContacts(*contacts), groups=InMemoryGroups(groups), links=InMemoryLinks(*links),
        imports=InMemoryImports(),
    )
