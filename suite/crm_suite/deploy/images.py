"""The suite's images: one base Dockerfile for what every image shares, and one short Dockerfile per service folder."""
from __future__ import annotations

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy.processes import DATA_DIR, PROBE_PORT, processes

#: the slim Python base, pinned to an exact release
BASE_IMAGE = "python:3.11.14-slim-bookworm"
#: the unprivileged user every process runs as (Kubernetes' runAsUser says the same)
USER_ID = 10001
HEADER = "# Rendered by `python -m crm_suite.deploy` from the service declarations: edit the renderer, not this file.\n"
#: the suite's base Dockerfile, built (with the repository root as context) before any service image
BASE_DOCKERFILE = "deploy/image/Dockerfile"
#: the base's two stages: the build context name a service Dockerfile starts from -> the base's target
BASE_STAGES = {"crm-build": "build", "crm-runtime": "runtime"}
#: the Dockerfile frontend a service image needs: ONBUILD COPY --from a stage of the child
SYNTAX = "# syntax=docker/dockerfile:1.11\n"


def image_name(service: ServiceDeclaration) -> str:
    """Return the image of a service: folder = image = manifest name."""
    return f"crm/{service.name}"


def base_image_name(context: str) -> str:
    """Return the image a stage of the base is tagged as (`crm/base-build`, `crm/base-runtime`)."""
    return f"crm/base-{BASE_STAGES[context]}"


def base_dockerfile() -> str:
    """Return the base Dockerfile: the pinned requirements and the kit in a venv, and the runtime user."""
    return f"""{HEADER}# The stages every service image is built from; a service's Dockerfile names its package, ports and command.
# Target `build` (context `crm-build`): a venv in /opt/crm with the pinned requirements and the kit installed.
# Target `runtime` (context `crm-runtime`): the unprivileged user; a service's last stage takes the venv its
# `build` stage completed (the ONBUILD step), so nothing of the build (sources, compilers' leftovers) ships.
FROM {BASE_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/crm
ENV PATH=/opt/crm/bin:$PATH
WORKDIR /src
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY shared/ shared/
RUN pip install --no-cache-dir --no-deps ./shared

FROM {BASE_IMAGE} AS runtime
ENV PATH=/opt/crm/bin:$PATH \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    CRM_BIND_HOST=0.0.0.0 \\
    CRM_DATA_DIR={DATA_DIR}
RUN useradd --system --uid {USER_ID} --user-group --home-dir {DATA_DIR} --create-home --shell /usr/sbin/nologin crm
WORKDIR {DATA_DIR}
ONBUILD COPY --from=build /opt/crm /opt/crm
USER {USER_ID}
# the root filesystem may be read-only: processes write only to {DATA_DIR} (a volume) and /tmp
VOLUME ["/tmp"]
# relays and consumers answer probes and /metrics here (CRM_PROBE_PORT)
EXPOSE {PROBE_PORT}
"""


def dockerfile(service: ServiceDeclaration, every: list[ServiceDeclaration]) -> str:
    """Return the Dockerfile of a service (built with the repository root as its context, after the base)."""
    # The gateway routes by the declarations it finds installed, so its image carries every service
    # package (their code is small; only the gateway's own process runs).
    packages = [other.name for other in every] if service.name == "gateway" else [service.name]
    source = "services" if service.name == "gateway" else f"services/{service.name}"
    mount = f"--mount=type=bind,source={source},target=/src/{source},rw"
    api = next(process for process in processes(service) if process.kind == "api")
    command = ", ".join(f'"{part}"' for part in api.argv)
    return f"""{SYNTAX}{HEADER}# The image runs every command of the service: {", ".join(" ".join(p.argv[2:]) for p in processes(service))}.
# On the suite's base ({BASE_DOCKERFILE}): the service's package joins the venv, which the last stage takes.
# `crm-build` and `crm-runtime` are build contexts (the base's stages), not images of a registry.
# hadolint ignore=DL3006
FROM crm-build AS build
RUN {mount} pip install --no-cache-dir --no-deps {" ".join(f"/src/services/{package}" for package in packages)}
# hadolint ignore=DL3006
FROM crm-runtime
EXPOSE {service.port}
CMD [{command}]
"""
