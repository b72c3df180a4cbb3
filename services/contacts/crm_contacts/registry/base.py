"""What the contacts service needs from a business register, whichever register it is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class RegistryCompany:
    """A company as a register records it: official name, IČO, DIČ and seat."""

    registry: str
    reg_id: str
    name: str
    vat_id: str | None = None
    address: dict[str, str] | None = None
    address_text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the answer of a lookup."""
        return {
            "registry": self.registry, "reg_id": self.reg_id, "name": self.name, "vat_id": self.vat_id,
            "address": self.address, "address_text": self.address_text,
        }

    def company_patch(self) -> dict[str, Any]:
        """Return the company fields the register is authoritative for."""
        return {"name": self.name, "reg_id": self.reg_id, "vat_id": self.vat_id, "address": self.address}


class Registry(Protocol):
    """A business register; adapters raise BadGateway / GatewayTimeout when it fails."""

    name: str

    def by_reg_id(self, reg_id: str) -> RegistryCompany | None:
        """Return the company with this (valid, 8-digit) IČO, or None if the register has none."""
        ...

    def by_name(self, name: str, *, limit: int) -> list[RegistryCompany]:
        """Return up to `limit` companies whose name matches."""
        ...
