"""A deal's links to persons and companies: the kit's links (`crm_shared.links`), hidden and
awaiting ones included."""
from __future__ import annotations

from crm_shared.links import EVERYONE, Link

LINK_TYPES = ("person", "company")

__all__ = ["EVERYONE", "LINK_TYPES", "Link"]
