"""Metrics by route template, JSON access logs with the request id, probes, the envelope's trace context,
and the alert rules and dashboard naming only metrics the suite exports."""
from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path
from typing import Iterator

import pytest
import requests
import yaml
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from crm_shared import logs, metrics
from crm_shared.config import Settings
from crm_shared.envelope import Actor, parse, wrap
from crm_shared.events import ObjectChanged
from crm_shared.probes import ProbeServer, start_from_env
from crm_shared.types import utcnow
from crm_shared.web import create_service_app
from crm_suite.plan import long_running

REPO = Path(__file__).resolve().parents[3]
OBSERVABILITY = REPO / "deploy" / "observability"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = Settings.from_env("probe-test", {"CRM_DATA_DIR": str(tmp_path)})
    app, _api = create_service_app(settings, title="test", blueprints=[], verifier=None)
    app.add_url_rule("/items/<int:item_id>", "item", lambda item_id: {"id": item_id})
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    return app


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter("probe-test"))
    logger = logging.getLogger("crm.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_requests_are_counted_and_timed_by_url_rule_and_status_never_by_raw_path(app: Flask) -> None:
    client = app.test_client()
    for n in (1, 2, 3):
        assert client.get(f"/items/{n}").status_code == 200
    assert client.get("/nothing/here/42").status_code == 404
    assert client.get("/boom").status_code == 500

    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.content_type.startswith("text/plain")
    found = samples(answer.get_data(as_text=True))
    labels = frozenset({"service": "probe-test", "method": "GET", "route": "/items/<int:item_id>",
                        "status": "200"}.items())
    assert found[("crm_http_requests_total", labels)] >= 3
    assert found[("crm_http_requests_total", frozenset({"service": "probe-test", "method": "GET",
                                                        "route": "<unmatched>", "status": "404"}.items()))] >= 1
    assert found[("crm_http_requests_total", frozenset({"service": "probe-test", "method": "GET",
                                                        "route": "/boom", "status": "500"}.items()))] >= 1
    bucket = frozenset({"service": "probe-test", "method": "GET", "route": "/items/<int:item_id>", "le": "+Inf"}.items())
    assert found[("crm_http_request_duration_seconds_bucket", bucket)] >= 3
    assert not any("/items/1" in dict(labels).get("route", "") or "/nothing" in dict(labels).get("route", "")
                   for (_, labels) in found)
    assert ("crm_open_streams", frozenset({"service": "probe-test"}.items())) in found


def test_every_answer_is_one_json_access_log_line_with_the_request_id(app: Flask, access_log: io.StringIO) -> None:
    app.test_client().get("/items/7", headers={"X-Request-ID": "req-access-1"})
    line = json.loads(access_log.getvalue().splitlines()[-1])
    assert line["request_id"] == "req-access-1" and line["service"] == "probe-test"
    assert (line["method"], line["route"], line["path"], line["status"]) == ("GET", "/items/<int:item_id>",
                                                                            "/items/7", 200)
    assert line["duration_ms"] >= 0


def test_log_context_fields_are_on_every_line_inside_the_block_only() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter("x"))
    logger = logging.getLogger("crm.test.context")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with logs.context(event_id="e-1", correlation_id="req-1"):
            logger.info("inside")
        logger.info("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["event_id"], inside["correlation_id"]) == ("e-1", "req-1")
    assert "event_id" not in outside


def test_the_probe_port_answers_liveness_readiness_with_its_reason_and_metrics(tmp_path: Path) -> None:
    state = {"ready": False}

    def readiness() -> None:
        if not state["ready"]:
            raise RuntimeError("no connection to the broker")

    server = start_from_env(readiness, {"CRM_PROBE_PORT": "0", "CRM_PROCESS_NAME": "x-relay",
                                        "CRM_DATA_DIR": str(tmp_path)})
    assert isinstance(server, ProbeServer)
    try:
        url = f"http://127.0.0.1:{(tmp_path / 'run' / 'x-relay.port').read_text()}"
        assert requests.get(f"{url}/livez", timeout=5).status_code == 200
        not_ready = requests.get(f"{url}/readyz", timeout=5)
        assert not_ready.status_code == 503 and not_ready.headers["Content-Type"] == "application/problem+json"
        assert "no connection to the broker" in not_ready.json()["detail"]
        state["ready"] = True
        assert requests.get(f"{url}/readyz", timeout=5).json() == {"status": "ready"}
        scraped = requests.get(f"{url}/metrics", timeout=5)
        assert scraped.status_code == 200 and "crm_http_requests" in scraped.text
        assert requests.get(f"{url}/other", timeout=5).status_code == 404
    finally:
        server.close()
    assert start_from_env(readiness, {}) is None


def test_gunicorn_s_workers_share_a_multiprocess_folder_made_when_none_is_given(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    folder = metrics.multiprocess_dir(environ)
    assert Path(folder).is_dir() and environ[metrics.MULTIPROC_ENV] == folder == environ[metrics.OWNED_ENV]
    Path(folder).rmdir()
    given = {metrics.MULTIPROC_ENV: str(tmp_path / "m")}
    assert metrics.multiprocess_dir(given) == str(tmp_path / "m") and metrics.OWNED_ENV not in given


def test_the_envelope_carries_the_trace_context_as_the_distributed_tracing_extension() -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = wrap(ObjectChanged("person", "p-1", "P", "/p", "updated", 1), service="contacts", actor=Actor("u", "U"),
                 correlation_id="req-1", time=utcnow(), traceparent=traceparent)
    assert event.to_dict()["traceparent"] == traceparent
    assert parse(event.to_json()).traceparent == traceparent
    assert parse({**event.to_dict(), "traceparent": 7}).traceparent == ""


def test_with_probe_ports_auto_every_relay_and_consumer_gets_a_probe_port_and_a_name() -> None:
    specs = long_running({"CRM_PROBE_PORTS": "auto"})
    workers = [spec for spec in specs if spec.name.endswith(("-relay", "-consumer"))]
    assert workers and all(spec.env == {"CRM_PROBE_PORT": "0", "CRM_PROCESS_NAME": spec.name} for spec in workers)
    assert all(spec.env == {} for spec in long_running({}))


def _known_metrics() -> set[str]:
    names = {"crm_outbox_backlog", "crm_outbox_oldest_age_seconds"}  # read at scrape time by the relay
    for value in vars(metrics).values():
        if hasattr(value, "_name") and hasattr(value, "_type"):
            kind, name = value._type, value._name
            names |= ({f"{name}_total"} if kind == "counter" else
                      {f"{name}_bucket", f"{name}_sum", f"{name}_count"} if kind == "histogram" else {name})
    return names


def _metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\bcrm_[a-z_]+", expr))


def test_the_alert_rules_are_prometheus_rule_groups_on_the_suite_s_metrics() -> None:
    document = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())
    assert set(document) == {"groups"}
    known, alerts = _known_metrics(), {}
    for group in document["groups"]:
        assert set(group) == {"name", "rules"} and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert isinstance(rule["expr"], str) and rule["expr"].strip()
            assert rule["expr"].count("(") == rule["expr"].count(")")
            assert re.fullmatch(r"\d+[smhd]", rule["for"])
            assert rule["labels"]["severity"] in {"warning", "critical"}
            assert rule["annotations"]["summary"]
            assert _metric_names(rule["expr"]) and _metric_names(rule["expr"]) <= known, rule["expr"]
            alerts[rule["alert"]] = rule["expr"]
    assert len(alerts) == sum(len(group["rules"]) for group in document["groups"])  # names are unique
    watched = {"crm_outbox_oldest_age_seconds", "crm_dead_letter_queue_depth", "crm_consumer_lag_seconds_bucket",
               "crm_http_requests_total"}
    assert watched <= set().union(*(_metric_names(expr) for expr in alerts.values()))
    assert any('status=~"5.."' in expr for expr in alerts.values())


def test_the_dashboard_charts_every_family_and_only_metrics_the_suite_exports() -> None:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    charted = set().union(*(_metric_names(expr) for expr in exprs))
    assert charted <= _known_metrics()
    families = {name.removesuffix("_total").removesuffix("_bucket") for name in charted}
    assert {"crm_http_requests", "crm_http_request_duration_seconds", "crm_outbox_backlog",
            "crm_outbox_oldest_age_seconds", "crm_relay_published", "crm_relay_failed_batches",
            "crm_relay_batches", "crm_consumer_processed", "crm_consumer_retried", "crm_consumer_dead_lettered",
            "crm_consumer_handling_seconds", "crm_consumer_lag_seconds", "crm_dead_letter_queue_depth",
            "crm_open_streams"} <= families
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])


def test_a_dead_process_s_live_gauges_leave_a_shared_multiprocess_folder(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    for pid in (dead, os.getpid()):
        (tmp_path / f"gauge_livemax_{pid}.db").write_bytes(b"")
        (tmp_path / f"counter_{pid}.db").write_bytes(b"")
    metrics.forget_dead_processes()
    assert sorted(file.name for file in tmp_path.iterdir()) == sorted(
        [f"counter_{dead}.db", f"counter_{os.getpid()}.db", f"gauge_livemax_{os.getpid()}.db"])
