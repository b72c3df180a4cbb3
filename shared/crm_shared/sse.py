"""A server-sent event, framework-free: what a live hub hands its streams (`crm_shared.live` sends it)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    """One server-sent event: its name, its JSON data and the id a client resumes from."""

    event: str
    data: Any
    id: str | None = None

    def encode(self) -> bytes:
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), default=_json_default)
        head = f"event: {self.event}\n" + (f"id: {self.id}\n" if self.id is not None else "")
        return f"{head}data: {data}\n\n".encode("utf-8")


def _json_default(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if isoformat is None:
        raise TypeError(f"{type(value).__name__} is not JSON")
    return isoformat()
