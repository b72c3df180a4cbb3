"""Who sees which contact, and how another service's event becomes a contact's links."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm_contacts.domain.links import Link, links_of
from crm_contacts.domain.visibility import can_see, visible_owners


@dataclass(frozen=True)
class Caller:
    id: str
    role: str
    team: tuple[str, ...] = ()


def test_users_see_their_own_managers_their_teams_and_admins_all() -> None:
    user, manager, admin = Caller("u1", "user"), Caller("m1", "manager", ("u1", "u2")), Caller("a", "admin")
    assert can_see(user, "u1") and not can_see(user, "u2") and not can_see(user, None)
    assert can_see(manager, "u2") and can_see(manager, "m1") and not can_see(manager, "u3")
    assert can_see(admin, "anyone") and can_see(admin, None)
    assert visible_owners(admin) is None and visible_owners(user) == ("u1",)


def test_a_deal_event_names_its_contact_links_and_ignores_other_links() -> None:
    data = {"object_type": "deal", "object_id": "d1", "object_name": "Big deal", "operation": "updated",
            "state": {"links": [{"type": "person", "id": "p1", "name": "Jana"},
                                {"type": "company", "id": "c1"}, {"type": "space", "id": "s1"}, "junk"]}}
    assert links_of(data) == ("deal", "d1", [Link("person", "p1", "deal", "d1", "Big deal"),
                                             Link("company", "c1", "deal", "d1", "Big deal")])


def test_an_interaction_links_the_contact_it_is_about() -> None:
    data = {"object_type": "interaction", "object_id": "i1", "object_name": "CALL 2026-12-01", "operation": "created",
            "state": {"contact": {"type": "person", "id": "p1", "name": "Jana", "deleted": False}}}
    assert links_of(data) == ("interaction", "i1", [Link("person", "p1", "interaction", "i1", "CALL 2026-12-01")])


def test_a_deleted_object_links_nothing() -> None:
    data = {"object_type": "deal", "object_id": "d1", "operation": "deleted",
            "state": {"links": [{"type": "person", "id": "p1"}]}}
    assert links_of(data) == ("deal", "d1", [])


def test_an_event_without_a_usable_object_id_is_refused() -> None:
    with pytest.raises(ValueError):
        links_of({"object_type": "deal", "object_id": "x" * 37, "state": {}})
