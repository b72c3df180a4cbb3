"""`crm-audit tail` prints one readable line per change: `time user operation object field: before → after`."""
from __future__ import annotations

import json

import pytest

from crm_audit.tail_cli import filters_of, lines, parse_args, render, value_text


def entry(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "e-1", "occurred_at": "2026-11-22T10:00:00+00:00", "user": {"id": "u-1", "name": "Eva Admin"},
        "object_type": "person", "object_id": "p-1", "object_name": "Jana Nováková", "object_link": "/persons/p-1",
        "operation": "updated", "channel": "api", "correlation_id": "req-1",
        "changes": [{"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999"]},
                    {"field": "city", "before": "Brno", "after": "Praha"}],
    }
    return {**base, **overrides}


def test_each_changed_field_is_one_line_with_time_user_operation_object_and_before_and_after() -> None:
    assert lines(entry()) == [
        '2026-11-22T10:00:00Z Eva Admin updated person Jana Nováková phones: ["+420 111 222 333"] → ["+420 777 888 999"]',
        "2026-11-22T10:00:00Z Eva Admin updated person Jana Nováková city: Brno → Praha",
    ]


def test_a_missing_value_is_an_empty_set_sign_and_an_entry_without_changes_is_one_line() -> None:
    created = entry(operation="created", changes=[{"field": "email", "before": None, "after": "jana@example.cz"}])
    assert lines(created) == ["2026-11-22T10:00:00Z Eva Admin created person Jana Nováková email: ∅ → jana@example.cz"]
    deleted = entry(operation="deleted", object_name=None, changes=[])
    assert lines(deleted) == ["2026-11-22T10:00:00Z Eva Admin deleted person p-1"]


def test_a_change_made_otherwise_than_through_the_api_names_its_channel_after_the_user() -> None:
    made = entry(channel="automation", operation="created", object_type="task", object_name="Thank",
                 changes=[{"field": "title", "before": None, "after": "Thank"}])
    assert lines(made) == ["2026-11-22T10:00:00Z Eva Admin (automation) created task Thank title: ∅ → Thank"]


def test_text_that_would_break_the_line_is_shown_as_json() -> None:
    assert value_text("two\nlines") == '"two\\nlines"'
    assert value_text("") == '""'
    assert value_text(3) == "3" and value_text(True) == "true"
    spoofed = entry(changes=[{"field": "note", "before": "a", "after": "b\n2026-01-01 Forged line"}])
    assert len(lines(spoofed)) == 1 and "\n" not in lines(spoofed)[0]


def test_json_mode_prints_the_entry_as_one_line_exactly_as_the_api_answered_it() -> None:
    printed = render(entry(), as_json=True)
    assert len(printed) == 1 and json.loads(printed[0]) == entry()


def test_the_flags_are_the_list_s_filters() -> None:
    args = parse_args(["-f", "--json", "--object-type", "deal", "--user-id", "u-7", "--from", "2026-01-01T00:00:00Z"])
    assert args.follow and args.json
    assert filters_of(args) == {"object_type": "deal", "user_id": "u-7", "from": "2026-01-01T00:00:00Z"}
    assert filters_of(parse_args([])) == {}
    with pytest.raises(SystemExit):
        parse_args(["-n", "1000"])
