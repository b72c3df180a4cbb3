"""The suite's images: one short Dockerfile per service folder, on the base Dockerfile every image shares."""
from __future__ import annotations

from crm_shared.declaration import ServiceDeclaration

from crm_suite.deploy.processes import processes

#: the unprivileged user every process runs as: the base image's `USER` (Kubernetes' runAsUser says the same)
USER_ID = 10001
HEADER = "# Rendered by `python -m crm_suite.deploy` from the service declarations: edit the renderer, not this file.\n"
#: the suite's base Dockerfile (written by hand, the one place of what every image shares), built with the
#: repository root as context before any service image
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
