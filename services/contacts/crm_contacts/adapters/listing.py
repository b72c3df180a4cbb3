"""Lists of contacts: filters, visibility, sorting and keyset pages in SQL."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from crm_contacts.adapters.tables import TABLES, contact_groups, contact_tags
from crm_contacts.domain.listing import SORTS, ListQuery
from crm_contacts.domain.model import Contact, Person

__all__ = ["SORTS", "ListQuery", "fold", "list_statement", "sort_key", "sort_name"]

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


def cursor_types(sort: str) -> tuple[type, type]:
    """Return the types of a cursor key for the given order: the sort value, then the id."""
    return (str, str) if SORTS[sort][0] == "sort_name" else (datetime, str)


def sort_key(contact: Contact, sort: str) -> list[Any]:
    """Return the cursor key of a contact for the given order."""
    column_name, _ = SORTS[sort]
    if column_name == "sort_name":
        return [sort_name(contact), contact.id]
    return [getattr(contact, column_name).isoformat(), contact.id]


def list_statement(query: ListQuery) -> sa.Select:
    """Return the SELECT of up to `limit + 1` contacts after the cursor key, in order."""
    table = TABLES[query.kind]
    column_name, descending = SORTS[query.sort]
    column = table.c[column_name]
    statement = sa.select(table)
    for condition in filters(table, query):
        statement = statement.where(condition)
    if query.after is not None:
        key = sa.tuple_(column, table.c.id)
        bound = sa.tuple_(sa.literal(query.after[0], column.type), sa.literal(query.after[1]))
        statement = statement.where(key < bound if descending else key > bound)
    order = (column.desc(), table.c.id.desc()) if descending else (column.asc(), table.c.id.asc())
    return statement.order_by(*order).limit(query.limit + 1)


def filters(table: sa.Table, query: ListQuery) -> list[Any]:
    """Return the WHERE conditions of a list query."""
    conditions: list[Any] = []
    if query.visible_owners is not None:
        conditions.append(table.c.owner_id.in_(query.visible_owners))
    if not query.include_invalid:
        conditions.append(table.c.valid.is_(True))
    if query.owner_id:
        conditions.append(table.c.owner_id == query.owner_id)
    if query.company_id and "company_id" in table.c:
        conditions.append(table.c.company_id == query.company_id)
    for index, column, value in ((contact_tags, "tag", query.tag), (contact_groups, "group_id", query.group_id)):
        if value:
            members = sa.select(index.c.contact_id).where(index.c[column] == value, index.c.kind == query.kind)
            conditions.append(table.c.id.in_(members))
    if query.q:
        conditions.append(_search(table, query.q))
    return conditions


def _search(table: sa.Table, q: str) -> Any:
    needle = fold(q.strip())
    alternatives = [table.c.search_text.contains(needle, autoescape=True)]
    digits = re.sub(r"\D", "", needle)
    if len(digits) >= 3 and re.fullmatch(r"[\d\s+()./-]+", needle):
        alternatives.append(table.c.search_text.contains(digits, autoescape=True))
    return sa.or_(*alternatives)
