"""A principal's team comes from the token; an event's data may carry extra top-level members."""
from __future__ import annotations

from crm_shared.auth import Principal
from crm_shared.events import ObjectChanged


def test_a_managers_team_is_read_from_the_team_claim_and_defaults_to_nobody() -> None:
    manager = Principal.from_claims({"sub": "m1", "name": "Mona", "role": "manager", "team": ["u1", "u2"]})
    user = Principal.from_claims({"sub": "u1", "name": "Ula", "role": "user", "manager_id": "m1"})
    assert manager.team == ("u1", "u2")
    assert user.team == () and user.manager_id == "m1"


def test_extra_members_appear_at_the_top_of_an_events_data() -> None:
    event = ObjectChanged("person", "p1", "Jana", "/api/v1/persons/p1", "merged", 3, extra={"merged_from": ["p2"]})
    data = event.data()
    assert data["merged_from"] == ["p2"] and data["operation"] == "merged"
    assert "extra" not in data
