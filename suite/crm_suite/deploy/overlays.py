"""The kustomizations: the base (every service's file) and the overlays dev and production."""
from __future__ import annotations

import json
from typing import Any

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy.images import image_name

KUSTOMIZATION = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
#: the traces' destination in production: an OpenTelemetry collector speaking OTLP/HTTP (crm_shared.tracing)
COLLECTOR = "http://otel-collector.observability.svc:4318"


def base(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the base kustomization."""
    return {**KUSTOMIZATION, "resources": ["suite.yaml", *[f"{service.name}.yaml" for service in services]]}


def dev(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the dev overlay: one replica of everything, images tagged dev, backends in the namespace."""
    return {
        **KUSTOMIZATION,
        "namespace": "crm-dev",
        "resources": ["../../base"],
        "images": [{"name": image_name(service), "newTag": "dev"} for service in services],
        # development credentials of in-namespace `postgres` and `rabbitmq` services (not part of the suite)
        "secretGenerator": [{"name": "crm-backends", "literals": [
            "CRM_DATABASE_URL=postgresql+psycopg://crm:crm@postgres:5432/crm_{service}",
            "CRM_BROKER_URL=amqp://crm:crm@rabbitmq:5672//",
            "KEDA_RABBITMQ_HOST=amqp://crm:crm@rabbitmq:5672/",
        ]}],
        # KEDA's TriggerAuthentication names the Secret as kustomize cannot rewrite it
        "generatorOptions": {"disableNameSuffixHash": True},
        "patches": [
            _patch("HorizontalPodAutoscaler", [("replace", "/spec/minReplicas", 1), ("replace", "/spec/maxReplicas", 2)]),
            _patch("ScaledObject", [("replace", "/spec/maxReplicaCount", 2)]),
            # a one-node development cluster: its default storage class need not share volumes across nodes
            _patch("PersistentVolumeClaim", [("replace", "/spec/accessModes", ["ReadWriteOnce"])]),
        ],
    }


def production(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the production overlay: released image tags, more replicas and room, traces to a collector."""
    return {
        **KUSTOMIZATION,
        "namespace": "crm",
        "resources": ["../../base", "collector-egress.yaml"],
        "images": [{"name": image_name(service), "newName": f"registry.example.com/{image_name(service)}",
                    "newTag": "0.1.0"} for service in services],
        "patches": [
            _patch("HorizontalPodAutoscaler", [("replace", "/spec/minReplicas", 3), ("replace", "/spec/maxReplicas", 12)]),
            _patch("ScaledObject", [("replace", "/spec/minReplicaCount", 2), ("replace", "/spec/maxReplicaCount", 10)]),
            # a standby relay per service: the advisory lock lets one publish at a time
            _patch("Deployment", [("replace", "/spec/replicas", 2)], component="relay"),
            _patch("Deployment", [("replace", "/spec/template/spec/containers/0/resources/limits/memory", "1Gi"),
                                  ("replace", "/spec/template/spec/containers/0/resources/requests/cpu", "250m")],
                   component="api"),
            _patch("PersistentVolumeClaim", [("replace", "/spec/resources/requests/storage", "20Gi")]),
            _patch("ConfigMap", [("replace", "/data/OTEL_SDK_DISABLED", "false"),
                                 ("add", "/data/OTEL_TRACES_EXPORTER", "otlp"),
                                 ("add", "/data/OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR),
                                 ("add", "/data/OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                                 ("add", "/data/OTEL_TRACES_SAMPLER_ARG", "0.1")]),
        ],
    }


def _patch(kind: str, operations: list[tuple[str, str, Any]], component: str | None = None) -> dict[str, Any]:
    target: dict[str, Any] = {"kind": kind}
    if component:
        target["labelSelector"] = f"app.kubernetes.io/component={component}"
    patch = [{"op": op, "path": path, "value": value} for op, path, value in operations]
    return {"target": target, "patch": json.dumps(patch)}
