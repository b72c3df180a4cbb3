"""Spreadsheet safety for every export: user text never becomes a formula (X-11)."""
from __future__ import annotations

from typing import Any

#: first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter turns text starting with "=" into a formula and URL-like text into links
# unless told otherwise; user data must always stay plain text.
XLSX_OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def escape_formula(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe, so it stays text."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
