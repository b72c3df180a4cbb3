"""Company lookups in ARES (a local fake of it), the registry fill, and search links."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from crm_shared.testing.apps import ApiClient, migrated_app
from crm_shared.testing.fake_ares import FakeAres
from crm_shared.testing.tokens import TokenIssuer
from crm_suite.testing import free_port

from crm_contacts.app import create_app
from crm_contacts.declaration import SERVICE

ALICE = "aaaaaaaa-2222-0000-0000-000000000001"
issuer = TokenIssuer()
ALICE_HEADERS = issuer.headers("user", user_id=ALICE, name="Alice User")
BOB_HEADERS = issuer.headers("user", name="Bob User")


@contextmanager
def contacts_app(database_url: str, data_dir: Path, ares_url: str) -> Iterator[ApiClient]:
    env = {"CRM_ARES_URL": ares_url, "CRM_ARES_TIMEOUT_SECONDS": "0.5"}
    with migrated_app(SERVICE, create_app, database_url, data_dir, issuer.verifier(), env) as app:
        yield ApiClient(app, ALICE_HEADERS)


@pytest.fixture
def ares() -> Iterator[FakeAres]:
    with FakeAres() as fake:
        yield fake


@pytest.fixture
def api(any_database_url: str, tmp_path: Path, ares: FakeAres) -> Iterator[ApiClient]:
    with contacts_app(any_database_url, tmp_path, ares.url) as client:
        yield client


@pytest.fixture
def lookups(sqlite_url: str, tmp_path: Path, ares: FakeAres) -> Iterator[ApiClient]:
    """The app for calls that never touch the contacts database: SQLite is enough."""
    with contacts_app(sqlite_url, tmp_path, ares.url) as client:
        yield client


def test_a_valid_ico_finds_the_company_with_name_dic_and_address(lookups: ApiClient) -> None:
    response = lookups.call("GET", "/registry/companies?ico=27074358")

    assert response.status_code == 200
    [company] = response.get_json()["items"]
    assert company == {
        "registry": "ares", "reg_id": "27074358", "name": "Asseco Central Europe, a.s.", "vat_id": "CZ27074358",
        "address": {"street": "Budějovická 778/3a", "city": "Praha", "postal_code": "140 00",
                    "country": "Česká republika"},
        "address_text": "Budějovická 778/3a, Michle, 14000 Praha 4",
    }


def test_a_short_ico_is_padded_and_answers_are_cached(lookups: ApiClient, ares: FakeAres) -> None:
    assert lookups.call("GET", "/registry/companies?ico=6947").get_json()["items"][0]["reg_id"] == "00006947"
    assert lookups.call("GET", "/registry/companies?ico=00006947").status_code == 200

    assert ares.calls == [("GET", "/ekonomicke-subjekty-v-be/rest/ekonomicke-subjekty/00006947")]


def test_a_wrong_check_digit_is_422_and_ares_is_never_called(lookups: ApiClient, ares: FakeAres) -> None:
    response = lookups.call("GET", "/registry/companies?ico=27074359")

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "check digit" in response.get_json()["errors"]["ico"][0]
    assert ares.calls == []


def test_an_unknown_ico_is_a_404_problem(lookups: ApiClient) -> None:
    response = lookups.call("GET", "/registry/companies?ico=12345679")

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "12345679" in response.get_json()["detail"]


def test_a_name_search_answers_every_match(lookups: ApiClient, ares: FakeAres) -> None:
    response = lookups.call("GET", "/registry/companies?name=nováčk")

    assert response.status_code == 200
    assert [c["reg_id"] for c in response.get_json()["items"]] == ["25596641"]
    assert ares.calls[0][0] == "POST"
    assert lookups.call("GET", "/registry/companies?name=nothing-like-it").get_json()["items"] == []


@pytest.mark.parametrize("query", ["", "?ico=27074358&name=Asseco", "?name=A", "?ico=1&color=red"])
def test_a_lookup_needs_exactly_one_of_ico_or_name(lookups: ApiClient, query: str) -> None:
    assert lookups.call("GET", f"/registry/companies{query}").status_code == 422


def test_registry_fill_copies_name_ico_dic_and_address_as_an_audited_update(api: ApiClient) -> None:
    company = api.call("POST", "/companies", json={"name": "asseco", "reg_id": "27074358"}).get_json()

    response = api.call("POST", f"/companies/{company['id']}/registry-fill")

    assert response.status_code == 200, response.get_json()
    filled = response.get_json()
    assert (filled["name"], filled["vat_id"], filled["version"]) == ("Asseco Central Europe, a.s.", "CZ27074358", 2)
    assert filled["address"]["street"] == "Budějovická 778/3a"
    assert response.headers["ETag"] == '"v2"'
    event = api.events()[-1]
    assert event["type"] == "crm.company.updated"
    changes = {c["field"]: (c["before"], c["after"]) for c in event["data"]["changes"]}
    assert changes["name"] == ("asseco", "Asseco Central Europe, a.s.")
    assert changes["vat_id"] == (None, "CZ27074358")
    assert set(changes) == {"name", "vat_id", "address"}


def test_registry_fill_takes_an_ico_from_the_body_and_refuses_a_company_without_one(api: ApiClient) -> None:
    company = api.call("POST", "/companies", json={"name": "MF"}).get_json()

    assert api.call("POST", f"/companies/{company['id']}/registry-fill").status_code == 422
    filled = api.call("POST", f"/companies/{company['id']}/registry-fill", json={"reg_id": "6947"})
    assert filled.status_code == 200
    assert (filled.get_json()["reg_id"], filled.get_json()["name"]) == ("00006947", "Ministerstvo financí")


def test_registry_fill_of_a_company_the_caller_may_not_see_is_404_and_writes_nothing(api: ApiClient) -> None:
    company = api.call("POST", "/companies", json={"name": "asseco", "reg_id": "27074358"}).get_json()
    before = len(api.events())

    assert api.call("POST", f"/companies/{company['id']}/registry-fill", headers=BOB_HEADERS).status_code == 404
    assert len(api.events()) == before


def test_search_links_name_firmy_cz_and_google(api: ApiClient) -> None:
    company = api.call("POST", "/companies", json={"name": "Řeznictví U Nováčků"}).get_json()

    links = api.call("GET", f"/companies/{company['id']}/search-links").get_json()

    assert links == {"firmy_cz": "https://www.firmy.cz/?q=%C5%98eznictv%C3%AD+U+Nov%C3%A1%C4%8Dk%C5%AF",
                     "google": "https://www.google.cz/search?q=%C5%98eznictv%C3%AD+U+Nov%C3%A1%C4%8Dk%C5%AF"}


def test_ares_down_is_a_502_problem(sqlite_url: str, tmp_path: Path) -> None:
    with contacts_app(sqlite_url, tmp_path, f"http://127.0.0.1:{free_port()}/rest") as api:
        response = api.call("GET", "/registry/companies?ico=27074358")

    assert response.status_code == 502
    assert response.content_type == "application/problem+json"
    assert "ARES" in response.get_json()["detail"]


def test_ares_slower_than_the_timeout_is_a_504_problem(sqlite_url: str, tmp_path: Path) -> None:
    with FakeAres(delay=1.5) as slow, contacts_app(sqlite_url, tmp_path, slow.url) as api:
        response = api.call("GET", "/registry/companies?ico=27074358")
        company = api.call("POST", "/companies", json={"name": "x", "reg_id": "27074358"}).get_json()
        fill = api.call("POST", f"/companies/{company['id']}/registry-fill")

    assert response.status_code == 504
    assert response.content_type == "application/problem+json"
    assert fill.status_code == 504
