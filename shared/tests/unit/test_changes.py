"""Field changes: only what differs, in the declared order."""
from crm_shared.changes import Change, created, deleted, diff


def test_diff_lists_only_the_fields_that_differ_in_declared_order() -> None:
    before = {"a": 1, "b": [1], "c": None}
    after = {"a": 1, "b": [1, 2], "c": "x"}
    assert diff(before, after, ["c", "b", "a"]) == [Change("c", None, "x"), Change("b", [1], [1, 2])]


def test_creation_and_deletion_skip_empty_fields() -> None:
    state = {"a": "x", "b": [], "c": None, "d": ""}
    assert created(state, "abcd") == [Change("a", None, "x")]
    assert deleted(state, "abcd") == [Change("a", "x", None)]
