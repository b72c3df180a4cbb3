"""Exact decimals (money, quantities) read from the wire and written back as plain strings.

Every stored amount keeps at most four decimals below 10^14: exactly what the kit's `Money`
column holds on SQLite (integers of 1/10,000) and PostgreSQL (NUMERIC(20, 4)).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

#: the most decimals any stored amount, quantity or price may have
PLACES = Decimal("0.0001")
#: every amount is below this: it keeps four decimals exactly in a 64-bit integer of 1/10,000
#: (SQLite) and in the NUMERIC(20, 4) columns (PostgreSQL)
LIMIT = Decimal(10) ** 14
OUT_OF_RANGE = "Out of range: at most 14 digits before the decimal point."


def to_decimal(value: Any) -> Decimal:
    """Read an exact decimal from a string or number (a float as the digits it was written with)."""
    if isinstance(value, bool):
        raise ValueError("Not a valid decimal number.")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("Not a valid decimal number.") from None
    if not number.is_finite():
        raise ValueError("Not a finite number.")
    if abs(number) >= LIMIT:
        raise ValueError(OUT_OF_RANGE)
    if number != number.quantize(PLACES, rounding=ROUND_HALF_UP):
        raise ValueError("At most four decimal places.")
    return number


def as_text(amount: Decimal | None) -> str | None:
    """Write an amount as a plain string ("1234.50"), never in exponent notation."""
    return None if amount is None else format(amount, "f")


def in_range(amount: Decimal) -> bool:
    """Tell whether an amount can be stored."""
    return abs(amount) < LIMIT
