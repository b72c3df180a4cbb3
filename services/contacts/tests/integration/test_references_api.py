"""Two users on the contacts API: what one references of the other's is answered like a missing record."""
from __future__ import annotations

from typing import Any

from .conftest import ALICE, BOB, GONE, MANAGER

ContactsApi = Any
NOWHERE = "00000000-0000-0000-0000-00000000beef"


def shape(response: Any, *ids: str) -> tuple[int, dict[str, Any]]:
    """The status and body of a refusal with the ids it names blanked out (to compare two refusals)."""
    body = response.get_json()
    text = repr({key: value for key, value in body.items() if key not in ("instance", "request_id")})
    for record_id in ids:
        text = text.replace(record_id, "<id>")
    return response.status_code, text  # type: ignore[return-value]


def test_a_person_pointing_at_a_company_the_caller_cannot_see_is_refused_like_one_at_no_company(
    contacts: ContactsApi,
) -> None:
    company = contacts.create("/companies", user="alice", name="Alice s.r.o.")
    person = contacts.create("/persons", user="bob", last_name="Bobová")
    invisible = contacts.call("POST", "/persons", user="bob", json={"last_name": "X", "company_id": company["id"]})
    missing = contacts.call("POST", "/persons", user="bob", json={"last_name": "X", "company_id": NOWHERE})
    assert invisible.status_code == 422
    assert shape(invisible, company["id"]) == shape(missing, NOWHERE)
    patched = contacts.call("PATCH", f"/persons/{person['id']}", user="bob", json={"company_id": company["id"]})
    assert shape(patched, company["id"]) == shape(missing, NOWHERE)
    # alice's manager sees the company, so may point a person of the team at it
    assert contacts.call("POST", "/persons", user="manager",
                         json={"last_name": "Y", "company_id": company["id"]}).status_code == 201


def test_an_owner_must_be_the_caller_or_of_their_team_and_an_active_user(contacts: ContactsApi) -> None:
    given = contacts.call("POST", "/persons", user="bob", json={"last_name": "X", "owner_id": ALICE})
    random = contacts.call("POST", "/persons", user="bob", json={"last_name": "X", "owner_id": NOWHERE})
    assert given.status_code == 422 and set(given.get_json()["errors"]) == {"owner_id"}
    assert shape(given, ALICE) == shape(random, NOWHERE)
    assert contacts.call("POST", "/companies", user="manager", json={"name": "M", "owner_id": ALICE}).status_code == 201
    assert contacts.call("POST", "/companies", user="manager", json={"name": "M", "owner_id": GONE}).status_code == 422
    assert contacts.call("POST", "/companies", user="admin", json={"name": "A", "owner_id": BOB}).status_code == 201
    assert contacts.call("POST", "/companies", user="admin", json={"name": "A", "owner_id": NOWHERE}).status_code == 422
    bobs = contacts.create("/persons", user="bob", last_name="Bobová")
    moved = contacts.call("PATCH", f"/persons/{bobs['id']}", user="bob", json={"owner_id": MANAGER})
    assert moved.status_code == 422 and set(moved.get_json()["errors"]) == {"owner_id"}
    assert contacts.call("GET", f"/persons/{bobs['id']}", user="bob").get_json()["owner_id"] == BOB
    events = [e["type"] for e in contacts.events()]
    assert events.count("crm.person.created") == 1 and "crm.person.updated" not in events


def test_another_users_group_can_be_read_and_joined_but_neither_renamed_nor_deleted(contacts: ContactsApi) -> None:
    group = contacts.create("/groups", user="alice", name="VIP")
    assert group["owner_id"] == ALICE
    alices = contacts.create("/persons", user="alice", last_name="Nová", groups=[group["id"]])
    bobs = contacts.create("/persons", user="bob", last_name="Bobová")
    path = f"/groups/{group['id']}"
    assert contacts.call("GET", path, user="bob").status_code == 200
    assert contacts.call("DELETE", path, user="bob").status_code == 403
    assert contacts.call("PATCH", path, user="bob", json={"name": "Bob's"}).status_code == 403
    assert contacts.call("GET", f"/persons/{alices['id']}", user="alice").get_json()["groups"] == [group["id"]]
    # bob can neither add nor remove alice's person: it is missing for him
    assert contacts.call("POST", f"{path}/members", user="bob",
                         json={"kind": "person", "id": alices["id"]}).status_code == 404
    assert contacts.call("DELETE", f"{path}/members/person/{alices['id']}", user="bob").status_code == 404
    assert contacts.call("POST", f"{path}/members", user="bob", json={"kind": "person", "id": bobs["id"]}).status_code == 200
    assert [m["id"] for m in contacts.call("GET", f"{path}/members", user="bob").get_json()["items"]] == [bobs["id"]]
    assert contacts.call("PATCH", path, user="manager", json={"name": "VIP clients"}).status_code == 200
    assert contacts.call("DELETE", path, user="alice").status_code == 204
    assert contacts.call("GET", f"/persons/{alices['id']}", user="alice").get_json()["groups"] == []
