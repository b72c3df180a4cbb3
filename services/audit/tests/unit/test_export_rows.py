"""Flattening entries into export rows, and keeping spreadsheet cells from becoming formulas."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.export_rows import HEADER, cell_text, flatten, rows_of

WHEN = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)


def entry(changes: list[dict[str, Any]], **overrides: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "id": "e-1", "occurred_at": WHEN, "user_id": "u-1", "user_name": "Eva Admin", "channel": "api",
        "object_type": "person", "object_id": "p-1", "object_name": "Jana Nováková",
        "object_link": "/api/v1/persons/p-1", "operation": "updated", "changes": changes,
    }
    return AuditEntry(**{**values, **overrides})


def test_the_header_is_the_contract_header() -> None:
    assert " | ".join(HEADER) == "Date | User | Object type | Object | Link | Operation | Field | Before | After"


def test_each_changed_field_is_a_row_of_its_own() -> None:
    rows = rows_of(entry([
        {"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999", "+420 603 000 000"]},
        {"field": "first_name", "before": "Jana", "after": "Janka"},
    ]))

    assert rows == [
        (WHEN, "Eva Admin", "person", "Jana Nováková", "/api/v1/persons/p-1", "updated",
         "phones", "+420 111 222 333", "+420 777 888 999, +420 603 000 000"),
        (WHEN, "Eva Admin", "person", "Jana Nováková", "/api/v1/persons/p-1", "updated",
         "first_name", "Jana", "Janka"),
    ]


def test_an_entry_without_field_changes_is_one_row_with_empty_field_columns() -> None:
    rows = rows_of(entry([], operation="deleted"))

    assert rows == [(WHEN, "Eva Admin", "person", "Jana Nováková", "/api/v1/persons/p-1", "deleted", "", "", "")]


def test_missing_names_fall_back_to_ids_and_a_missing_link_is_empty() -> None:
    row = rows_of(entry([], user_name="", object_name=None, object_link=None))[0]

    assert (row[1], row[3], row[4]) == ("u-1", "p-1", "")


def test_rows_of_many_entries_keep_their_order() -> None:
    first = entry([{"field": "a", "before": 1, "after": 2}], id="e-1")
    second = entry([], id="e-2", operation="locked")

    assert [row[5] for row in flatten([first, second])] == ["updated", "locked"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("text", "text"),
        (["a", "b"], "a, b"),
        ([], ""),
        ({"purpose": "newsletter", "granted": True}, '{"granted":true,"purpose":"newsletter"}'),
        ([{"id": 1}, {"id": 2}], '{"id":1}, {"id":2}'),
        ({"město": "Brno"}, '{"město":"Brno"}'),
        (True, "true"),
        (12.5, "12.5"),
        (0, "0"),
    ],
)
def test_values_are_rendered_as_cell_text(value: Any, text: str) -> None:
    assert cell_text(value) == text
