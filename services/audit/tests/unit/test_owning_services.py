"""The owning services over HTTP: found by the declared routes, called as the admin, refusals passed on."""
from __future__ import annotations

from typing import Any, Mapping

import pytest

from crm_shared.errors import BadGateway, Locked, NotFound, Problem, ServiceUnavailable, ValidationFailed
from crm_shared.gateway_client import Answer

from crm_audit.adapters.owners import HttpOwningServices
from crm_audit.restoring import Caller

ADMIN = Caller("Bearer admin-token", "req-1")
ENVIRON = {"CRM_CONTACTS_URL": "http://contacts:1", "CRM_DEALS_URL": "http://deals:2", "CRM_TASKS_URL": "http://tasks:3"}


class FakeClient:
    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, str, Mapping[str, str], Any]] = []

    def send(self, method: str, url: str, headers: Mapping[str, str], body: Any = None, *,
             service: str = "service") -> Answer:
        self.sent.append((method, url, headers, body))
        return self.answers.pop(0)


@pytest.mark.parametrize("link, url", [
    ("/api/v1/persons/p-1", "http://contacts:1/api/v1/persons/p-1"),
    ("/api/v1/companies/c-1", "http://contacts:1/api/v1/companies/c-1"),
    ("/api/v1/deals/d-1", "http://deals:2/api/v1/deals/d-1"),
    ("/api/v1/tasks/t-1", "http://tasks:3/api/v1/tasks/t-1"),
])
def test_the_record_is_read_from_the_service_owning_its_link_as_the_admin(link: str, url: str) -> None:
    client = FakeClient(Answer(200, {"id": "x", "version": 3}, {"etag": '"3"'}))
    record = HttpOwningServices(ENVIRON, client).read(link, ADMIN)  # type: ignore[arg-type]
    assert (record.version, client.sent[0][:2]) == ('"3"', ("GET", url))
    assert client.sent[0][2] == {"Authorization": "Bearer admin-token", "X-Request-ID": "req-1"}


def test_the_patch_sends_the_version_read_and_names_the_entry_it_restores() -> None:
    client = FakeClient(Answer(200, {"id": "p-1", "phones": ["1"]}, {"etag": '"4"'}))
    HttpOwningServices(ENVIRON, client).patch(  # type: ignore[arg-type]
        "/api/v1/persons/p-1", {"phones": ["1"]}, version='"3"', caller=ADMIN, restores_entry="e-1")
    method, _, headers, body = client.sent[0]
    assert (method, body, headers["If-Match"], headers["X-CRM-Restores-Entry"]) == ("PATCH", {"phones": ["1"]},
                                                                                  '"3"', "e-1")


@pytest.mark.parametrize("answer, kind, extra", [
    (Answer(404, {"title": "Not Found", "status": 404, "detail": "No person p-1."}), NotFound, {}),
    (Answer(423, {"title": "Locked", "status": 423, "detail": "Locked by Ann.", "holder": {"id": "a"}}), Locked,
     {"holder": {"id": "a"}}),
    (Answer(422, {"status": 422, "detail": "Invalid.", "errors": {"phones": ["Bad."]}}), ValidationFailed,
     {"errors": {"phones": ["Bad."]}}),
    (Answer(503, {"detail": "The database is unavailable."}), ServiceUnavailable, {}),
    (Answer(500, None), BadGateway, {}),
    (Answer(200, ["not", "a", "record"]), BadGateway, {}),
])
def test_the_owning_service_s_answer_is_passed_on_with_its_status_and_detail(answer: Answer, kind: type[Problem],
                                                                            extra: dict[str, Any]) -> None:
    with pytest.raises(kind) as refused:
        HttpOwningServices(ENVIRON, FakeClient(answer)).read("/api/v1/persons/p-1", ADMIN)  # type: ignore[arg-type]
    assert refused.value.extra == extra
    if answer.status in (404, 423):
        assert refused.value.detail == answer.body["detail"]


def test_a_link_no_service_serves_is_a_conflict_and_nothing_is_called() -> None:
    client = FakeClient()
    with pytest.raises(Problem) as refused:
        HttpOwningServices(ENVIRON, client).read("/api/v1/nothing-here/x-1", ADMIN)  # type: ignore[arg-type]
    assert refused.value.status == 409 and client.sent == []
