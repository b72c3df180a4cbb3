"""The environment every process of the suite gets in a deployment (contract: shared/crm_shared/config.py)."""
from __future__ import annotations

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy.processes import DATA_DIR, METRICS_DIR, PROBE_PORT, Process

#: what a deployment keeps secret: the processes read these from a Secret (Kubernetes) or the
#: shell environment (Compose)
SECRET_VARIABLES = ("CRM_DATABASE_URL", "CRM_BROKER_URL")


def common(services: list[ServiceDeclaration]) -> dict[str, str]:
    """Return the settings every process shares: where each service is reached, bind, logs, metrics, traces."""
    return {
        "CRM_BIND_HOST": "0.0.0.0",
        "CRM_DATA_DIR": DATA_DIR,
        "CRM_LOG_LEVEL": "INFO",
        "CRM_WEB_WORKERS": "2",
        **{f"CRM_{service.name.upper()}_URL": f"http://{service.name}:{service.port}" for service in services},
        "PROMETHEUS_MULTIPROC_DIR": METRICS_DIR,
        # traces are off unless an overlay names a collector (the standard OTEL_* variables)
        "OTEL_SDK_DISABLED": "true",
    }


def own(process: Process) -> dict[str, str]:
    """Return what differs per process: its name for traces, and the probe port of relays and consumers."""
    variables = {"OTEL_SERVICE_NAME": process.service.name}
    if process.probed:
        variables["CRM_PROBE_PORT"] = str(PROBE_PORT)
    return variables
