"""Rendering rows of figures, baselines, ratios and aims as one plain-text table."""
from __future__ import annotations

import math
from dataclasses import dataclass

COLUMNS = ("measurement", "figure", "baseline (same run)", "baseline figure", "ratio", "aim", "verdict")


@dataclass(frozen=True)
class Row:
    """One line of the table; `met` is None where the line has no aim."""

    measurement: str
    figure: str = ""
    baseline: str = ""
    baseline_figure: str = ""
    ratio: str = ""
    aim: str = ""
    met: bool | None = None

    def cells(self) -> tuple[str, ...]:
        """Return the line's cells, the verdict spelled out."""
        verdict = "" if self.met is None else ("met" if self.met else "NOT MET")
        return (self.measurement, self.figure, self.baseline, self.baseline_figure, self.ratio, self.aim, verdict)


def render(rows: list[Row]) -> str:
    """Return the rows as aligned columns under a header."""
    cells = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def ratio(figure: float, baseline: float) -> str:
    """Return figure / baseline as "0.52×"."""
    if not baseline or math.isnan(figure) or math.isnan(baseline):
        return "n/a"
    return f"{figure / baseline:.2f}×"


def per_second(value: float, unit: str) -> str:
    """Return a rate such as "1,234 req/s"."""
    return f"{value:,.0f} {unit}/s"


def millis(*values: float) -> str:
    """Return durations such as "3.1 / 12.0 ms"."""
    return " / ".join(f"{value:.1f}" for value in values) + " ms"
