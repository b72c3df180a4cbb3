"""What a table's cell may hold, and how a cell reads as text."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Sequence, Union

#: one cell: None is an empty cell
Cell = Union[str, int, float, Decimal, bool, date, datetime, None]
#: one line of a table, in the order of its header
Row = Sequence[Cell]


def cell_text(value: Cell) -> str:
    """Return a cell as text: None empty, dates and times in ISO 8601, booleans as true / false."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
