"""Product lines of a deal: parsed and checked field by field, totals computed here, never trusted."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Sequence

from crm_shared.changes import Change

from crm_deals.domain.money import HUNDRED, as_text, line_total, to_decimal
from crm_deals.domain.rules import DealRuleBroken, broken


@dataclass(frozen=True)
class ProductLine:
    """A product line; its total is always computed here, never taken from input."""

    id: str
    product: str | None
    code: str | None
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    total: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "product": self.product, "code": self.code,
            "quantity": as_text(self.quantity), "unit_price": as_text(self.unit_price),
            "discount_percent": as_text(self.discount_percent), "total": as_text(self.total),
        }


def parse_lines(items: Sequence[Mapping[str, Any]], current: Sequence[ProductLine], currency: str) -> list[ProductLine]:
    known = {line.id for line in current}
    return [_line(index, item, known, currency) for index, item in enumerate(items or [])]


def _line(index: int, item: Mapping[str, Any], known: set[str], currency: str) -> ProductLine:
    where = f"products.{index}"
    line_id = item.get("id")
    if line_id is not None and line_id not in known:
        raise broken(f"{where}.id", "No product line with this id in this deal.")
    product = (item.get("product") or "").strip() or None
    code = (item.get("code") or "").strip() or None
    if not (product or code):
        raise broken(f"{where}.product", "Name the product or give its code.")
    quantity = decimal_field(f"{where}.quantity", item.get("quantity", 1))
    unit_price = decimal_field(f"{where}.unit_price", item.get("unit_price"))
    discount = decimal_field(f"{where}.discount_percent", item.get("discount_percent") or 0)
    if quantity <= 0:
        raise broken(f"{where}.quantity", "Must be greater than zero.")
    if unit_price < 0:
        raise broken(f"{where}.unit_price", "Must not be negative.")
    if not 0 <= discount <= HUNDRED:
        raise broken(f"{where}.discount_percent", "Must be between 0 and 100.")
    return ProductLine(
        id=line_id or str(uuid.uuid4()), product=product, code=code, quantity=quantity, unit_price=unit_price,
        discount_percent=discount, total=checked_total(where, quantity, unit_price, discount, currency),
    )


def checked_total(where: str, quantity: Decimal, unit_price: Decimal, discount: Decimal, currency: str) -> Decimal:
    """Return a line's total; one out of range breaks the rule on its quantity and unit price."""
    try:
        return line_total(quantity, unit_price, discount, currency)
    except ValueError as exc:
        raise DealRuleBroken({f"{where}.quantity": [str(exc)], f"{where}.unit_price": [str(exc)]}) from None


def decimal_field(field_name: str, value: Any) -> Decimal:
    if value is None:
        raise broken(field_name, "Missing data for required field.")
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise broken(field_name, str(exc)) from None


def line_changes(before: Sequence[ProductLine], after: Sequence[ProductLine]) -> list[Change]:
    """One change per product line added, removed or changed, each with the whole line."""
    old = {line.id: line for line in before}
    new = {line.id: line for line in after}
    changes = [Change("products", line.as_dict(), None) for line in before if line.id not in new]
    for line in after:
        previous = old.get(line.id)
        if previous is None:
            changes.append(Change("products", None, line.as_dict()))
        elif previous.as_dict() != line.as_dict():
            changes.append(Change("products", previous.as_dict(), line.as_dict()))
    return changes
