"""A running distributed suite is observable: every process's /metrics after traffic, one trace from the
gateway through contacts, its relay and the audit consumer, probes that mean something, logs with ids.

The run's distributed suite serves other tests too: what the metrics must show is counted from
before this test's traffic, once what came before has settled."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from crm_shared.declaration import installed
from crm_shared.testing.otlp import CollectedSpan, FakeCollector
from crm_suite.testing import RunningSuite, wait_for

pytestmark = pytest.mark.e2e

RELAYS = tuple(f"{service.name}-relay" for service in installed() if service.relay)
SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5  # OTLP span kinds


@pytest.fixture
def observed(distributed_suite: RunningSuite) -> RunningSuite:
    """The run's distributed suite: it exports its traces to the run's collector (tests/conftest.py)."""
    return distributed_suite


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    """Return every sample of a /metrics answer by (name, sorted labels)."""
    response = requests.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    """Return the sum of the samples of `name` whose labels include `labels` (0 if none)."""
    return sum(v for (n, found), v in samples.items()
               if n == name and set(labels.items()) <= set(found))


def present(samples: Samples, name: str, **labels: str) -> bool:
    return any(n == name and set(labels.items()) <= set(found) for (n, found) in samples)


def published(suite: RunningSuite) -> dict[str, float]:
    return {relay: value(scrape(suite.probe_url(relay)), "crm_relay_published_total") for relay in RELAYS}


def test_after_traffic_every_process_s_metrics_show_each_family_with_sensible_values(observed: RunningSuite) -> None:
    admin = observed.client()
    audit_url = observed.probe_url("audit-consumer")
    # let what came before (the first admin's events, earlier tests' writes) settle, then count from there:
    # nothing new published or taken by the audit consumer for a second
    def taken(samples: Samples) -> float:
        return sum(value(samples, name, queue="audit") for name in (
            "crm_consumer_processed_total", "crm_consumer_duplicates_total", "crm_consumer_dead_lettered_total"))

    def reading() -> tuple[float, float]:
        return sum(published(observed).values()), taken(scrape(audit_url))

    def settled() -> bool:
        before = reading()
        time.sleep(1)
        return reading() == before

    wait_for(settled, timeout=60)
    sent_before = published(observed)
    audit_before = scrape(audit_url)
    relay_before = scrape(observed.probe_url("contacts-relay"))

    def grown(samples: Samples, name: str, **labels: str) -> float:
        return value(samples, name, **labels) - value(audit_before, name, **labels)

    persons = [admin.post("/persons", json={"last_name": f"Metrika {n}"}).json() for n in range(5)]
    for person in persons[:3]:
        assert admin.patch(f"/persons/{person['id']}", json={"position": "CTO"}).status_code == 200
    assert admin.get(f"/persons/{uuid.uuid4()}").status_code == 404
    changes = len(persons) + 3

    # the contacts relay sent exactly our changes; the audit consumer processed every event sent
    wait_for(lambda: published(observed)["contacts-relay"] - sent_before["contacts-relay"] == changes, timeout=30)
    sent = sum(published(observed).values()) - sum(sent_before.values())
    wait_for(lambda: grown(scrape(audit_url), "crm_consumer_processed_total") == sent, timeout=30)

    gateway = scrape(observed.gateway)
    assert value(gateway, "crm_http_requests_total", service="gateway", route="/api/v1/persons", method="POST",
                 status="201") >= len(persons)
    assert value(gateway, "crm_http_requests_total", route="/api/v1/persons/<path>", method="PATCH",
                 status="200") >= 3
    assert value(gateway, "crm_http_request_duration_seconds_count", route="/api/v1/persons") >= len(persons)

    contacts = scrape(observed.url("contacts"))
    person_routes = {dict(labels)["route"] for (name, labels) in contacts
                     if name == "crm_http_requests_total" and dict(labels)["route"].startswith("/api/v1/persons/")}
    assert person_routes and all("<" in route for route in person_routes), person_routes  # templates, never ids
    assert not any(person["id"] in str(labels) for person in persons for (_, labels) in contacts)
    assert value(contacts, "crm_http_requests_total", method="PATCH", status="200") >= 3
    assert value(contacts, "crm_http_requests_total", method="GET", status="404") >= 1
    assert value(contacts, "crm_http_request_duration_seconds_bucket", method="POST", le="+Inf") >= len(persons)

    relay = scrape(observed.probe_url("contacts-relay"))
    assert value(relay, "crm_outbox_backlog", service="contacts") == 0
    assert value(relay, "crm_outbox_oldest_age_seconds", service="contacts") == 0
    assert value(relay, "crm_relay_batches_total", service="contacts") > value(
        relay_before, "crm_relay_batches_total", service="contacts")
    assert value(relay, "crm_relay_failed_batches_total", service="contacts") == value(
        relay_before, "crm_relay_failed_batches_total", service="contacts")

    audit = scrape(audit_url)
    assert grown(audit, "crm_consumer_duplicates_total", queue="audit") == 0
    assert grown(audit, "crm_consumer_retried_total", queue="audit") == 0
    assert grown(audit, "crm_consumer_dead_lettered_total", queue="audit") == 0
    assert grown(audit, "crm_consumer_lag_seconds_count", queue="audit") == sent
    assert 0 < grown(audit, "crm_consumer_lag_seconds_sum", queue="audit") / sent < 30
    assert grown(audit, "crm_consumer_handling_seconds_count", queue="audit") >= 1
    wait_for(lambda: present(scrape(audit_url), "crm_dead_letter_queue_depth", queue="audit"), timeout=15)
    assert value(scrape(audit_url), "crm_dead_letter_queue_depth", queue="audit") == value(
        audit_before, "crm_dead_letter_queue_depth", queue="audit")
    assert present(scrape(audit_url), "crm_queue_depth", queue="audit")
    assert present(contacts, "crm_open_streams", service="contacts")


def test_one_trace_spans_gateway_contacts_relay_and_audit_consumer_for_one_patch(
    observed: RunningSuite, collector: FakeCollector
) -> None:
    admin = observed.client()
    person = admin.post("/persons", json={"last_name": "Stopa"}).json()
    request_id = f"trace-{uuid.uuid4()}"
    response = admin.patch(f"/persons/{person['id']}", json={"position": "CFO"}, headers={"X-Request-ID": request_id})
    assert response.status_code == 200, response.text

    def whole_trace() -> list[CollectedSpan] | None:
        spans = collector.trace_of(lambda span: span.service == "gateway" and span.kind == SERVER
                                   and span.attributes.get("crm.request_id") == request_id)
        services = {span.service for span in spans}
        wanted = {"gateway", "contacts", "contacts-relay", "audit-consumer"}
        return spans if wanted <= services else None

    spans = wait_for(whole_trace, timeout=30)
    assert isinstance(spans, list)
    by_id = {span.span_id: span for span in spans}

    def one(service: str, kind: int) -> CollectedSpan:
        found = [span for span in spans if span.service == service and span.kind == kind]
        assert len(found) == 1, (service, kind, found)
        return found[0]

    gateway, proxied = one("gateway", SERVER), one("gateway", CLIENT)
    contacts = one("contacts", SERVER)
    publish = one("contacts-relay", PRODUCER)
    audit = one("audit-consumer", CONSUMER)
    assert gateway.name == "PATCH /api/v1/persons/<path>" and gateway.parent_span_id == ""
    assert contacts.name == "PATCH /api/v1/persons/<uuid:contact_id>"
    assert publish.name == audit.name.replace("process", "publish") == "publish crm.person.updated"
    # each hop is the child of the one before it: gateway → contacts → outbox row → relay → consumer
    assert by_id[proxied.parent_span_id] is gateway
    assert by_id[contacts.parent_span_id] is proxied
    assert by_id[publish.parent_span_id] is contacts
    assert by_id[audit.parent_span_id] is publish
    assert publish.attributes["messaging.message.id"] == audit.attributes["messaging.message.id"]
    assert audit.attributes["crm.correlation_id"] == request_id
    assert audit.attributes["crm.event.subject"] == person["id"]

    # the audit entry names the request that caused it
    entries = wait_for(lambda: [e for e in admin.audit_entries(object_id=person["id"]) if e["operation"] == "updated"],
                       timeout=30)
    assert [entry["correlation_id"] for entry in entries] == [request_id]  # type: ignore[union-attr]


def test_probes_of_relays_and_consumers_answer_and_readiness_means_something(observed: RunningSuite) -> None:
    for process in ("contacts-relay", "audit-consumer", "deals-consumer"):
        url = observed.probe_url(process)
        assert requests.get(f"{url}/livez", timeout=5).status_code == 200
        wait_for(lambda: requests.get(f"{url}/readyz", timeout=5).status_code == 200, timeout=30)
    assert requests.get(f"{observed.url('contacts')}/readyz", timeout=5).json() == {"status": "ready"}


def test_access_logs_are_json_lines_with_the_request_id_and_route_template(observed: RunningSuite) -> None:
    admin = observed.client()
    request_id = f"log-{uuid.uuid4()}"
    company = admin.post("/companies", json={"name": "Logy s.r.o."}, headers={"X-Request-ID": request_id}).json()
    wait_for(lambda: admin.audit_entries(object_id=company["id"]), timeout=30)
    time.sleep(0.5)
    lines = [json.loads(line) for line in observed.log_path.read_text(errors="replace").splitlines()
             if line.startswith("{") and request_id in line]
    access = [line for line in lines if line.get("logger") == "crm.access"]
    assert {line["service"] for line in access} >= {"gateway", "contacts"}
    assert all(line["request_id"] == request_id and line["status"] == 201 for line in access)
    assert {line["route"] for line in access} == {"/api/v1/companies"}
