"""Spreadsheet safety for every export: user text never becomes a formula (X-11)."""
from __future__ import annotations

import re

#: first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A spreadsheet whose locale separates lists with ";" splits "a;=cmd()" into two cells, and
# one that guesses the separator may split on ","; reading with the other separator, it
# also takes a quoted line break for the end of a row and a quote after a separator for
# the start of a quoted cell. So a trigger after a separator or a line break inside a cell,
# with or without quotes between them, is as dangerous as one at the cell's start.
_TRIGGER_AFTER_SEPARATOR = re.compile(r'([,;\r\n]"*)(?=[=+\-@\t\r])')

def escape_formula(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe, so it stays text."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def defuse_csv_cell(text: str) -> str:
    """Make a CSV cell safe in any locale: an apostrophe before each trigger at its start or after a separator."""
    return escape_formula(_TRIGGER_AFTER_SEPARATOR.sub("\\1'", text))
