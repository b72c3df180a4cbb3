"""The counting settings: the window of the planned counter and the counting mode.

The installation has one global setting (an admin changes it); each user may override either
value for themselves. A user's effective setting is their own value, else the global one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from crm_shared.rules import RuleBroken

RECORD, ACTIVITY = "record", "activity"
MODES = (RECORD, ACTIVITY)
DEFAULT_WINDOW_MINUTES = 15
#: a week: a longer window would make the planned counter a to-do list
MAX_WINDOW_MINUTES = 7 * 24 * 60
GLOBAL = "*"


@dataclass(frozen=True)
class CounterSettings:
    """A scope's settings (`*` for everyone, else a user id); None leaves a value to the global one."""

    scope: str
    window_minutes: int | None = None
    mode: str | None = None
    version: int = 0

    def patched(self, patch: Mapping[str, Any]) -> "CounterSettings":
        """Return the settings with the patch applied; RuleBroken naming each bad field."""
        errors: dict[str, list[str]] = {}
        data: dict[str, Any] = {}
        if "window_minutes" in patch:
            window = patch["window_minutes"]
            if window is None and self.scope != GLOBAL:
                data["window_minutes"] = None
            elif isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= MAX_WINDOW_MINUTES:
                errors["window_minutes"] = [f"A whole number of minutes from 0 to {MAX_WINDOW_MINUTES}."]
            else:
                data["window_minutes"] = window
        if "mode" in patch:
            mode = patch["mode"]
            if mode is None and self.scope != GLOBAL:
                data["mode"] = None
            elif mode not in MODES:
                errors["mode"] = [f"One of {', '.join(MODES)}."]
            else:
                data["mode"] = mode
        if errors:
            raise RuleBroken(errors)
        return replace(self, **data)

    def as_dict(self) -> dict[str, Any]:
        return {"window_minutes": self.window_minutes, "mode": self.mode}


@dataclass(frozen=True)
class Effective:
    """The settings a user's counts are read with."""

    window_minutes: int
    mode: str


def effective(global_settings: CounterSettings, own: CounterSettings | None) -> Effective:
    """Return a user's effective settings: their own values, else the global ones, else the defaults."""
    window = own.window_minutes if own and own.window_minutes is not None else global_settings.window_minutes
    mode = own.mode if own and own.mode is not None else global_settings.mode
    return Effective(window_minutes=DEFAULT_WINDOW_MINUTES if window is None else window, mode=mode or RECORD)
