"""Deals: value, stage, status, links to contacts and product lines, and their field changes."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Collection, Mapping, Sequence

from crm_shared.rules import StateConflict
from crm_shared.changes import Change, created, deleted, diff

from crm_deals.domain.lines import ProductLine, checked_total, decimal_field, line_changes, parse_lines
from crm_shared.links import link_changes, settle, unique_links

from crm_deals.domain.links import Link
from crm_deals.domain.money import CURRENCIES, OUT_OF_RANGE, as_text, in_minor_units, in_range
from crm_deals.domain.processes import Process
from crm_deals.domain.rules import broken

OPEN, WON, LOST = "open", "won", "lost"
STATUSES = (OPEN, WON, LOST)


class DealStateConflict(StateConflict):
    """A status change that the deal's current status does not allow (won twice, reopen an open deal; 409)."""


@dataclass
class Deal:
    """A sales opportunity in one stage of one process; `value` is the sum of its lines when it has any."""

    id: str
    version: int
    name: str
    value: Decimal
    currency: str
    process_id: str
    process_name: str
    stage_id: str
    stage_name: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    owner_id: str
    status: str = OPEN
    lost_reason: str | None = None
    source: str | None = None
    planned_close_date: date | None = None
    closed_at: datetime | None = None
    links: list[Link] = field(default_factory=list)
    products: list[ProductLine] = field(default_factory=list)

    audited = ("name", "value", "currency", "source", "process", "stage", "status", "lost_reason",
               "planned_close_date", "owner_id")

    @property
    def link(self) -> str:
        return f"/api/v1/deals/{self.id}"

    def values(self) -> dict[str, Any]:
        """Return the audited fields as the audit log shows them (stage and process by name)."""
        return {
            "name": self.name, "value": as_text(self.value), "currency": self.currency, "source": self.source,
            "process": self.process_name, "stage": self.stage_name, "status": self.status,
            "lost_reason": self.lost_reason,
            "planned_close_date": self.planned_close_date.isoformat() if self.planned_close_date else None,
            "owner_id": self.owner_id,
        }

    def state(self) -> dict[str, Any]:
        """Return the whole deal as plain data (the `state` of its events, the API's answer)."""
        return {
            "id": self.id, "version": self.version, "name": self.name,
            "value": as_text(self.value), "currency": self.currency, "source": self.source,
            "process_id": self.process_id, "process_name": self.process_name,
            "stage_id": self.stage_id, "stage_name": self.stage_name,
            "status": self.status, "lost_reason": self.lost_reason,
            "planned_close_date": self.planned_close_date.isoformat() if self.planned_close_date else None,
            "owner_id": self.owner_id,
            "links": [link.as_dict() for link in self.links],
            "products": [line.as_dict() for line in self.products],
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by,
        }

    def creation_changes(self) -> list[Change]:
        """Return every set field, link and product line as a change from nothing."""
        return created(self.values(), self.audited) + link_changes([], self.links) + line_changes([], self.products)

    def deletion_changes(self) -> list[Change]:
        """Return every set field, link and product line as a change to nothing."""
        return deleted(self.values(), self.audited) + link_changes(self.links, []) + line_changes(self.products, [])

    def changes_to(self, other: "Deal") -> list[Change]:
        """List what differs from `other`: fields, then links and product lines one by one."""
        return diff(self.values(), other.values(), self.audited) + link_changes(
            self.links, other.links
        ) + line_changes(self.products, other.products)

    def updated(
        self, patch: Mapping[str, Any], *, process: Process, sources: Collection[str],
        links: Sequence[Link] | None = None, actor_id: str, now: datetime,
    ) -> tuple["Deal", list[Change]]:
        """Return the deal with `patch` applied (stage in `process`), and what really changed."""
        proposed = _apply(self, patch, process=process, sources=sources)
        if self.status != OPEN:
            self._require_unmoved(proposed)
        if links is not None:
            proposed = replace(proposed, links=unique_links(links))
        return self._versioned(proposed, actor_id=actor_id, now=now)

    def won(self, *, actor_id: str, now: datetime) -> tuple["Deal", list[Change]]:
        """Close the deal as won."""
        self._require_status(OPEN, "The deal is already closed.")
        return self._versioned(replace(self, status=WON, lost_reason=None, closed_at=now), actor_id=actor_id, now=now)

    def lost(self, reason: str, *, actor_id: str, now: datetime) -> tuple["Deal", list[Change]]:
        """Close the deal as lost, for a reason."""
        self._require_status(OPEN, "The deal is already closed.")
        if not (reason or "").strip():
            raise broken("reason", "Say why the deal was lost.")
        proposed = replace(self, status=LOST, lost_reason=reason.strip(), closed_at=now)
        return self._versioned(proposed, actor_id=actor_id, now=now)

    def reopened(self, process: Process, stage_id: str | None, *, actor_id: str, now: datetime) -> tuple["Deal", list[Change]]:
        """Open a closed deal again, in `stage_id` or where it was (the first stage if that was removed)."""
        if self.status == OPEN:
            raise DealStateConflict("The deal is open already.")
        stage = process.stage(stage_id or self.stage_id)
        if stage is None and stage_id:
            raise broken("stage_id", "The stage does not belong to the deal's process.")
        stage = stage or process.first_stage
        proposed = replace(self, status=OPEN, lost_reason=None, closed_at=None, stage_id=stage.id, stage_name=stage.name)
        return self._versioned(proposed, actor_id=actor_id, now=now)

    def with_links(self, links: Sequence[Link], *, actor_id: str, now: datetime) -> tuple["Deal", list[Change]]:
        """Return the deal with exactly these links, whatever its status (merges and deletions of contacts)."""
        return self._versioned(replace(self, links=unique_links(links)), actor_id=actor_id, now=now)

    def settling(self, contact_id: str, owner_id: str | None, name: str | None, *, actor_id: str,
                 now: datetime) -> tuple["Deal", list[Change]]:
        """Judge the links awaiting this contact by its owner; one turned hidden leaves the events' links.

        Return the deal (a new version when a link became hidden) and the changes: one `links`
        change (the link before, nothing after) per link the deal's events no longer report.
        """
        links, withdrawn = settle(self.links, contact_id, owner_id, name)
        if links == self.links:
            return self, []
        proposed = replace(self, links=links)
        if not withdrawn:
            return proposed, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), withdrawn

    def seen_by(self, sees: Callable[[Link], bool]) -> "Deal":
        """Return the deal as a reader sees it: names only of linked contacts they may see."""
        return replace(self, links=[link.seen_by(sees) for link in self.links])

    def _versioned(self, proposed: "Deal", *, actor_id: str, now: datetime) -> tuple["Deal", list[Change]]:
        changes = self.changes_to(proposed)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes

    def _require_unmoved(self, proposed: "Deal") -> None:
        """Refuse a change of process, stage or product lines while the deal is closed."""
        lines = [line.as_dict() for line in self.products]
        for name, before, after in (
            ("process_id", self.process_id, proposed.process_id), ("stage_id", self.stage_id, proposed.stage_id),
            ("products", lines, [line.as_dict() for line in proposed.products]),
        ):
            if before != after:
                raise broken(name, "The deal is closed; reopen it before changing this.")

    def _require_status(self, status: str, message: str) -> None:
        if self.status != status:
            raise DealStateConflict(message)


