"""Reading and writing contacts with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_contacts.adapters.tables import TABLES, contact_tags
from crm_contacts.domain.model import KINDS, Company, Contact, Person

SORTS = {
    "name": ("sort_name", False),
    "-name": ("sort_name", True),
    "created_at": ("created_at", False),
    "-created_at": ("created_at", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
}


@dataclass(frozen=True)
class ListQuery:
    """What a list of contacts is filtered and ordered by, and where the page starts."""

    kind: str
    q: str | None = None
    tag: str | None = None
    owner_id: str | None = None
    company_id: str | None = None
    include_invalid: bool = False
    sort: str = "name"
    limit: int = 50
    after: list[Any] | None = None


def sort_name(contact: Contact) -> str:
    """Return the text contacts are sorted by: surname first for persons, accents folded."""
    if isinstance(contact, Person):
        text = " ".join(p for p in (contact.last_name, contact.first_name) if p)
    else:
        text = contact.display_name
    return fold(text)[:400]


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so that "Černá" sorts and matches as "cerna"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text(contact: Contact) -> str:
    """Return the lower-cased text that `q` searches: names, emails, phones (also as digits)."""
    parts = [contact.display_name, *contact.emails, *contact.phones]
    parts += [re.sub(r"\D", "", phone) for phone in contact.phones]
    if isinstance(contact, Company):
        parts += [contact.reg_id or "", contact.vat_id or ""]
    text = " ".join(part for part in parts if part)
    return f"{text.casefold()} {fold(text)}"


class ContactRepository:
    """Persons and companies in their tables, tags in an index table for filtering."""

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
        self.connection.execute(TABLES[contact.kind].insert().values(_to_row(contact)))
        self._write_tags(contact)

    def save(self, contact: Contact, previous_tags: list[str]) -> None:
        """Write a changed contact over its stored version."""
        table = TABLES[contact.kind]
        self.connection.execute(table.update().where(table.c.id == contact.id).values(_to_row(contact)))
        if contact.tags != previous_tags:
            self._clear_tags(contact)
            self._write_tags(contact)

    def remove(self, contact: Contact) -> None:
        """Delete a contact and its tag index rows."""
        table = TABLES[contact.kind]
        self._clear_tags(contact)
        self.connection.execute(table.delete().where(table.c.id == contact.id))

    def persons_of_company(self, company_id: str, *, for_update: bool = False) -> list[Person]:
        """Return the persons whose company is `company_id`."""
        table = TABLES["person"]
        query = sa.select(table).where(table.c.company_id == company_id).order_by(table.c.id)
        if for_update:
            query = query.with_for_update()
        return [_to_contact("person", row) for row in self.connection.execute(query).mappings()]  # type: ignore[misc]

    def list(self, query: ListQuery) -> list[Contact]:
        """Return up to `limit + 1` contacts after the cursor key, in the requested order."""
        table = TABLES[query.kind]
        column_name, descending = SORTS[query.sort]
        column = table.c[column_name]
        statement = sa.select(table)
        for condition in _filters(table, query):
            statement = statement.where(condition)
        if query.after is not None:
            value = query.after[0]
            if column_name != "sort_name":
                value = datetime.fromisoformat(value)
            key = sa.tuple_(column, table.c.id)
            bound = sa.tuple_(sa.literal(value, column.type), sa.literal(query.after[1]))
            statement = statement.where(key < bound if descending else key > bound)
        order = (column.desc(), table.c.id.desc()) if descending else (column.asc(), table.c.id.asc())
        statement = statement.order_by(*order).limit(query.limit + 1)
        return [_to_contact(query.kind, row) for row in self.connection.execute(statement).mappings()]

    def _write_tags(self, contact: Contact) -> None:
        if contact.tags:
            self.connection.execute(
                contact_tags.insert(),
                [{"tag": tag, "kind": contact.kind, "contact_id": contact.id} for tag in contact.tags],
            )

    def _clear_tags(self, contact: Contact) -> None:
        self.connection.execute(contact_tags.delete().where(contact_tags.c.contact_id == contact.id))


def sort_key(contact: Contact, sort: str) -> list[Any]:
    """Return the cursor key of a contact for the given order."""
    column_name, _ = SORTS[sort]
    if column_name == "sort_name":
        return [sort_name(contact), contact.id]
    return [getattr(contact, column_name).isoformat(), contact.id]


def _filters(table: sa.Table, query: ListQuery) -> list[Any]:
    conditions: list[Any] = []
    if not query.include_invalid:
        conditions.append(table.c.valid.is_(True))
    if query.owner_id:
        conditions.append(table.c.owner_id == query.owner_id)
    if query.company_id and "company_id" in table.c:
        conditions.append(table.c.company_id == query.company_id)
    if query.tag:
        tagged = sa.select(contact_tags.c.contact_id).where(
            contact_tags.c.tag == query.tag, contact_tags.c.kind == query.kind
        )
        conditions.append(table.c.id.in_(tagged))
    if query.q:
        needle = fold(query.q.strip())
        alternatives = [table.c.search_text.contains(needle, autoescape=True)]
        digits = re.sub(r"\D", "", needle)
        if len(digits) >= 3 and re.fullmatch(r"[\d\s+()./-]+", needle):
            alternatives.append(table.c.search_text.contains(digits, autoescape=True))
        conditions.append(sa.or_(*alternatives))
    return conditions


def _to_row(contact: Contact) -> dict[str, Any]:
    row = {f.name: getattr(contact, f.name) for f in fields(contact)}
    row["sort_name"] = sort_name(contact)
    row["search_text"] = search_text(contact)
    return row


def _to_contact(kind: str, row: Any) -> Contact:
    cls = KINDS[kind]
    names = {f.name for f in fields(cls)}
    return cls(**{key: value for key, value in row.items() if key in names})
