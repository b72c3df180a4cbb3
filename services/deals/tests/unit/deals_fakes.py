"""In-memory repositories of the deals service, for use-case tests on the fake unit of work."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from crm_shared.copies import KnownRecord, supersedes
from crm_shared.envelope import Actor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryCopies, InMemoryRepository
from crm_shared.visibility import Seer, visible_owners

from crm_deals.domain.deal_query import DealQuery
from crm_deals.domain.deals import Deal
from crm_deals.domain.processes import Process, new_process
from crm_deals.domain.task_templates import TEMPLATE_FIELDS, KnownTemplate


NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


class InMemoryDeals(InMemoryRepository[Deal]):
    def linking(self, contact_id: str) -> list[Deal]:
        return [deal for deal in self.items.values() if contact_id in {link.id for link in deal.links}]

    def awaiting(self, contact_id: str) -> list[Deal]:
        return [deal for deal in self.linking(contact_id)
                if any(link.id == contact_id and link.awaiting is not None for link in deal.links)]

    def list(self, query: DealQuery | None = None) -> list[Deal]:  # type: ignore[override]
        owners = visible_owners(query.viewer) if query else None
        return [deal for deal in self.items.values() if owners is None or deal.owner_id in owners]


class InMemoryProcesses(InMemoryRepository[Process]):
    def default(self) -> Process | None:
        return next((process for process in self.items.values() if process.is_default), None)

    def list(self, *, limit: int = 100, after: Any = None) -> list[Process]:  # type: ignore[override]
        return sorted(self.items.values(), key=lambda p: (not p.is_default, p.name, p.id))[:limit]

    def naming_template(self, template_id: str) -> list[Process]:
        return [p for p in self.items.values() if template_id in (getattr(p, name) for name in TEMPLATE_FIELDS)]

    def stages_used_by_open_deals(self, stage_ids: Iterable[str]) -> set[str]:
        return set()


class InMemoryTemplateCopies:
    def __init__(self, *known: KnownTemplate) -> None:
        self.items = {template.id: template for template in known}

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownTemplate]:
        return {i: self.items[i] for i in ids if i in self.items}

    def add_pending(self, template_id: str, now: datetime) -> None:
        self.items.setdefault(template_id, KnownTemplate(template_id, None, pending=True))

    def apply(self, template: KnownTemplate, now: datetime) -> bool:
        current = self.items.get(template.id)
        if not supersedes(template, current):
            return False
        name = template.name if template.name is not None or current is None else current.name  # keep the last
        self.items[template.id] = KnownTemplate(template.id, name, gone=template.gone, sequence=template.sequence)
        return True


class InMemorySources:
    def __init__(self, names: Iterable[str] = ("Website", "Referral")) -> None:
        self._names = set(names)

    def names(self) -> set[str]:
        return set(self._names)


def sales_process() -> Process:
    return new_process({"name": "Sales", "stages": ["Lead", "Offer", "Contract"]}, id="p-1", actor_id="u",
                       now=NOW, is_default=True)


def deals_uow(*known: KnownRecord, caller: Seer | None = None, deals: Iterable[Deal] = (),
              templates: Iterable[KnownTemplate] = ()) -> Any:
    caller = caller or Seer("u-1", name="Eva")
    return FakeUnitOfWork(
        actor=Actor(caller.id, caller.name), viewer=caller, deals=InMemoryDeals(deals),
        processes=InMemoryProcesses([sales_process()]), sources=InMemorySources(),
        contacts=InMemoryCopies(*known), task_templates=InMemoryTemplateCopies(*templates),
    )
