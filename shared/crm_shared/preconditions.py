"""Entity tags of contacts and the If-Match / If-None-Match checks built on them."""
from __future__ import annotations

from crm_shared.errors import PreconditionFailed


def etag(version: int) -> str:
    """Return the strong entity tag of a record version."""
    return f'"v{version}"'


def _tags(header: str) -> list[str]:
    return [part.strip().removeprefix("W/") for part in header.split(",") if part.strip()]


def matches(header: str | None, version: int) -> bool:
    """Tell whether an If-Match / If-None-Match header names this version (or `*`)."""
    if header is None:
        return False
    tags = _tags(header)
    return "*" in tags or etag(version) in tags


def require_match(if_match: str | None, version: int) -> None:
    """Refuse a write based on a stale version; no If-Match means the current version."""
    if if_match is not None and not matches(if_match, version):
        raise PreconditionFailed(
            f"The record has changed since it was read; its current version is {version}.",
            current_version=version,
        )
