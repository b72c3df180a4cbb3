"""The route table, without Flask."""
import pytest

from crm_shared.declaration import ServiceDeclaration

from crm_gateway.routes import OWNERS, PUBLIC_PREFIXES, RouteTable, declared_public_prefixes, owner_of


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/persons", "contacts"),
        ("/api/v1/persons/7f1c/vcard", "contacts"),
        ("/api/v1/companies/1", "contacts"),
        ("/api/v1/groups", "contacts"),
        ("/api/v1/registry/ares/27074358", "contacts"),
        ("/api/v1/audit/entries/export", "audit"),
        ("/api/v1/deals", "deals"),
        ("/api/v1/processes/1/stages", "deals"),
        ("/api/v1/deal-sources", "deals"),
        ("/api/v1/tasks", "tasks"),
        ("/api/v1/task-types", "tasks"),
        ("/api/v1/task-statuses", "tasks"),
        ("/api/v1/task-templates/3/apply", "tasks"),
        ("/api/v1/task-sharing/7", "tasks"),
        ("/api/v1/task-feed/secret.ics", "tasks"),
        ("/api/v1/spaces", "tasks"),
        ("/api/v1/counters/me", "counters"),
        ("/api/v1/interactions", "interactions"),
        ("/api/v1/interaction-templates", "interactions"),
    ],
)
def test_each_api_path_belongs_to_its_service(path: str, service: str) -> None:
    assert owner_of(path) == service


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/personsx", "/api/v1/", "/api/v2/persons", "/persons", "/api/v1/users"]
)
def test_paths_no_service_owns_have_no_owner(path: str) -> None:
    assert owner_of(path) is None


def test_base_urls_come_from_the_environment_or_the_local_defaults() -> None:
    routes = RouteTable.from_environ({"CRM_AUDIT_URL": "http://audit.internal:9000/"})
    assert routes.resolve("/api/v1/audit/entries") == ("audit", "http://audit.internal:9000")
    assert routes.resolve("/api/v1/persons") == ("contacts", "http://127.0.0.1:8081")
    assert routes.resolve("/api/v1/tasks") == ("tasks", "http://127.0.0.1:8083")
    assert set(routes.base_urls) == set(OWNERS.values())


def test_a_declared_public_route_is_passed_on_without_a_token_and_no_other_is() -> None:
    declared = [ServiceDeclaration(name="a", port=1, routes=("x", "feed"), public_routes=("feed", "x/stream")),
                ServiceDeclaration(name="b", port=2, routes=("y",))]
    assert declared_public_prefixes(declared) == ("/api/v1/feed/", "/api/v1/x/stream")
    assert set(PUBLIC_PREFIXES) == {"/api/v1/task-feed/", "/api/v1/counters/stream", "/api/v1/audit/stream"}


@pytest.mark.parametrize(("path", "public"), [
    ("/api/v1/counters/stream", True),
    ("/api/v1/audit/stream", True),
    ("/api/v1/task-feed/secret.ics", True),
    ("/api/v1/counters/stream-ticket", False),  # a sibling of a public path needs a token
    ("/api/v1/audit/stream-ticket", False),
    ("/api/v1/task-feeds", False),
    ("/api/v1/counters/me", False),
])
def test_public_paths_open_themselves_and_what_lies_below_them_never_a_sibling(path: str, public: bool) -> None:
    from crm_shared.auth import is_public

    assert is_public(path, PUBLIC_PREFIXES) is public
