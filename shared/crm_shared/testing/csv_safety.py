"""Hostile cell text and a check that a CSV file is safe to open whatever its reader's list separator."""
from __future__ import annotations

import csv
import io
import random
import re

from crm_shared.tabular.safety import FORMULA_TRIGGERS

#: characters a formula injection is built from, with separators, quotes and line breaks
HOSTILE_ALPHABET = "=+-@\t\r\n,;\"' aZ1(|)!:"
#: hand-picked attacks, tried before the random ones
KNOWN_ATTACKS = (
    "=1+1", "+420 111", "-5", "@SUM(A1)", "\tcmd", "\rcmd", "a;=cmd()", "a,=cmd()", "Nováček;@x",
    'a;"=cmd()', 'a,"";"=x', "x\n=y", "x\r\n+y", ";;-1", ",\t,", '=HYPERLINK("http://evil","x")',
    "a; =x", "'=x", '"=x"', "=cmd|' /C calc'!A0",
)


def hostile_texts(count: int = 300, *, seed: int = 11) -> list[str]:
    """Return the known attacks and `count` random strings of the hostile alphabet, the same every run."""
    chance = random.Random(seed)
    generated = ["".join(chance.choices(HOSTILE_ALPHABET, k=chance.randint(1, 12))) for _ in range(count)]
    return [*KNOWN_ATTACKS, *generated]


def dangerous_cells(text: str) -> list[str]:
    """Return each piece of the file that a spreadsheet would read as a formula.

    The file is read as CSV with "," and again with ";" as the separator, and every cell is
    split once more on both, as a spreadsheet in either locale (or one that guesses) may do.
    """
    pieces = []
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                pieces += re.split("[,;]", cell)
    return [piece for piece in pieces if piece.startswith(FORMULA_TRIGGERS)]
