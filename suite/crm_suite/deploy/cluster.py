"""What the suite's objects share in a cluster: configuration, the broker's scaler credentials, the way in, NetworkPolicies."""
from __future__ import annotations

from typing import Any

from crm_shared.declaration import ServiceDeclaration
from crm_shared.routes import stream_paths

from crm_suite.deploy import environment
from crm_suite.deploy.kubernetes import CONFIG, PART_OF, SECRET
from crm_suite.deploy.processes import PROBE_PORT

POSTGRES_PORT = 5432
AMQP_PORT = 5672
SUITE = {"app.kubernetes.io/part-of": PART_OF}
#: where Prometheus scrapes from: pods so labelled, in any namespace
PROMETHEUS = {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}
#: the Ingress controller's pods (ingress-nginx labels them so), in any namespace: they open the streams
INGRESS_CONTROLLER = {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}


def shared(services: list[ServiceDeclaration]) -> list[dict[str, Any]]:
    """Return the objects every service uses."""
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": CONFIG, "labels": SUITE},
         "data": environment.common(services)},
        # KEDA reads the queue lengths with the broker URL of the operator's Secret (key KEDA_RABBITMQ_HOST)
        {"apiVersion": "keda.sh/v1alpha1", "kind": "TriggerAuthentication", "metadata": {"name": "crm-broker"},
         "spec": {"secretTargetRef": [{"parameter": "host", "name": SECRET, "key": "KEDA_RABBITMQ_HOST"}]}},
        ingress(services),
        *policies(services),
    ]


def ingress(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the way in: every path to the gateway but the declared streams, which go to their service.

    A stream is a server-sent event stream held open for minutes; through the gateway it would hold
    one of its threads all that while. The service checks the stream's token or ticket itself.
    Streams are not buffered and may stay quiet a long time (ingress-nginx annotations).
    """
    streams = [{"path": path, "pathType": "Exact", "backend": {"service": {"name": service, "port": {"name": "http"}}}}
               for path, service in stream_paths(services).items()]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "crm", "labels": SUITE, "annotations": {
        "nginx.ingress.kubernetes.io/proxy-buffering": "off", "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600"}},
        "spec": {"rules": [{"http": {"paths": [*streams, {"path": "/", "pathType": "Prefix", "backend": {
            "service": {"name": "gateway", "port": {"name": "http"}}}}]}}]}}


def policies(services: list[ServiceDeclaration]) -> list[dict[str, Any]]:
    """Return the NetworkPolicies: nothing but the gateway is reachable from outside the suite."""
    gateway = next(service for service in services if service.name == "gateway")
    apis = [service for service in services if service.serve and service.name != "gateway"]
    return [
        _policy("crm-default-deny", SUITE, ingress=[], egress=[_dns()]),
        _policy("crm-database", SUITE, egress=[_port(POSTGRES_PORT)]),
        # relays and consumers: the broker besides their database, and nothing comes in but scrapes
        *[_policy(f"crm-{kind}s", {**SUITE, "app.kubernetes.io/component": kind},
                  ingress=[_scrape(PROBE_PORT)], egress=[_port(AMQP_PORT)]) for kind in ("relay", "consumer")],
        # the way in: from anywhere (the ingress controller, other namespaces) to the gateway only
        _policy("gateway-ingress", {"app.kubernetes.io/name": gateway.name},
                ingress=[{"ports": [{"port": gateway.port, "protocol": "TCP"}]}],
                egress=[{"to": [_pods(service.name)], "ports": [{"port": service.port, "protocol": "TCP"}]}
                        for service in apis]),
        # services answer the gateway (and Prometheus, and the services that call them directly, and the
        # Ingress controller those with streams) and ask the gateway about tokens and users (and call
        # the services they declare)
        *[_policy(f"{service.name}-from-gateway", {"app.kubernetes.io/name": service.name},
                  ingress=[{"from": [_pods(gateway.name), *[_pods(caller.name) for caller in apis
                                                            if service.name in caller.calls],
                                     *([INGRESS_CONTROLLER] if service.streams else [])],
                            "ports": [{"port": service.port, "protocol": "TCP"}]},
                           _scrape(service.port)],
                  egress=[{"to": [_pods(called.name)], "ports": [{"port": called.port, "protocol": "TCP"}]}
                          for called in (gateway, *[api for api in apis if api.name in service.calls])])
          for service in apis],
    ]


def _policy(name: str, selector: dict[str, str], *, ingress: list[Any] | None = None,
            egress: list[Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"podSelector": {"matchLabels": selector}, "policyTypes": []}
    if ingress is not None:
        spec["policyTypes"].append("Ingress")
        spec["ingress"] = ingress
    if egress is not None:
        spec["policyTypes"].append("Egress")
        spec["egress"] = egress
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "labels": SUITE},
            "spec": spec}


def _pods(name: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}


def _scrape(port: int) -> dict[str, Any]:
    return {"from": [PROMETHEUS], "ports": [{"port": port, "protocol": "TCP"}]}


def _port(port: int) -> dict[str, Any]:
    # PostgreSQL and RabbitMQ may live anywhere (a managed service, another namespace): by port only
    return {"ports": [{"port": port, "protocol": "TCP"}]}


def _dns() -> dict[str, Any]:
    return {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
