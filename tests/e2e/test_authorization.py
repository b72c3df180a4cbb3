"""Through the gateway, two real users: what one references of the other's is answered like a missing record."""
from __future__ import annotations

import uuid
from typing import Any

import pytest

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e

PASSWORD = "two-users-secret-pass"


def two_users(suite: RunningSuite) -> tuple[Client, Client, str]:
    """Create two plain users as the admin; return their clients and the first one's id."""
    admin = suite.client()
    ids = []
    run = uuid.uuid4().hex[:6]
    for name in ("anna", "bert"):
        created = admin.post("/users", json={"username": f"{name}-{run}", "password": PASSWORD,
                                             "name": name.title(), "email": f"{name}@example.cz", "role": "user"})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return suite.client(f"anna-{run}", PASSWORD), suite.client(f"bert-{run}", PASSWORD), ids[0]


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def refusal(response: Any, record_id: str) -> tuple[int, str]:
    body = {key: value for key, value in response.json().items() if key not in ("instance", "request_id")}
    return response.status_code, repr(body).replace(record_id, "<id>")


def test_a_users_contact_linked_by_another_into_a_deal_shows_no_name_and_blocks_nothing(suite: RunningSuite) -> None:
    anna, bert, _ = two_users(suite)
    person = ok(anna.post("/persons", json={"first_name": "Jana", "last_name": "Annina"}))
    # the deals service has heard of Anna's person once her own deal names it
    own = ok(anna.post("/deals", json={"name": "Anna's", "links": [{"type": "person", "id": person["id"]}]}))
    wait_for(lambda: anna.get(f"/deals/{own['id']}").json()["links"][0]["name"] == "Jana Annina", timeout=60)
    assert anna.delete(f"/deals/{own['id']}").status_code == 204
    wait_for(lambda: anna.get(f"/persons/{person['id']}/links").json()["items"] == [], timeout=60)

    berts = ok(bert.post("/persons", json={"first_name": "Petr", "last_name": "Bertův"}))
    deal = ok(bert.post("/deals", json={"name": "Bert's", "links": [{"type": "person", "id": berts["id"]}]}))
    linked = ok(bert.post(f"/deals/{deal['id']}/links", json={"type": "person", "id": person["id"]}), 200)
    random_id = str(uuid.uuid4())
    unknown = ok(bert.post(f"/deals/{deal['id']}/links", json={"type": "person", "id": random_id}), 200)
    assert linked["links"][1] == {"type": "person", "id": person["id"], "name": None}
    assert unknown["links"][2] == {"type": "person", "id": random_id, "name": None}
    # once the contacts service has Bert's deal's links, Anna's person is still not among them
    wait_for(lambda: [x["id"] for x in bert.get(f"/persons/{berts['id']}/links").json()["items"]] == [deal["id"]],
             timeout=60)
    assert anna.get(f"/persons/{person['id']}/links").json()["items"] == []
    # Bert's own person gets its name when its event reaches the deals service; Anna's never does
    wait_for(lambda: [x["name"] for x in bert.get(f"/deals/{deal['id']}").json()["links"]] == ["Petr Bertův", None, None],
             timeout=60)
    assert anna.delete(f"/persons/{person['id']}").status_code == 204


def test_companies_groups_and_owners_of_another_user_are_answered_like_missing_ones(suite: RunningSuite) -> None:
    anna, bert, anna_id = two_users(suite)
    company = ok(anna.post("/companies", json={"name": "Annina s.r.o."}))
    nowhere = str(uuid.uuid4())
    invisible = bert.post("/persons", json={"last_name": "X", "company_id": company["id"]})
    missing = bert.post("/persons", json={"last_name": "X", "company_id": nowhere})
    assert invisible.status_code == 422 and refusal(invisible, company["id"]) == refusal(missing, nowhere)

    given = bert.post("/persons", json={"last_name": "X", "owner_id": anna_id})
    random_owner = bert.post("/persons", json={"last_name": "X", "owner_id": nowhere})
    assert given.status_code == 422 and refusal(given, anna_id) == refusal(random_owner, nowhere)
    deal_owner = bert.post("/deals", json={"name": "D", "owner_id": anna_id})
    assert deal_owner.status_code == 422 and list(deal_owner.json()["errors"]) == ["owner_id"]

    group = ok(anna.post("/groups", json={"name": f"VIP {nowhere[:6]}"}))
    member = ok(anna.post("/persons", json={"last_name": "Členka", "groups": [group["id"]]}))
    assert bert.delete(f"/groups/{group['id']}").status_code == 403
    assert anna.get(f"/persons/{member['id']}").json()["groups"] == [group["id"]]
    assert bert.post(f"/groups/{group['id']}/members", json={"kind": "person", "id": member["id"]}).status_code == 404
