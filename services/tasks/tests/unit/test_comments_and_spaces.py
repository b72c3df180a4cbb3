"""Comments on tasks and spaces: their few rules."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm_tasks.domain.comments import MAX_TEXT_LENGTH, new_comment
from crm_tasks.domain.rules import TaskRuleBroken
from crm_tasks.domain.spaces import new_space

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def test_a_comment_keeps_its_trimmed_text_author_and_time() -> None:
    comment = new_comment("  Called, no answer. ", id="c1", task_id="t1", author_id="bob", author_name="Bob", now=NOW)
    assert comment.as_dict() == {"id": "c1", "task_id": "t1", "author_id": "bob", "author_name": "Bob",
                                 "text": "Called, no answer.", "created_at": NOW.isoformat()}


@pytest.mark.parametrize("text", ["", "   ", None, "x" * (MAX_TEXT_LENGTH + 1), 42])
def test_a_comment_needs_a_text_of_bounded_length(text: object) -> None:
    with pytest.raises(TaskRuleBroken) as broken:
        new_comment(text, id="c1", task_id="t1", author_id="bob", author_name="Bob", now=NOW)
    assert "text" in broken.value.errors


def test_a_space_has_a_name_and_its_creator_as_member_unless_members_are_given() -> None:
    assert new_space({"name": " Project X "}, id="s1", actor_id="ann", now=NOW).values() == {
        "name": "Project X", "member_ids": ["ann"]}
    assert new_space({"name": "Y", "member_ids": ["bob", "bob"]}, id="s2", actor_id="ann", now=NOW).member_ids == (
        "bob",)
    with pytest.raises(TaskRuleBroken):
        new_space({"name": ""}, id="s3", actor_id="ann", now=NOW)


def test_changing_a_spaces_members_is_reported() -> None:
    space = new_space({"name": "X"}, id="s1", actor_id="ann", now=NOW)
    changed, changes = space.updated({"member_ids": ["ann", "bob"]}, actor_id="ann", now=NOW)
    assert [(c.field, c.before, c.after) for c in changes] == [("member_ids", ["ann"], ["ann", "bob"])]
    assert changed.version == 2
