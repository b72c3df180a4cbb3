"""Changing the counting settings: the global ones (admins) and a user's own."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping

from crm_shared.changes import Change
from crm_shared.errors import Forbidden
from crm_shared.events import ObjectChanged

from crm_counters.domain.settings import GLOBAL, CounterSettings, effective

SETTINGS_LINK = "/api/v1/counters/settings"


def read_settings(uow: Any) -> dict[str, Any]:
    """Return the caller's effective settings, with the global and their own values beside them."""
    with uow.reading():
        shared, own = uow.settings.global_settings(), uow.settings.get(uow.viewer.id)
    current = effective(shared, own)
    return {"window_minutes": current.window_minutes, "mode": current.mode,
            "global": effective(shared, None).__dict__, "own": (own or CounterSettings(uow.viewer.id)).as_dict()}


def change_global(uow: Any, patch: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Change everyone's settings (admins only); every user's counts are read anew."""
    if uow.viewer.role != "admin":
        raise Forbidden("Only an admin changes the counting settings of everyone.")
    _change(uow, GLOBAL, patch, now)
    with uow.reading():
        return effective(uow.settings.global_settings(), None).__dict__


def change_own(uow: Any, patch: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Change the caller's own settings; null gives a value back to the global setting."""
    _change(uow, uow.viewer.id, patch, now)
    return read_settings(uow)


def _change(uow: Any, scope: str, patch: Mapping[str, Any], now: datetime) -> None:
    with uow:
        current = uow.settings.get(scope) or CounterSettings(scope)
        proposed = current.patched(patch)
        changes = [Change(name, before, after) for name, before, after in
                   ((name, current.as_dict()[name], proposed.as_dict()[name]) for name in ("window_minutes", "mode"))
                   if before != after]
        if changes:
            saved = replace(proposed, version=current.version + 1)
            uow.settings.save(saved)
            uow.marks.mark([scope], now)
            uow.emit(ObjectChanged(
                object_type="counter_settings", object_id=scope,
                object_name="Counters of everyone" if scope == GLOBAL else f"Counters of {scope}",
                object_link=SETTINGS_LINK, operation="updated" if current.version else "created",
                sequence=saved.version, changes=tuple(changes), state={"scope": scope, **saved.as_dict()}))
        uow.commit()
