"""The rules of changing a user, without a database."""
from __future__ import annotations

from datetime import datetime, timezone

from crm_gateway.identity.domain import User, loses_admin, manager_cycle
from crm_gateway.identity.events import login_failed, user_updated

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def user(**values: object) -> User:
    base = dict(id="u1", username="jana", name="Jana", email="j@example.cz", role="admin", manager_id=None,
                created_at=NOW)
    return User(**{**base, **values})  # type: ignore[arg-type]


def test_a_patch_that_changes_something_is_the_next_version() -> None:
    jana = user()
    assert jana.patched({"name": "Jana", "role": "admin"}) is jana
    changed = jana.patched({"name": "Jana S."})
    assert (changed.name, changed.version) == ("Jana S.", 2)
    assert jana.patched({}, password_changed=True).version == 2


def test_a_manager_chain_that_reaches_the_user_is_a_cycle() -> None:
    managers = {"a": "b", "b": "c", "c": None}
    assert manager_cycle("c", "a", managers.get) is True
    assert manager_cycle("a", "a", managers.get) is True
    assert manager_cycle("x", "a", managers.get) is False


def test_a_chain_that_already_loops_elsewhere_ends_the_walk() -> None:
    assert manager_cycle("x", "a", {"a": "b", "b": "a"}.get) is False


def test_an_active_admin_is_lost_when_deactivated_or_demoted_but_not_otherwise() -> None:
    admin = user()
    assert loses_admin(admin, admin.patched({"active": False}))
    assert loses_admin(admin, admin.patched({"role": "user"}))
    assert not loses_admin(admin, admin.patched({"name": "Ada"}))
    assert not loses_admin(user(active=False), user(active=False, role="user"))


def test_an_update_lists_each_changed_field_and_only_marks_a_new_password() -> None:
    before = user()
    event = user_updated(before, before.patched({"email": "new@example.cz"}, password_changed=True),
                         password_changed=True)
    assert [change.as_dict() for change in event.changes] == [
        {"field": "email", "before": "j@example.cz", "after": "new@example.cz"},
        {"field": "password", "before": None, "after": "[changed]"},
    ]
    assert "password" not in event.state and event.sequence == 2


def test_a_failed_login_of_an_unknown_name_has_a_stable_id_of_its_own() -> None:
    first, again, other = (login_failed(name, None, "unknown_user") for name in ("eve", "eve", "mallory"))
    assert first.object_id == again.object_id != other.object_id
    assert (first.operation, first.object_name, first.event_type) == ("login_failed", "eve", "crm.user.login_failed")
