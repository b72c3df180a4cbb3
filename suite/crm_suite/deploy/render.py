"""Every deployment file, rendered from the installed declarations: {path: text}."""
from __future__ import annotations

import json
from typing import Any

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy import broker, cluster, compose, images, kubernetes, overlays
from crm_suite.deploy.processes import services as installed_services

HEADER = images.HEADER
#: the Compose broker's development user (a node that imports definitions at boot creates none)
COMPOSE_BROKER_USER = ("crm", "crm")


def render(services: list[ServiceDeclaration] | None = None) -> dict[str, str]:
    """Return the text of every rendered file, by path relative to the repository root."""
    chosen = installed_services() if services is None else services
    topology = broker.definitions(chosen)
    files = {
        "docker-compose.yml": _yaml(compose.compose(chosen)),
        "deploy/rabbitmq/definitions.json": _json(topology),
        "deploy/compose/definitions.json": _json(broker.with_user(topology, *COMPOSE_BROKER_USER)),
        "deploy/base/kustomization.yaml": _yaml(overlays.base(chosen)),
        "deploy/base/suite.yaml": _yaml(*cluster.shared(chosen)),
        "deploy/overlays/dev/kustomization.yaml": _yaml(overlays.dev(chosen)),
        "deploy/overlays/production/kustomization.yaml": _yaml(overlays.production(chosen)),
    }
    for service in chosen:
        files[f"services/{service.name}/Dockerfile"] = images.dockerfile(service, chosen)
        files[f"deploy/base/{service.name}.yaml"] = _yaml(*kubernetes.manifests(service))
    return files


def _yaml(*documents: Any) -> str:
    import yaml

    class _Plain(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def _list(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
        # command lines and other lists of words read best on one line
        flow = all(isinstance(item, (str, int, float, bool)) for item in data) and len(str(data)) < 100
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    _Plain.add_representer(list, _list)

    body = "---\n".join(yaml.dump(document, Dumper=_Plain, sort_keys=False, width=120) for document in documents)
    return HEADER + body


def _json(document: Any) -> str:
    return json.dumps(document, indent=2) + "\n"
