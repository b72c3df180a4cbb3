"""The deal's rules and the changes it reports, without Flask, SQL or the bus."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from crm_deals.domain.deals import DealStateConflict, new_deal
from crm_deals.domain.links import Link
from crm_deals.domain.processes import new_process
from crm_deals.domain.rules import DealRuleBroken

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
PROCESS = new_process({"name": "Sales", "stages": ["Lead", "Offer", "Contract"]}, id="p1", actor_id="u", now=NOW)
OTHER = new_process({"name": "Other", "stages": ["X"]}, id="p2", actor_id="u", now=NOW)
SOURCES = {"Website", "Referral"}


def deal(**values: Any):  # type: ignore[no-untyped-def]
    return new_deal({"name": "Deal", **values}, id="d1", process=PROCESS, sources=SOURCES, links=[], actor_id="u", now=NOW)


def fields_of(changes) -> list[tuple[str, Any, Any]]:  # type: ignore[no-untyped-def]
    return [(c.field, c.before, c.after) for c in changes]


def test_a_new_deal_starts_open_in_the_first_stage_owned_by_its_creator() -> None:
    created = deal()
    assert (created.status, created.stage_name, created.owner_id, created.value) == ("open", "Lead", "u", Decimal("0.00"))


def test_line_totals_round_half_up_to_the_currency_and_sum_to_the_value() -> None:
    lines = [{"product": "A", "quantity": "3", "unit_price": "0.125", "discount_percent": "0"},
             {"product": "B", "quantity": "1", "unit_price": "999", "discount_percent": "12.5"}]
    created = deal(products=lines, currency="EUR")
    assert [line.total for line in created.products] == [Decimal("0.38"), Decimal("874.13")]
    assert created.value == Decimal("874.51")
    assert deal(products=lines, currency="JPY").value == Decimal("874")


@pytest.mark.parametrize(("values", "field"), [
    ({"products": [{"product": "A", "quantity": "-2", "unit_price": "1"}]}, "products.0.quantity"),
    ({"products": [{"product": "A", "quantity": "1", "unit_price": "1", "discount_percent": "101"}]},
     "products.0.discount_percent"),
    ({"products": [{"quantity": "1", "unit_price": "1"}]}, "products.0.product"),
    ({"currency": "ABC"}, "currency"),
    ({"value": "10.001", "currency": "CZK"}, "value"),
    ({"value": "-1"}, "value"),
    ({"source": "Fax"}, "source"),
    ({"stage_id": OTHER.first_stage.id}, "stage_id"),
    ({"value": "5", "products": [{"product": "A", "quantity": "1", "unit_price": "1"}]}, "value"),
])
def test_broken_rules_name_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(DealRuleBroken) as broken:
        deal(**values)
    assert field in broken.value.errors


def test_a_stage_change_reports_stage_names() -> None:
    changed, changes = deal().updated({"stage_id": PROCESS.stages[2].id}, process=PROCESS, sources=SOURCES,
                                      actor_id="v", now=NOW)
    assert fields_of(changes) == [("stage", "Lead", "Contract")]
    assert (changed.version, changed.updated_by) == (2, "v")


def test_moving_to_another_process_lands_in_its_first_stage_unless_told_otherwise() -> None:
    _, changes = deal().updated({"process_id": OTHER.id}, process=OTHER, sources=SOURCES, actor_id="v", now=NOW)
    assert fields_of(changes) == [("process", "Sales", "Other"), ("stage", "Lead", "X")]


def test_links_report_each_one_added_or_removed() -> None:
    start = deal().with_links([Link("person", "a", "Ann"), Link("company", "c", "Firm")], actor_id="u", now=NOW)[0]
    _, changes = start.with_links([Link("company", "c", "Firm"), Link("person", "b", "Bob")], actor_id="u", now=NOW)
    assert fields_of(changes) == [
        ("links", {"type": "person", "id": "a", "name": "Ann"}, None),
        ("links", None, {"type": "person", "id": "b", "name": "Bob"}),
    ]


def test_a_changed_product_line_is_reported_with_its_before_and_after() -> None:
    start = deal(products=[{"product": "A", "quantity": "1", "unit_price": "10"}])
    line = start.products[0]
    _, changes = start.updated({"products": [{"id": line.id, "product": "A", "quantity": "2", "unit_price": "10"}]},
                               process=PROCESS, sources=SOURCES, actor_id="u", now=NOW)
    assert fields_of(changes) == [
        ("value", "10.00", "20.00"),
        ("products", line.as_dict(), {**line.as_dict(), "quantity": "2", "total": "20.00"}),
    ]


def test_a_closed_deal_keeps_its_stage_and_products_until_reopened() -> None:
    won, changes = deal().won(actor_id="u", now=NOW)
    assert fields_of(changes) == [("status", "open", "won")]
    with pytest.raises(DealRuleBroken) as broken:
        won.updated({"stage_id": PROCESS.stages[1].id}, process=PROCESS, sources=SOURCES, actor_id="u", now=NOW)
    assert "stage_id" in broken.value.errors
    with pytest.raises(DealStateConflict):
        won.lost("late", actor_id="u", now=NOW)
    same, changes = won.updated({"stage_id": PROCESS.stages[0].id, "products": []}, process=PROCESS,
                                sources=SOURCES, actor_id="u", now=NOW)
    assert changes == [] and same is won
    renamed, _ = won.updated({"name": "Still editable"}, process=PROCESS, sources=SOURCES, actor_id="u", now=NOW)
    reopened, changes = renamed.reopened(PROCESS, PROCESS.stages[1].id, actor_id="u", now=NOW)
    assert fields_of(changes) == [("stage", "Lead", "Offer"), ("status", "won", "open")]


def test_losing_needs_a_reason_and_records_it() -> None:
    with pytest.raises(DealRuleBroken):
        deal().lost("  ", actor_id="u", now=NOW)
    _, changes = deal().lost("Price", actor_id="u", now=NOW)
    assert fields_of(changes) == [("status", "open", "lost"), ("lost_reason", None, "Price")]


def test_an_update_that_changes_nothing_reports_nothing() -> None:
    start = deal(value="10", source="Website")
    same, changes = start.updated({"value": "10.00", "source": "Website"}, process=PROCESS, sources=SOURCES,
                                  actor_id="u", now=NOW)
    assert changes == [] and same is start
