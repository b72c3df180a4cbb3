"""Reading and writing deals with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.visibility import visible_owners

from crm_deals.adapters.contacts_copy import names_of
from crm_deals.adapters.tables import deal_links, deals
from crm_deals.domain.deal_query import SORTS, DealQuery
from crm_deals.domain.deals import Deal
from crm_deals.domain.lines import ProductLine
from crm_deals.domain.links import Link
from crm_deals.domain.money import in_minor_units, to_decimal



class DealRepository:
    """Deals in their table, links in an index table so that deals can be found by contact."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, deal_id: str, *, for_update: bool = False) -> Deal | None:
        """Load a deal with its links; with `for_update`, hold its row lock until commit."""
        query = sa.select(deals).where(deals.c.id == deal_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return self._with_links([row])[0] if row else None

    def add(self, deal: Deal) -> None:
        """Insert a new deal and its links."""
        self.connection.execute(deals.insert(), _deal_row(deal))
        self._write_links(deal)

    def save(self, deal: Deal) -> None:
        """Write a changed deal over its stored version, links included."""
        self.connection.execute(deals.update().where(deals.c.id == deal.id), _deal_row(deal))
        self.connection.execute(deal_links.delete().where(deal_links.c.deal_id == deal.id))
        self._write_links(deal)

    def remove(self, deal: Deal) -> None:
        """Delete a deal and its links."""
        self.connection.execute(deal_links.delete().where(deal_links.c.deal_id == deal.id))
        self.connection.execute(deals.delete().where(deals.c.id == deal.id))

    def linking(self, contact_id: str) -> list[Deal]:
        """Return the deals linked to a contact, locked for update, in id order."""
        linked = sa.select(deal_links.c.deal_id).where(deal_links.c.contact_id == contact_id)
        query = sa.select(deals).where(deals.c.id.in_(linked)).order_by(deals.c.id).with_for_update()
        return self._with_links(list(self.connection.execute(query).mappings()))

    def awaiting(self, contact_id: str) -> list[Deal]:
        """Return the deals with a link still awaiting this contact's event, locked for update, in id order."""
        linked = sa.select(deal_links.c.deal_id).where(deal_links.c.contact_id == contact_id,
                                                       deal_links.c.awaiting.is_not(None))
        query = sa.select(deals).where(deals.c.id.in_(linked)).order_by(deals.c.id).with_for_update()
        return self._with_links(list(self.connection.execute(query).mappings()))

    def list(self, query: DealQuery) -> list[Deal]:
        """Return up to `limit + 1` visible deals after the cursor key, in the requested order."""
        column_name = query.sort.removeprefix("-")
        descending = SORTS[query.sort]
        column = deals.c[column_name]
        statement = sa.select(deals).where(*filters(query))
        if query.after is not None:
            key = sa.tuple_(column, deals.c.id)
            bound = sa.tuple_(sa.literal(query.after[0], column.type), sa.literal(query.after[1]))
            statement = statement.where(key < bound if descending else key > bound)
        order = (column.desc(), deals.c.id.desc()) if descending else (column.asc(), deals.c.id.asc())
        rows = self.connection.execute(statement.order_by(*order).limit(query.limit + 1)).mappings()
        return self._with_links(list(rows))

    def summary(self, query: DealQuery) -> list[dict[str, Any]]:
        """Return count and total value per stage and currency of the visible deals."""
        statement = (
            sa.select(deals.c.stage_id, deals.c.currency, sa.func.count().label("count"),
                      sa.func.sum(deals.c.value).label("total"))
            .where(*filters(query))
            .group_by(deals.c.stage_id, deals.c.currency)
        )
        return [dict(row) for row in self.connection.execute(statement).mappings()]

    def _write_links(self, deal: Deal) -> None:
        if deal.links:
            self.connection.execute(deal_links.insert(), [
                {"deal_id": deal.id, "contact_id": link.id, "contact_type": link.type, "position": index,
                 "hidden": link.hidden, "awaiting": list(link.awaiting) if link.awaiting is not None else None}
                for index, link in enumerate(deal.links)
            ])

    def _with_links(self, rows: list[Any]) -> list[Deal]:
        ids = [row["id"] for row in rows]
        links: dict[str, list[Link]] = {deal_id: [] for deal_id in ids}
        if ids:
            query = sa.select(deal_links).where(deal_links.c.deal_id.in_(ids)).order_by(
                deal_links.c.deal_id, deal_links.c.position)
            found = list(self.connection.execute(query).mappings())
            names = names_of(self.connection, {row["contact_id"] for row in found})
            for row in found:
                name, owner_id = names.get(row["contact_id"], (None, None))
                awaiting = tuple(row["awaiting"]) if row["awaiting"] is not None else None
                links[row["deal_id"]].append(Link(row["contact_type"], row["contact_id"],
                                                  None if row["hidden"] else name, hidden=bool(row["hidden"]),
                                                  awaiting=awaiting, owner_id=owner_id))
        return [_to_deal(row, links[row["id"]]) for row in rows]


def filters(query: DealQuery) -> list[Any]:
    """Return the SQL conditions of a deal query, visibility included."""
    owners = visible_owners(query.viewer)
    conditions: list[Any] = [] if owners is None else [deals.c.owner_id.in_(owners)]
    for name in ("status", "process_id", "stage_id", "owner_id"):
        if getattr(query, name):
            conditions.append(deals.c[name] == getattr(query, name))
    if query.contact_id:
        conditions.append(deals.c.id.in_(
            sa.select(deal_links.c.deal_id).where(deal_links.c.contact_id == query.contact_id)))
    if query.close_from:
        conditions.append(deals.c.planned_close_date >= query.close_from)
    if query.close_to:
        conditions.append(deals.c.planned_close_date <= query.close_to)
    return conditions


#: The types of a cursor key, whatever the order: the timestamp sorted by, then the id.
CURSOR_TYPES = (datetime, str)


def sort_key(deal: Deal, sort: str) -> list[Any]:
    """Return the cursor key of a deal for the given order."""
    return [getattr(deal, sort.removeprefix("-")).isoformat(), deal.id]


def _deal_row(deal: Deal) -> dict[str, Any]:
    row = {f.name: getattr(deal, f.name) for f in fields(deal) if f.name != "links"}
    row["products"] = [line.as_dict() for line in deal.products]
    return row


def _to_deal(row: Any, links: list[Link]) -> Deal:
    data = dict(row)
    data["value"] = in_minor_units(Decimal(data["value"]), data["currency"])
    data["products"] = [_to_line(item) for item in data["products"]]
    return Deal(**data, links=links)


def _to_line(item: dict[str, Any]) -> ProductLine:
    return ProductLine(
        id=item["id"], product=item.get("product"), code=item.get("code"),
        quantity=to_decimal(item["quantity"]), unit_price=to_decimal(item["unit_price"]),
        discount_percent=to_decimal(item["discount_percent"]), total=Decimal(item["total"]),
    )
