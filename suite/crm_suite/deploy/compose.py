"""docker-compose.yml: PostgreSQL, RabbitMQ with the suite's definitions, and every process of every service."""
from __future__ import annotations

from typing import Any

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy import environment
from crm_suite.deploy.images import BASE_DOCKERFILE, BASE_STAGES, base_image_name, image_name
from crm_suite.deploy.processes import DATA_DIR, METRICS_DIR, PROBE_PORT, Process, processes

POSTGRES_IMAGE = "postgres:16.6-bookworm"
RABBITMQ_IMAGE = "rabbitmq:3.13.7-management"
#: the development credentials of the Compose backends (override them in the shell for anything else)
DATABASE_URL = "postgresql+psycopg://crm:${POSTGRES_PASSWORD:-crm}@postgres:5432/crm_{service}"
BROKER_URL = "amqp://crm:crm@rabbitmq:5672//"  # the user of deploy/compose/definitions.json
HEALTH = {"interval": "10s", "timeout": "5s", "retries": 12, "start_period": "20s"}


def compose(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the Compose document of the suite."""
    document: dict[str, Any] = {"name": "crm", "services": {**_backends(), **_base_images()}}
    volumes: dict[str, Any] = {"postgres-data": {}, "rabbitmq-data": {}}
    for service in services:
        volumes[f"{service.name}-data"] = {}
        for process in processes(service):
            document["services"][process.name] = _process(process, services)
    document["volumes"] = volumes
    return document


def _backends() -> dict[str, Any]:
    return {
        "postgres": {
            "image": POSTGRES_IMAGE,
            # every service keeps a small pool per worker; seven services need more than the default 100
            "command": ["postgres", "-c", "max_connections=300"],
            "environment": {"POSTGRES_USER": "crm", "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:-crm}", "POSTGRES_DB": "crm"},
            "volumes": ["postgres-data:/var/lib/postgresql/data"],
            "healthcheck": {"test": ["CMD", "pg_isready", "-U", "crm", "-d", "crm"], **HEALTH},
        },
        "rabbitmq": {
            "image": RABBITMQ_IMAGE,
            "hostname": "rabbitmq",  # the node's name, and so its data folder, survives a new container
            "volumes": [
                "rabbitmq-data:/var/lib/rabbitmq",
                "./deploy/compose/rabbitmq.conf:/etc/rabbitmq/conf.d/20-crm.conf:ro",
                "./deploy/compose/definitions.json:/etc/rabbitmq/definitions.json:ro",
            ],
            "ports": ["127.0.0.1:15672:15672"],
            "healthcheck": {"test": ["CMD", "rabbitmq-diagnostics", "-q", "check_running"], **HEALTH},
        },
    }


def _base_images() -> dict[str, Any]:
    """Return the build-only entries of the base's stages: built before the images on them, never run."""
    return {
        context: {
            "image": f"{base_image_name(context)}:${{CRM_IMAGE_TAG:-latest}}",
            "build": {"context": ".", "dockerfile": BASE_DOCKERFILE, "target": target},
            "scale": 0,
        }
        for context, target in BASE_STAGES.items()
    }


def _process(process: Process, services: list[ServiceDeclaration]) -> dict[str, Any]:
    service = process.service
    entry: dict[str, Any] = {
        "image": f"{image_name(service)}:${{CRM_IMAGE_TAG:-latest}}",
        "build": {
            "context": ".",
            "dockerfile": f"services/{service.name}/Dockerfile",
            # `FROM crm-build` / `FROM crm-runtime` name these entries' images, so Compose builds them first
            "additional_contexts": {context: f"service:{context}" for context in BASE_STAGES},
        },
        "command": list(process.argv),
        "environment": {
            **environment.common(services),
            "CRM_DATABASE_URL": DATABASE_URL,
            "CRM_BROKER_URL": BROKER_URL,
            **environment.own(process),
        },
        "read_only": True,
        "tmpfs": ["/tmp", METRICS_DIR],
        "depends_on": _depends_on(process),
    }
    if process.kind == "setup":
        entry["restart"] = "on-failure"
    else:
        entry["restart"] = "unless-stopped"
        entry["healthcheck"] = {"test": ["CMD", "python", "-c", _probe(process)], **HEALTH}
    if process.kind in ("setup", "api"):
        # state kept for good (the gateway's signing key, attachments): the service's own volume
        entry["volumes"] = [f"{service.name}-data:{DATA_DIR}"]
    if service.setup and process.kind == "setup" and service.name == "gateway":
        entry["environment"]["CRM_ADMIN_PASSWORD"] = "${CRM_ADMIN_PASSWORD:-}"
    if process.http and service.name == "gateway":
        entry["ports"] = [f"${{CRM_GATEWAY_PORT:-8080}}:{service.port}"]
    return entry


def _depends_on(process: Process) -> dict[str, Any]:
    needs: dict[str, Any] = {"postgres": {"condition": "service_healthy"}}
    if process.kind in ("relay", "consumer"):
        needs["rabbitmq"] = {"condition": "service_healthy"}
    if process.kind != "setup" and process.service.setup:
        needs[f"{process.service.name}-{process.service.setup}"] = {"condition": "service_completed_successfully"}
    return needs


def _probe(process: Process) -> str:
    """Return the healthcheck: the process's readiness URL answers 200."""
    port = process.service.port if process.http else PROBE_PORT
    return f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/readyz', timeout=4)"
