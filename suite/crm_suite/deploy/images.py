"""One Dockerfile per service folder: the pinned base, the pinned requirements, the kit and the service."""
from __future__ import annotations

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy.processes import DATA_DIR, PROBE_PORT, processes

#: the slim Python base, pinned to an exact release
BASE_IMAGE = "python:3.11.14-slim-bookworm"
#: the unprivileged user every process runs as (Kubernetes' runAsUser says the same)
USER_ID = 10001
HEADER = "# Rendered by `python -m crm_suite.deploy` from the service declarations: edit the renderer, not this file.\n"


def image_name(service: ServiceDeclaration) -> str:
    """Return the image of a service: folder = image = manifest name."""
    return f"crm/{service.name}"


def dockerfile(service: ServiceDeclaration, every: list[ServiceDeclaration]) -> str:
    """Return the Dockerfile of a service (built with the repository root as its context)."""
    # The gateway routes by the declarations it finds installed, so its image carries every
    # service package (their code is small; only the gateway's own process runs).
    packages = [f"services/{other.name}" for other in every] if service.name == "gateway" else [f"services/{service.name}"]
    copies = "\n".join(f"COPY {package}/ {package}/" for package in packages)
    api = next(process for process in processes(service) if process.kind == "api")
    command = ", ".join(f'"{part}"' for part in api.argv)
    return f"""{HEADER}# The image runs every command of the service: {", ".join(" ".join(p.argv[2:]) for p in processes(service))}.
FROM {BASE_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/crm
ENV PATH=/opt/crm/bin:$PATH
WORKDIR /src
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY shared/ shared/
{copies}
RUN pip install --no-cache-dir --no-deps ./shared {" ".join("./" + package for package in packages)}

FROM {BASE_IMAGE}
ENV PATH=/opt/crm/bin:$PATH \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    CRM_BIND_HOST=0.0.0.0 \\
    CRM_DATA_DIR={DATA_DIR}
RUN useradd --system --uid {USER_ID} --user-group --home-dir {DATA_DIR} --create-home --shell /usr/sbin/nologin crm
COPY --from=build /opt/crm /opt/crm
WORKDIR {DATA_DIR}
USER {USER_ID}
# the root filesystem may be read-only: processes write only to {DATA_DIR} (a volume) and /tmp
VOLUME ["/tmp"]
EXPOSE {service.port} {PROBE_PORT}
CMD [{command}]
"""
