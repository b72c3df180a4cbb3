"""A deal's links to persons and companies: the kit's links (`crm_shared.links`), hidden and
awaiting ones included."""
from __future__ import annotations

from crm_shared.links import Link

LINK_TYPES = ("person", "company")

__all__ = ["LINK_TYPES", "Link"]
