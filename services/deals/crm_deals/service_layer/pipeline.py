"""The pipeline summary: how many deals, worth how much, in each stage of a process."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from crm_deals.domain.deal_query import DealQuery
from crm_deals.domain.money import as_text, in_minor_units
from crm_deals.service_layer.processes import existing_process
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def summary(uow: DealsUnitOfWork, process_id: str | None, query: DealQuery) -> dict[str, Any]:
    """Count and total value (per currency) of the visible deals per stage, in the process's order."""
    with uow.reading():
        process = existing_process(uow, process_id)
        rows = uow.deals.summary(DealQuery(**{**query.__dict__, "process_id": process.id, "viewer": uow.viewer}))
    stages = {stage.id: {"stage_id": stage.id, "name": stage.name, "count": 0, "totals": {}} for stage in process.stages}
    for row in rows:
        name = process.retired_stages.get(row["stage_id"], "?")
        stage = stages.setdefault(row["stage_id"], {"stage_id": row["stage_id"], "name": name, "count": 0, "totals": {}})
        stage["count"] += row["count"]
        stage["totals"][row["currency"]] = stage["totals"].get(row["currency"], Decimal(0)) + Decimal(row["total"])
    listed = [_written(stage) for stage in stages.values()]
    return {"process_id": process.id, "process_name": process.name, "status": query.status, "stages": listed,
            "count": sum(stage["count"] for stage in listed)}


def _written(stage: dict[str, Any]) -> dict[str, Any]:
    totals = [{"currency": code, "value": as_text(in_minor_units(value, code))} for code, value in sorted(stage["totals"].items())]
    return {**stage, "totals": totals}
