"""Two users on the deals API: a contact of the other's is linked exactly like an unknown id, and stays hidden."""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from crm_shared.config import Settings
from crm_shared.migrations import upgrade
from crm_shared.service_app import context_of
from crm_shared.testing.sessions import FakeUserDirectory
from crm_shared.testing.tokens import TokenIssuer

import crm_deals
from crm_deals.app import create_app
from crm_deals.service_layer.incoming import handle_events
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

from .contact_events import contact_event

MIGRATIONS = str(Path(crm_deals.__file__).parent / "migrations")
issuer = TokenIssuer()
ALICE, BOB, BOSS, GONE = (str(uuid.UUID(int=n)) for n in (1, 2, 3, 4))
TOKENS = {
    "alice": issuer.headers("user", user_id=ALICE, name="Alice", manager_id=BOSS),
    "bob": issuer.headers("user", user_id=BOB, name="Bob"),
    "boss": issuer.headers("manager", user_id=BOSS, name="Boss", team=[ALICE, GONE]),
    "admin": issuer.headers("admin", name="Admin"),
}


class Deals:
    def __init__(self, app: Any) -> None:
        self.client = app.test_client()
        self.engine: sa.Engine = context_of(app).engine

    def call(self, method: str, path: str, user: str = "bob", **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers=TOKENS[user], **kwargs)

    def contact(self, kind: str, owner: str, name: str, operation: str = "created", sequence: int = 1) -> str:
        contact_id = str(uuid.uuid4())
        self.event(kind, contact_id, operation, sequence, name, owner)
        return contact_id

    def event(self, kind: str, contact_id: str, operation: str, sequence: int, name: str, owner: str) -> None:
        with self.engine.begin() as connection:
            handle_events(DealsUnitOfWork(connection=connection),
                          [contact_event(kind, contact_id, operation, sequence, name, owner_id=owner)])

    def events(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [json.loads(b) for b in conn.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars()]


@pytest.fixture
def deals(any_database_url: str, tmp_path: Path) -> Iterator[Deals]:
    settings = Settings.from_env("deals", {"CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": any_database_url})
    upgrade(settings.database_url, MIGRATIONS, "deals")
    users = FakeUserDirectory()
    users.add(ALICE, manager_id=BOSS)
    users.add(BOB)
    users.add(BOSS, role="manager")
    users.add(GONE, active=False, manager_id=BOSS)
    api = Deals(create_app(settings, verifier=issuer.verifier(), users_for=lambda _token: users))
    yield api
    api.engine.dispose()


def answer(response: Any, contact_id: str) -> Any:
    """A link answer with the ids that differ between two calls blanked out."""
    body = response.get_json()
    link = next(item for item in body["links"] if item["id"] == contact_id)
    return response.status_code, {**link, "id": "<id>"}


def test_linking_anothers_contact_answers_like_an_unknown_id_and_never_shows_its_name(deals: Deals) -> None:
    alices = deals.contact("person", ALICE, "Jana Alicina")
    deal = deals.call("POST", "/deals", json={"name": "Bob's"}).get_json()
    path = f"/deals/{deal['id']}"
    invisible = deals.call("POST", f"{path}/links", json={"type": "person", "id": alices})
    unknown_id = str(uuid.uuid4())
    unknown = deals.call("POST", f"{path}/links", json={"type": "person", "id": unknown_id})
    assert answer(invisible, alices) == answer(unknown, unknown_id) == (200, {"type": "person", "id": "<id>",
                                                                             "name": None})
    # even the wrong kind is not refused: that would tell Bob what the id is
    wrong_kind = deals.call("POST", f"{path}/links", json={"type": "company", "id": deals.contact("person", ALICE, "P")})
    assert wrong_kind.status_code == 200
    again = deals.call("GET", path).get_json()
    assert [link["name"] for link in again["links"]] == [None, None, None]
    deals.event("person", alices, "updated", 2, "Jana Renamed", ALICE)
    assert deals.call("GET", path).get_json()["links"][0]["name"] is None


def test_a_hidden_link_is_left_out_of_the_deals_events_so_it_neither_blocks_nor_reveals(deals: Deals) -> None:
    alices = deals.contact("person", ALICE, "Jana Alicina")
    bobs = deals.contact("company", BOB, "Bob s.r.o.")
    deal = deals.call("POST", "/deals", json={"name": "Bob's", "links": [
        {"type": "person", "id": alices}, {"type": "company", "id": bobs}]}).get_json()
    [created] = deals.events()
    assert created["data"]["state"]["links"] == [{"type": "company", "id": bobs, "name": "Bob s.r.o."}]
    # Alice deletes her person: Bob's hidden link stays as it was, like a link to an id that never existed
    deals.event("person", alices, "deleted", 2, "Jana Alicina", ALICE)
    assert len(deals.events()) == 1
    assert [link["id"] for link in deals.call("GET", f"/deals/{deal['id']}").get_json()["links"]] == [alices, bobs]


def test_a_link_awaiting_its_contact_becomes_hidden_when_the_contact_turns_out_to_be_anothers(deals: Deals) -> None:
    soon, mine = str(uuid.uuid4()), str(uuid.uuid4())
    deal = deals.call("POST", "/deals", json={"name": "Bob's", "links": [
        {"type": "person", "id": soon}, {"type": "person", "id": mine}]}).get_json()
    deals.event("person", mine, "created", 1, "Bobův", BOB)
    assert len(deals.events()) == 1  # a link Bob may see just gets its name
    deals.event("person", soon, "created", 1, "Jana Alicina", ALICE)
    hidden = deals.events()[-1]
    assert (hidden["type"], hidden["actorid"]) == ("crm.deal.updated", "system")
    assert hidden["data"]["changes"] == [{"field": "links", "before": {"type": "person", "id": soon, "name": None},
                                         "after": None}]
    assert hidden["data"]["state"]["links"] == [{"type": "person", "id": mine, "name": "Bobův"}]
    links = deals.call("GET", f"/deals/{deal['id']}").get_json()["links"]
    assert links == [{"type": "person", "id": soon, "name": None}, {"type": "person", "id": mine, "name": "Bobův"}]


def test_readers_see_the_names_only_of_linked_contacts_they_may_see(deals: Deals) -> None:
    alices = deals.contact("person", ALICE, "Jana Alicina")
    bobs = deals.contact("person", BOB, "Bobův")
    deal = deals.call("POST", "/deals", user="admin", json={"name": "Bob's", "owner_id": BOB, "links": [
        {"type": "person", "id": alices}, {"type": "person", "id": bobs}]}).get_json()
    assert [link["name"] for link in deal["links"]] == ["Jana Alicina", "Bobův"]
    seen = deals.call("GET", f"/deals/{deal['id']}", user="bob").get_json()
    assert [link["name"] for link in seen["links"]] == [None, "Bobův"]
    listed = deals.call("GET", "/deals", user="bob").get_json()["items"]
    assert [link["name"] for link in listed[0]["links"]] == [None, "Bobův"]


def test_a_deals_owner_must_be_the_caller_of_their_team_and_an_active_user(deals: Deals) -> None:
    given = deals.call("POST", "/deals", json={"name": "D", "owner_id": ALICE})
    random = deals.call("POST", "/deals", json={"name": "D", "owner_id": str(uuid.uuid4())})
    assert given.status_code == random.status_code == 422
    assert list(given.get_json()["errors"]) == list(random.get_json()["errors"]) == ["owner_id"]
    assert deals.call("POST", "/deals", user="boss", json={"name": "D", "owner_id": ALICE}).status_code == 201
    assert deals.call("POST", "/deals", user="boss", json={"name": "D", "owner_id": GONE}).status_code == 422
    mine = deals.call("POST", "/deals", json={"name": "D"}).get_json()
    moved = deals.call("PATCH", f"/deals/{mine['id']}", json={"owner_id": BOSS})
    assert moved.status_code == 422 and list(moved.get_json()["errors"]) == ["owner_id"]
    assert deals.call("PATCH", f"/deals/{mine['id']}", user="admin", json={"owner_id": ALICE}).status_code == 200
