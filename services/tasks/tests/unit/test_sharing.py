"""Who may do what with a task: author, responsible and members, privacy, managers, admins and shares."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm_tasks.domain.rules import TaskRuleBroken
from crm_tasks.domain.sharing import (
    FREE_BUSY, FULL, NONE, READ, Share, access, can_change, can_read, can_see, new_share, sharing_owner_ids, view,
)


@dataclass(frozen=True)
class Viewer:
    id: str
    role: str = "user"
    team: tuple[str, ...] = ()


CID = Viewer("cid")
ADMIN = Viewer("root", role="admin")
BOSS = Viewer("bob", role="manager", team=("ann",))
OTHER_BOSS = Viewer("zoe", role="manager", team=("someone",))


def shared(level: str = NONE, **per_type: str) -> dict[str, Share]:
    return {"ann": Share(owner_id="ann", grantee_id="cid", level=level, per_type=per_type)}


@pytest.mark.parametrize("viewer", [Viewer("ann"), Viewer("resp"), Viewer("mem")])
def test_the_author_the_responsible_user_and_members_have_full_access_even_to_a_private_task(
        make_task, viewer: Viewer) -> None:
    task = make_task(responsible_id="resp", member_ids=["mem"], private=True)
    assert access(viewer, task, {}) == FULL


def test_without_a_share_another_user_sees_nothing(make_task) -> None:
    assert access(CID, make_task(), {}) == NONE
    assert view(make_task(), NONE) is None


@pytest.mark.parametrize("level", [NONE, FREE_BUSY, READ, FULL])
def test_the_general_level_of_the_responsible_users_share_decides_for_others(make_task, level: str) -> None:
    assert access(CID, make_task(), shared(level)) == level


def test_a_per_type_level_overrides_the_general_one(make_task) -> None:
    shares = shared(READ, meeting=FULL, call=NONE)
    assert access(CID, make_task(type_id="meeting"), shares) == FULL
    assert access(CID, make_task(type_id="call"), shares) == NONE
    assert access(CID, make_task(type_id="email"), shares) == READ


def test_a_share_of_someone_else_grants_nothing(make_task) -> None:
    assert access(CID, make_task(responsible_id="bob", actor_id="bob"), shared(FULL)) == NONE
    assert access(CID, make_task(), {"ann": Share("ann", "dan", FULL)}) == NONE


def test_a_private_task_is_hidden_from_shares_managers_and_admins(make_task) -> None:
    task = make_task(private=True)
    assert [access(viewer, task, shared(FULL)) for viewer in (CID, BOSS, ADMIN)] == [NONE, NONE, NONE]


def test_the_responsible_users_manager_and_admins_have_full_access_to_a_public_task(make_task) -> None:
    task = make_task()
    assert (access(BOSS, task, {}), access(ADMIN, task, {}), access(OTHER_BOSS, task, {})) == (FULL, FULL, NONE)


def test_free_busy_shows_only_the_slot(make_task) -> None:
    task = make_task(start="2026-11-23T09:00:00+01:00", end="2026-11-23T10:00:00+01:00", description="secret")
    assert view(task, FREE_BUSY) == {"id": "t1", "start": "2026-11-23T09:00:00+01:00",
                                     "end": "2026-11-23T10:00:00+01:00", "due": None, "busy": True}


def test_read_and_full_show_the_whole_task_and_the_access_level(make_task) -> None:
    task = make_task(description="notes")
    assert view(task, READ) == {**task.state(), "access": READ}
    assert view(task, FULL)["description"] == "notes"  # type: ignore[index]


def test_only_full_access_allows_changes_and_comments() -> None:
    assert [(can_see(lvl), can_read(lvl), can_change(lvl)) for lvl in (NONE, FREE_BUSY, READ, FULL)] == [
        (False, False, False), (True, False, False), (True, True, False), (True, True, True)]


def test_a_share_takes_known_levels_and_types_and_never_the_owner_themselves() -> None:
    share = new_share("ann", "cid", {"level": "read", "per_type": {"call": "full"}}, known_type_ids={"call"})
    assert share.as_dict() == {"user_id": "cid", "level": "read", "per_type": {"call": "full"}}
    for values, field, grantee in (({"level": "write"}, "level", "cid"),
                                   ({"level": "read", "per_type": {"fax": "read"}}, "per_type.fax", "cid"),
                                   ({"level": "read", "per_type": {"call": "all"}}, "per_type.call", "cid"),
                                   ({"level": "read"}, "user_id", "ann")):
        with pytest.raises(TaskRuleBroken) as broken:
            new_share("ann", grantee, values, known_type_ids={"call"})
        assert field in broken.value.errors


def test_only_owners_whose_share_grants_something_widen_a_listing() -> None:
    shares = {"ann": Share("ann", "cid", NONE, {"call": READ}), "bob": Share("bob", "cid", NONE),
              "dan": Share("dan", "cid", FREE_BUSY)}
    assert sharing_owner_ids(shares) == ("ann", "dan")
