"""One run's rows and notes, gathered per measurement so that a failure costs only its own lines."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, TypeVar

from bench import report
from bench.notes import wrap
from bench.table import Row, render

T = TypeVar("T")


class Run:
    """The rows and notes of each measurement (by number), and the raw results."""

    def __init__(self) -> None:
        self.rows: dict[int, list[Row]] = {}
        self.notes: dict[int, str] = {}
        self.raw: dict[str, Any] = {}
        self.failed = False

    def step(self, number: int, label: str, action: Callable[[], T], *, keep: bool = True) -> T | None:
        """Run one measurement; a failure becomes a FAILED row and a note instead of ending the run."""
        say(label)
        try:
            result = action()
        except Exception as exc:  # reported in the table; the other measurements still run
            self.rows.setdefault(number, []).append(report.failed_row(label, exc))
            message = " ".join(str(exc).split())[:400]
            self.notes[number] = f"{self.notes.get(number, '')} {label} failed: {type(exc).__name__}: {message}"
            self.failed = True
            return None
        if keep:
            self.raw[label] = result
        return result

    def output(self, header: str, results_dir: Path, repo: Path) -> str:
        """Return the header, the table and the notes; keep them and the raw results in `results_dir`."""
        rows = [row for key in sorted(self.rows) for row in self.rows[key]]
        notes = [wrap(self.notes[key].strip()) for key in sorted(self.notes)]
        text = "\n".join([header, "", render(rows), "", *notes,
                          f"- raw output and logs: {results_dir.relative_to(repo)}/"])
        (results_dir / "table.txt").write_text(text + "\n")
        (results_dir / "results.json").write_text(json.dumps(self.raw, indent=2, default=_plain))
        return text


def say(message: str) -> None:
    """Tell the person waiting what the run is doing (stderr, so the table stays alone on stdout)."""
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _plain(value: Any) -> Any:
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else str(value)
