"""Reading and writing contacts with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_contacts.adapters.listing import SORTS, ListQuery, fold, list_statement, sort_key, sort_name
from crm_contacts.adapters.tables import TABLES, contact_groups, contact_tags
from crm_contacts.domain.model import KINDS, Company, Contact, Person

__all__ = ["SORTS", "ContactRepository", "ListQuery", "fold", "search_text", "sort_key", "sort_name"]


def search_text(contact: Contact) -> str:
    """Return the lower-cased text that `q` searches: names, emails, phones (also as digits)."""
    parts = [contact.display_name, *contact.emails, *contact.phones]
    parts += [re.sub(r"\D", "", phone) for phone in contact.phones]
    if isinstance(contact, Company):
        parts += [contact.reg_id or "", contact.vat_id or ""]
    text = " ".join(part for part in parts if part)
    return f"{text.casefold()} {fold(text)}"


class ContactRepository:
    """Persons and companies in their tables, tags and groups in index tables for filtering."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, kind: str, contact_id: str, *, for_update: bool = False) -> Contact | None:
        """Load a contact by id; with `for_update`, hold its row lock until commit."""
        table = TABLES[kind]
        query = sa.select(table).where(table.c.id == contact_id)
        if for_update:
            query = query.with_for_update()
        row = self.connection.execute(query).mappings().first()
        return _to_contact(kind, row) if row else None

    def exists(self, kind: str, contact_id: str) -> bool:
        """Tell whether a contact exists."""
        table = TABLES[kind]
        return self.connection.execute(sa.select(table.c.id).where(table.c.id == contact_id)).first() is not None

    def add(self, contact: Contact) -> None:
        """Insert a new contact."""
        self.connection.execute(TABLES[contact.kind].insert(), _to_row(contact))
        self._write_index(contact, contact_tags, "tag", contact.tags)
        self._write_index(contact, contact_groups, "group_id", contact.groups)

    def add_many(self, contacts: list[Contact]) -> None:
        """Insert new contacts of one kind with one statement per table (an import's batch)."""
        if not contacts:
            return
        self.connection.execute(TABLES[contacts[0].kind].insert(), [_to_row(contact) for contact in contacts])
        for table, column, attribute in ((contact_tags, "tag", "tags"), (contact_groups, "group_id", "groups")):
            rows = [{column: value, "kind": contact.kind, "contact_id": contact.id}
                    for contact in contacts for value in getattr(contact, attribute)]
            if rows:
                self.connection.execute(table.insert(), rows)

    def save(self, contact: Contact, previous: Contact | list[str]) -> None:
        """Write a changed contact over its stored version (`previous`: as it was loaded)."""
        table = TABLES[contact.kind]
        self.connection.execute(table.update().where(table.c.id == contact.id), _to_row(contact))
        previous_tags = previous if isinstance(previous, list) else previous.tags
        if contact.tags != previous_tags:
            self._clear_index(contact, contact_tags)
            self._write_index(contact, contact_tags, "tag", contact.tags)
        if isinstance(previous, list) or contact.groups != previous.groups:
            self._clear_index(contact, contact_groups)
            self._write_index(contact, contact_groups, "group_id", contact.groups)

    def remove(self, contact: Contact) -> None:
        """Delete a contact and its index rows."""
        table = TABLES[contact.kind]
        self._clear_index(contact, contact_tags)
        self._clear_index(contact, contact_groups)
        self.connection.execute(table.delete().where(table.c.id == contact.id))

    def persons_of_company(self, company_id: str, *, for_update: bool = False) -> list[Person]:
        """Return the persons whose company is `company_id`."""
        table = TABLES["person"]
        query = sa.select(table).where(table.c.company_id == company_id).order_by(table.c.id)
        if for_update:
            query = query.with_for_update()
        return [_to_contact("person", row) for row in self.connection.execute(query).mappings()]  # type: ignore[misc]

    def members_of_group(self, group_id: str, *, for_update: bool = False) -> list[Contact]:
        """Return the contacts in a group, persons first."""
        members: list[Contact] = []
        for kind, table in TABLES.items():
            ids = sa.select(contact_groups.c.contact_id).where(
                contact_groups.c.group_id == group_id, contact_groups.c.kind == kind
            )
            query = sa.select(table).where(table.c.id.in_(ids)).order_by(table.c.sort_name, table.c.id)
            if for_update:
                query = query.with_for_update()
            members += [_to_contact(kind, row) for row in self.connection.execute(query).mappings()]
        return members

    def list(self, query: ListQuery) -> list[Contact]:
        """Return up to `limit + 1` contacts after the cursor key, in the requested order."""
        rows = self.connection.execute(list_statement(query)).mappings()
        return [_to_contact(query.kind, row) for row in rows]

    def _write_index(self, contact: Contact, table: sa.Table, column: str, values: list[str]) -> None:
        if values:
            self.connection.execute(
                table.insert(), [{column: value, "kind": contact.kind, "contact_id": contact.id} for value in values]
            )

    def _clear_index(self, contact: Contact, table: sa.Table) -> None:
        self.connection.execute(table.delete().where(table.c.contact_id == contact.id))


def _to_row(contact: Contact) -> dict[str, Any]:
    row = {f.name: getattr(contact, f.name) for f in fields(contact)}
    row["sort_name"] = sort_name(contact)
    row["search_text"] = search_text(contact)
    return row


def _to_contact(kind: str, row: Any) -> Contact:
    cls = KINDS[kind]
    names = {f.name for f in fields(cls)}
    values = {key: value for key, value in row.items() if key in names}
    # rows written before migration 0002 have no groups or consents yet
    values["groups"] = values.get("groups") or []
    values["consents"] = values.get("consents") or {}
    return cls(**values)
