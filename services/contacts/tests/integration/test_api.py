"""The contacts API on SQLite and PostgreSQL: each write commits exactly one event with it."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from crm_shared.service_app import context_of
from crm_shared.testing.apps import migrated_app, outbox_events
from crm_shared.testing.tokens import TokenIssuer

from crm_contacts.app import create_app
from crm_contacts.declaration import SERVICE

issuer = TokenIssuer()
USER = issuer.headers("user", user_id="11111111-1111-1111-1111-111111111111", name="Petr Svoboda")


class Api:
    """A test client that also reads the outbox the writes leave behind."""

    def __init__(self, client: FlaskClient, engine: sa.Engine) -> None:
        self.client = client
        self.engine = engine

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers={**USER, **(headers or {})}, **kwargs)

    def events(self) -> list[dict[str, Any]]:
        return outbox_events(self.engine)


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    with migrated_app(SERVICE, create_app, any_database_url, tmp_path, issuer.verifier()) as app:
        yield Api(app.test_client(), context_of(app).engine)


def changes_of(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["before"], c["after"]) for c in event["data"]["changes"]}


def test_creating_a_person_answers_the_record_with_etag_and_commits_a_created_event(api: Api) -> None:
    response = api.call("POST", "/persons", json={"first_name": "Jana", "last_name": "Nováková",
                                                  "phones": ["+420 111 222 333"]})
    assert response.status_code == 201
    person = response.get_json()
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Location"] == f"/api/v1/persons/{person['id']}"
    assert person["owner_id"] == "11111111-1111-1111-1111-111111111111"
    [event] = api.events()
    assert event["type"] == "crm.person.created"
    assert event["subject"] == person["id"]
    assert event["sequence"] == 1
    assert event["actorname"] == "Petr Svoboda"
    assert event["data"]["object_name"] == "Jana Nováková"
    assert changes_of(event)["phones"] == (None, ["+420 111 222 333"])


def test_changing_phones_commits_an_updated_event_with_before_and_after(api: Api) -> None:
    person = api.call("POST", "/persons", json={"last_name": "Nová", "phones": ["+420 111 222 333"]}).get_json()
    response = api.call("PATCH", f"/persons/{person['id']}", json={"phones": ["+420 777 888 999"]},
                        headers={"If-Match": '"v1"'})
    assert response.status_code == 200
    assert response.get_json()["version"] == 2
    event = api.events()[-1]
    assert event["type"] == "crm.person.updated"
    assert event["sequence"] == 2
    assert changes_of(event) == {"phones": (["+420 111 222 333"], ["+420 777 888 999"])}


def test_a_stale_if_match_answers_412_and_changes_nothing(api: Api) -> None:
    person = api.call("POST", "/persons", json={"last_name": "Nová"}).get_json()
    api.call("PATCH", f"/persons/{person['id']}", json={"first_name": "Eva"})
    response = api.call("PATCH", f"/persons/{person['id']}", json={"first_name": "Ida"}, headers={"If-Match": '"v1"'})
    assert response.status_code == 412
    assert response.content_type == "application/problem+json"
    assert api.call("GET", f"/persons/{person['id']}").get_json()["first_name"] == "Eva"
    assert len(api.events()) == 2


def test_a_conditional_read_of_the_current_version_answers_304(api: Api) -> None:
    person = api.call("POST", "/persons", json={"last_name": "Nová"}).get_json()
    assert api.call("GET", f"/persons/{person['id']}", headers={"If-None-Match": '"v1"'}).status_code == 304
    assert api.call("GET", f"/persons/{person['id']}", headers={"If-None-Match": '"v0"'}).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ("{not json", 400, None),
        ('{"last_name": "A", "nickname": "x"}', 422, {"nickname"}),
        ('{"last_name": "A", "emails": ["not-an-email"]}', 422, {"emails.0"}),
        ('{"last_name": "A", "phones": "+420"}', 422, {"phones"}),
        ('{"first_name": ""}', 422, {"last_name"}),
        ('{"last_name": "A", "company_id": "00000000-0000-0000-0000-000000000000"}', 422, {"company_id"}),
        ('[1, 2]', 422, {"_body"}),
    ],
)
def test_bad_input_is_a_problem_naming_the_fields_and_writes_nothing(
    api: Api, body: str, status: int, fields: set[str] | None
) -> None:
    response = api.call("POST", "/persons", data=body, content_type="application/json")
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if fields:
        assert set(problem["errors"]) == fields
    assert api.events() == []


def test_without_a_valid_token_nothing_is_served(api: Api) -> None:
    assert api.client.get("/api/v1/persons").status_code == 401
    other = TokenIssuer().headers("admin")
    assert api.client.get("/api/v1/persons", headers=other).status_code == 401
    expired = issuer.headers("admin", ttl=-60)
    assert api.client.post("/api/v1/persons", json={"last_name": "X"}, headers=expired).status_code == 401
    assert api.events() == []


def test_deleting_a_person_commits_a_deleted_event_and_the_record_is_gone(api: Api) -> None:
    person = api.call("POST", "/persons", json={"last_name": "Nová", "emails": ["n@example.cz"]}).get_json()
    assert api.call("DELETE", f"/persons/{person['id']}").status_code == 204
    assert api.call("GET", f"/persons/{person['id']}").status_code == 404
    event = api.events()[-1]
    assert event["type"] == "crm.person.deleted"
    assert changes_of(event)["emails"] == (["n@example.cz"], None)


def test_a_company_with_persons_is_deleted_only_when_the_cascade_is_confirmed(api: Api) -> None:
    company = api.call("POST", "/companies", json={"name": "ACME s.r.o.", "reg_id": "27074358"}).get_json()
    person = api.call("POST", "/persons", json={"last_name": "Nová", "company_id": company["id"]}).get_json()
    refused = api.call("DELETE", f"/companies/{company['id']}")
    assert refused.status_code == 409
    assert refused.get_json()["links"] == [{"type": "person", "id": person["id"], "name": "Nová"}]
    assert api.call("DELETE", f"/companies/{company['id']}?cascade=true").status_code == 204
    assert api.call("GET", f"/persons/{person['id']}").get_json()["company_id"] is None
    assert [e["type"] for e in api.events()[-2:]] == ["crm.person.updated", "crm.company.deleted"]


def test_lists_search_filter_and_page_without_gaps_or_repeats(api: Api) -> None:
    names = ["Dvořák", "Adámek", "Černá", "Beneš", "Fiala", "Egrová", "Horák"]
    for index, name in enumerate(names):
        api.call("POST", "/persons", json={"last_name": name, "phones": [f"+420 600 000 00{index}"],
                                           "tags": ["vip"] if index % 2 == 0 else []})
    seen: list[str] = []
    cursor = None
    while True:
        page = api.call("GET", "/persons?limit=3" + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [item["last_name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Adámek", "Beneš", "Černá", "Dvořák", "Egrová", "Fiala", "Horák"]
    found = api.call("GET", "/persons?q=600 000 003").get_json()["items"]
    assert [item["last_name"] for item in found] == ["Beneš"]
    assert [item["last_name"] for item in api.call("GET", "/persons?q=cerna").get_json()["items"]] == ["Černá"]
    tagged = api.call("GET", "/persons?tag=vip&sort=-name").get_json()["items"]
    assert [item["last_name"] for item in tagged] == ["Horák", "Fiala", "Dvořák", "Černá"]
    assert api.call("GET", "/persons?cursor=garbage").status_code == 422
    assert api.call("GET", "/persons?owner_id=22222222-2222-2222-2222-222222222222").get_json()["items"] == []
