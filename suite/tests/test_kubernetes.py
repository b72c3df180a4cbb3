"""Each overlay builds with a real kustomize and validates strictly; every process is probed, bounded and locked down."""
from __future__ import annotations

import copy
import subprocess
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from crm_shared.declaration import declared, installed
from crm_suite.deploy.tools import KEDA_KINDS, KUSTOMIZE, OVERLAYS, ROOT, built, containers, keda_schema, tool

KUBERNETES_VERSION = "1.37.0"


def _of(overlay: str, kind: str) -> dict[str, dict[str, Any]]:
    return {document["metadata"]["name"]: document for document in built(overlay) if document["kind"] == kind}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlay_builds_and_every_object_validates_strictly(overlay: str) -> None:
    documents = built(overlay)
    for document in documents:
        if document["kind"] in KEDA_KINDS:
            # KEDA's CRDs are not among kubernetes-validate's schemas: ours, from KEDA's documented fields
            jsonschema.validate(document, keda_schema(document["kind"]))
        else:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    assert {document["kind"] for document in documents} >= {
        "Deployment", "Service", "Job", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
        "ScaledObject", "TriggerAuthentication", "NetworkPolicy", "Ingress", "PersistentVolumeClaim"}


def test_strict_validation_refuses_an_unknown_field_and_the_keda_schema_a_wrong_trigger() -> None:
    deployment = copy.deepcopy(next(iter(_of("dev", "Deployment").values())))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    scaled = copy.deepcopy(next(iter(_of("dev", "ScaledObject").values())))
    scaled["spec"]["triggers"][0]["metadata"]["queue"] = "audit"

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(scaled, keda_schema("ScaledObject"))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_is_probed_bounded_non_root_and_read_only(overlay: str) -> None:
    for document in built(overlay):
        for container in containers(document):
            name = document["metadata"]["name"]
            security = container["securityContext"]
            assert security["runAsNonRoot"] and security["readOnlyRootFilesystem"], name
            assert not security["allowPrivilegeEscalation"], name
            assert container["resources"]["requests"] and container["resources"]["limits"], name
            mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
            assert {"/tmp", "/tmp/metrics"} <= mounts, name
            if document["kind"] == "Deployment":
                assert container["livenessProbe"]["httpGet"]["path"] in ("/healthz", "/livez"), name
                assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_its_deployments_service_job_budgets_and_autoscalers(overlay: str) -> None:
    deployments, jobs = _of(overlay, "Deployment"), _of(overlay, "Job")
    budgets, hpas, scaled = _of(overlay, "PodDisruptionBudget"), _of(overlay, "HorizontalPodAutoscaler"), _of(overlay, "ScaledObject")
    for service in installed():
        assert service.name in deployments and service.name in _of(overlay, "Service")
        assert hpas[service.name]["spec"]["scaleTargetRef"]["name"] == service.name
        assert (f"{service.name}-relay" in deployments) == service.relay
        assert (f"{service.name}-consumer" in deployments) == service.consumes
        assert f"{service.name}-{service.setup}" in jobs
        if service.queue:
            trigger = scaled[f"{service.name}-consumer"]["spec"]["triggers"][0]
            assert trigger["type"] == "rabbitmq" and trigger["metadata"]["queueName"] == service.queue.name
    assert set(budgets) == set(deployments)


def test_the_overlays_differ_in_replicas_resources_and_image_tags() -> None:
    dev, production = _of("dev", "HorizontalPodAutoscaler"), _of("production", "HorizontalPodAutoscaler")
    assert all(hpa["spec"]["minReplicas"] == 1 for hpa in dev.values())
    assert all(hpa["spec"]["minReplicas"] == 3 for hpa in production.values())
    tags = {overlay: {c["image"] for d in built(overlay) for c in containers(d)} for overlay in OVERLAYS}
    assert all(image.endswith(":dev") for image in tags["dev"])
    assert all(image.startswith("registry.example.com/") and image.endswith(":0.1.0") for image in tags["production"])
    config = _of("production", "ConfigMap")["crm-config"]["data"]
    assert config["OTEL_SDK_DISABLED"] == "false" and config["OTEL_TRACES_EXPORTER"] == "otlp"
    assert config["OTEL_EXPORTER_OTLP_ENDPOINT"]
    assert _of("dev", "ConfigMap")["crm-config"]["data"]["OTEL_SDK_DISABLED"] == "true"