def new_deal(
    values: Mapping[str, Any], *, id: str, process: Process, sources: Collection[str], links: Sequence[Link],
    actor_id: str, now: datetime,
) -> Deal:
    """Create a valid open deal in `process`, in its first stage unless `stage_id` names another."""
    first = process.first_stage
    blank = Deal(
        id=id, version=1, name="", value=Decimal(0), currency="CZK", process_id=process.id,
        process_name=process.name, stage_id=first.id, stage_name=first.name, created_at=now, created_by=actor_id,
        updated_at=now, updated_by=actor_id, owner_id=values.get("owner_id") or actor_id,
    )
    deal = _apply(blank, {**values, "process_id": process.id}, process=process, sources=sources)
    return replace(deal, links=unique_links(links))


def _apply(deal: Deal, patch: Mapping[str, Any], *, process: Process, sources: Collection[str]) -> Deal:
    """Return `deal` with the patch applied and every rule checked; raise DealRuleBroken otherwise."""
    data = {key: patch[key] for key in ("name", "source", "planned_close_date", "lost_reason") if key in patch}
    if "name" in data:
        data["name"] = str(data["name"] or "").strip()
        if not data["name"]:
            raise broken("name", "A deal needs a name.")
    if data.get("source") is not None and data["source"] not in sources:
        raise broken("source", f"Not one of the deal sources: {', '.join(sorted(sources))}.")
    if patch.get("owner_id"):
        data["owner_id"] = patch["owner_id"]
    currency = patch.get("currency", deal.currency)
    if currency not in CURRENCIES:
        raise broken("currency", "Not an ISO 4217 currency code.")
    data["currency"] = currency
    data.update(_placed(deal, patch, process))
    products = parse_lines(patch["products"], deal.products, currency) if "products" in patch else [
        replace(line, total=checked_total(f"products.{index}", line.quantity, line.unit_price,
                                          line.discount_percent, currency))
        for index, line in enumerate(deal.products)
    ]
    data["products"] = products
    data["value"] = _value(deal, patch, products, currency)
    return replace(deal, **data)


def _placed(deal: Deal, patch: Mapping[str, Any], process: Process) -> dict[str, Any]:
    """Return the process and stage fields after the patch; the stage must be of the process."""
    if "stage_id" not in patch and patch.get("process_id", deal.process_id) == deal.process_id:
        return {"process_name": process.name} if process.id == deal.process_id else {}
    stage = process.stage(patch["stage_id"]) if patch.get("stage_id") else process.first_stage
    if stage is None:
        raise broken("stage_id", "The stage does not belong to the deal's process.")
    return {"process_id": process.id, "process_name": process.name, "stage_id": stage.id, "stage_name": stage.name}


def _value(deal: Deal, patch: Mapping[str, Any], products: list[ProductLine], currency: str) -> Decimal:
    if products:
        if patch.get("value") is not None:
            raise broken("value", "The value of a deal with product lines is the sum of their totals.")
        total = sum((line.total for line in products), Decimal(0))
        if not in_range(total):
            raise broken("products", f"The sum of the line totals is o{OUT_OF_RANGE[1:]}")
        return total
    if patch.get("value") is None:
        return in_minor_units(deal.value, currency)
    value = decimal_field("value", patch["value"])
    if value < 0:
        raise broken("value", "Must not be negative.")
    if in_minor_units(value, currency) != value:
        raise broken("value", f"{currency} has {CURRENCIES[currency]} decimal places.")
    return in_minor_units(value, currency)
