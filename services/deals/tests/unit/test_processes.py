"""Stages of a sales process: added, renamed, reordered and removed by giving the full list."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm_deals.domain.processes import DEFAULT_STAGES, new_process
from crm_deals.domain.rules import DealRuleBroken

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)


def test_a_process_without_stages_gets_the_default_ones() -> None:
    process = new_process({"name": "P"}, id="p", actor_id="u", now=NOW)
    assert [stage.name for stage in process.stages] == list(DEFAULT_STAGES)


def test_restaging_keeps_ids_renames_reorders_adds_and_reports_removed_ones() -> None:
    process = new_process({"name": "P", "stages": ["A", "B", "C"], "won_task_template_id": None},
                          id="p", actor_id="u", now=NOW)
    a, b, c = process.stages
    changed, changes, removed = process.updated(
        {"stages": [{"id": c.id, "name": "C"}, {"id": a.id, "name": "A2"}, {"name": "D"}]}, actor_id="v", now=NOW)
    assert [s.name for s in changed.stages] == ["C", "A2", "D"]
    assert changed.stages[0].id == c.id and changed.stages[1].id == a.id
    assert removed == {b.id}
    assert changed.retired_stages == {b.id: "B"}
    assert [(x.field, x.before, x.after) for x in changes] == [("stages", ["A", "B", "C"], ["C", "A2", "D"])]


@pytest.mark.parametrize("stages", [[], [{"name": "A"}, {"name": "a"}], [{"id": "nope", "name": "A"}]])
def test_bad_stage_lists_are_refused(stages: list) -> None:
    process = new_process({"name": "P", "stages": ["A"]}, id="p", actor_id="u", now=NOW)
    with pytest.raises(DealRuleBroken):
        process.updated({"stages": stages}, actor_id="u", now=NOW)