def _allowed_sources(policies: dict[str, dict[str, Any]], pod_labels: dict[str, str]) -> list[Any]:
    """Return the ingress rules of every policy selecting a pod: [] nothing, [None] anyone."""
    rules: list[Any] = []
    for policy in policies.values():
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        if all(pod_labels.get(key) == value for key, value in selector.items()) and "Ingress" in policy["spec"]["policyTypes"]:
            for rule in policy["spec"].get("ingress", []):
                rules.append(rule.get("from"))
    return rules


def test_the_ingress_sends_each_declared_stream_to_its_service_and_everything_else_to_the_gateway() -> None:
    (ingress,) = _of("production", "Ingress").values()
    routes = {(path["path"], path["pathType"]): path["backend"]["service"]["name"]
              for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    streams = {(f"/api/v1/{stream}", "Exact"): service.name for service in installed() for stream in service.streams}
    assert streams == {("/api/v1/counters/stream", "Exact"): "counters", ("/api/v1/audit/stream", "Exact"): "audit"}
    assert routes == {**streams, ("/", "Prefix"): "gateway"}
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"


def test_a_stream_must_be_a_public_route_which_its_service_checks_itself() -> None:
    from crm_shared.declaration import ServiceDeclaration

    with pytest.raises(ValueError, match="not among its public routes"):
        ServiceDeclaration(name="notes", port=8099, routes=("notes",), streams=("notes/stream",))


def test_only_the_gateway_is_reachable_from_outside_and_services_only_from_the_gateway_and_declared_callers(
) -> None:
    policies = _of("production", "NetworkPolicy")
    prometheus = {"app.kubernetes.io/name": "prometheus"}
    ingress_controller = {"app.kubernetes.io/name": "ingress-nginx"}
    callers = {service: {caller.name for caller in installed() if service in caller.calls}
               for service in {declaration.name for declaration in installed()}}
    for name, deployment in _of("production", "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        sources = _allowed_sources(policies, labels)
        assert sources, f"{name} is not covered by a deny-by-default policy"
        if name == "gateway":
            assert None in sources
            continue
        assert None not in sources, f"{name} accepts traffic from anywhere"
        peers = [peer["podSelector"]["matchLabels"] for rule in sources if rule for peer in rule]
        service = labels["app.kubernetes.io/name"]
        allowed = [{"app.kubernetes.io/name": "gateway"}, prometheus,
                   *({"app.kubernetes.io/name": caller} for caller in callers.get(service, ())),
                   *([ingress_controller] if declared(service) and declared(service).streams else [])]
        assert all(peer in allowed for peer in peers), (name, peers)
        if labels["app.kubernetes.io/component"] != "api":
            assert all(peer == prometheus for peer in peers), f"{name} takes requests"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kustomize_build_piped_through_kubernetes_validate_strict_passes(overlay: str) -> None:
    build = subprocess.run([str(KUSTOMIZE), "build", str(ROOT / "deploy/overlays" / overlay)],
                           capture_output=True, text=True, timeout=120, check=True)

    result = subprocess.run([tool("kubernetes-validate"), "--strict", "--quiet", "-"], input=build.stdout,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    unknown = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    # the only objects it cannot check are KEDA's, which the test above checks against their schema
    assert all(any(f"kind {kind} " in line for kind in KEDA_KINDS) for line in unknown), unknown


def _allowed_ports_out(policies: dict[str, dict[str, Any]], pod_labels: dict[str, str]) -> set[int]:
    ports: set[int] = set()
    for policy in policies.values():
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        if all(pod_labels.get(key) == value for key, value in selector.items()):
            for rule in policy["spec"].get("egress", []):
                ports |= {port["port"] for port in rule.get("ports", [])}
    return ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_relays_and_consumers_reach_only_the_broker_their_database_and_dns(overlay: str) -> None:
    policies = _of(overlay, "NetworkPolicy")
    traces = {4317, 4318} if overlay == "production" else set()
    for name, deployment in _of(overlay, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        ports = _allowed_ports_out(policies, labels)
        if labels["app.kubernetes.io/component"] in ("relay", "consumer"):
            assert ports == {53, 5432, 5672} | traces, name
        else:
            assert 5672 not in ports and 5432 in ports, name
