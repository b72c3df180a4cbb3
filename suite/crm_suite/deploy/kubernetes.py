"""The kustomize base: per service a Deployment per process kind, its Service, setup Job, PDBs and autoscalers."""
from __future__ import annotations

from typing import Any

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy import environment
from crm_suite.deploy.images import USER_ID, image_name
from crm_suite.deploy.processes import DATA_DIR, METRICS_DIR, PROBE_PORT, Process, processes

PART_OF = "crm"
CONFIG = "crm-config"
#: the Secret an operator makes: CRM_DATABASE_URL, CRM_BROKER_URL (and the gateway's CRM_ADMIN_PASSWORD)
SECRET = "crm-backends"
RESOURCES = {
    "api": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}},
    "relay": {"requests": {"cpu": "50m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
    "consumer": {"requests": {"cpu": "100m", "memory": "192Mi"}, "limits": {"cpu": "1", "memory": "384Mi"}},
    "setup": {"requests": {"cpu": "50m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
}


def labels(process: Process) -> dict[str, str]:
    """Return the labels of a process's pods (NetworkPolicies select by them)."""
    return {"app.kubernetes.io/name": process.name, "app.kubernetes.io/instance": process.service.name,
            "app.kubernetes.io/component": process.kind, "app.kubernetes.io/part-of": PART_OF}


def manifests(service: ServiceDeclaration) -> list[dict[str, Any]]:
    """Return every object of one service."""
    found: list[dict[str, Any]] = [_data_volume(service)]
    for process in processes(service):
        if process.kind == "setup":
            found.append(_job(process))
            continue
        found.append(_deployment(process))
        found.append(_pdb(process))
        if process.http:
            found += [_service(process), _hpa(process)]
        if process.kind == "consumer":
            found.append(_scaled_object(process))
    return found


def _meta(name: str, process: Process | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if process:
        meta["labels"] = labels(process)
    return meta


def _container(process: Process) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": process.kind if process.kind != "api" else process.service.name,
        "image": image_name(process.service),
        "command": list(process.argv),
        "envFrom": [{"configMapRef": {"name": CONFIG}}, {"secretRef": {"name": SECRET}}],
        "env": [{"name": key, "value": value} for key, value in environment.own(process).items()],
        "resources": RESOURCES[process.kind],
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "runAsNonRoot": True,
                            "runAsUser": USER_ID, "runAsGroup": USER_ID, "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "metrics", "mountPath": METRICS_DIR}],
    }
    if process.kind in ("setup", "api"):
        container["volumeMounts"].append({"name": "data", "mountPath": DATA_DIR})
    if process.kind == "setup":
        return container
    port, live = (process.service.port, "/healthz") if process.http else (PROBE_PORT, "/livez")
    name = "http" if process.http else "probe"
    container["ports"] = [{"name": name, "containerPort": port}]
    container["livenessProbe"] = {"httpGet": {"path": live, "port": name}, "periodSeconds": 10, "timeoutSeconds": 5,
                                  "failureThreshold": 6}
    container["readinessProbe"] = {"httpGet": {"path": "/readyz", "port": name}, "periodSeconds": 5,
                                   "timeoutSeconds": 5, "failureThreshold": 3}
    container["startupProbe"] = {"httpGet": {"path": live, "port": name}, "periodSeconds": 2, "failureThreshold": 60}
    return container


def _pod(process: Process) -> dict[str, Any]:
    port = process.service.port if process.http else PROBE_PORT
    volumes: list[dict[str, Any]] = [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
                                     {"name": "metrics", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}}]
    if process.kind in ("setup", "api"):
        volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": f"{process.service.name}-data"}})
    metadata: dict[str, Any] = {"labels": labels(process)}
    if process.kind != "setup":
        metadata["annotations"] = {"prometheus.io/scrape": "true", "prometheus.io/port": str(port),
                                   "prometheus.io/path": "/metrics"}
    return {
        "metadata": metadata,
        "spec": {
            "automountServiceAccountToken": False,
            "securityContext": {"runAsNonRoot": True, "runAsUser": USER_ID, "runAsGroup": USER_ID, "fsGroup": USER_ID,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "terminationGracePeriodSeconds": 30,
            "containers": [_container(process)],
            "volumes": volumes,
            **({"restartPolicy": "OnFailure"} if process.kind == "setup" else {}),
        },
    }


def _deployment(process: Process) -> dict[str, Any]:
    spec: dict[str, Any] = {"revisionHistoryLimit": 5,
                            "selector": {"matchLabels": {"app.kubernetes.io/name": process.name}},
                            "template": _pod(process)}
    if process.kind == "relay":
        # APIs and consumers leave the count to their HPA / KEDA: an apply would reset it otherwise
        spec = {"replicas": 1, **spec}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(process.name, process), "spec": spec}


def _job(process: Process) -> dict[str, Any]:
    # migrations take an advisory lock (safe beside a running older version); re-run the Job per release
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(process.name, process),
            "spec": {"backoffLimit": 10, "template": _pod(process)}}


def _service(process: Process) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(process.service.name, process),
            "spec": {"type": "ClusterIP", "selector": {"app.kubernetes.io/name": process.name},
                     "ports": [{"name": "http", "port": process.service.port, "targetPort": "http"}]}}


def _pdb(process: Process) -> dict[str, Any]:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(process.name, process),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": process.name}}}}


def _hpa(process: Process) -> dict[str, Any]:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": _meta(process.name, process),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": process.name},
                     "minReplicas": 2, "maxReplicas": 6,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}


def _scaled_object(process: Process) -> dict[str, Any]:
    assert process.service.queue is not None
    return {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": _meta(process.name, process),
            "spec": {"scaleTargetRef": {"name": process.name}, "minReplicaCount": 1, "maxReplicaCount": 4,
                     "pollingInterval": 15, "cooldownPeriod": 300,
                     "triggers": [{"type": "rabbitmq", "authenticationRef": {"name": "crm-broker"},
                                   "metadata": {"protocol": "amqp", "queueName": process.service.queue.name,
                                                "mode": "QueueLength", "value": "1000"}}]}}


def _data_volume(service: ServiceDeclaration) -> dict[str, Any]:
    # shared by the setup Job and every API replica (the gateway's signing key, attachments): ReadWriteMany
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": f"{service.name}-data", "labels": {"app.kubernetes.io/instance": service.name,
                                                                   "app.kubernetes.io/part-of": PART_OF}},
            "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}}}
