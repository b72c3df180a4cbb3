"""Dockerfiles, Compose and the Kubernetes base are rendered from the declarations and run only the runner's commands."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crm_shared.declaration import ConsumerQueue, ServiceDeclaration, installed
from crm_suite.deploy.__main__ import stale
from crm_suite.deploy.images import BASE_DOCKERFILE, BASE_STAGES, USER_ID
from crm_suite.deploy.processes import DATA_DIR, PROBE_PORT, runner_command_lines, services
from crm_suite.deploy.render import render
from crm_suite.deploy.tools import OVERLAYS, ROOT, built, compose_file, containers, tool

NEWCOMER = ServiceDeclaration(name="newcomer", port=8099, relay=True,
                              queue=ConsumerQueue("newcomer", ("crm.person.#",)), routes=("newcomers",))


def test_the_committed_deployment_files_are_a_fresh_render_of_the_declarations() -> None:
    assert stale(ROOT, render()) == [], "run `python -m crm_suite.deploy` (make deploy-files) and commit the result"


def test_a_new_declaration_brings_its_image_processes_manifests_and_queues() -> None:
    files = render([*services(), NEWCOMER])

    assert "services/newcomer/Dockerfile" in files
    compose = __import__("yaml").safe_load(files["docker-compose.yml"])["services"]
    assert {"newcomer-migrate", "newcomer", "newcomer-relay", "newcomer-consumer"} <= set(compose)
    assert "newcomer.yaml" in files["deploy/base/kustomization.yaml"]
    assert "name: newcomer-consumer" in files["deploy/base/newcomer.yaml"]
    queues = {queue["name"] for queue in json.loads(files["deploy/rabbitmq/definitions.json"])["queues"]}
    assert {"newcomer", "newcomer.dead"} <= queues
    # the gateway routes by the declarations it finds installed: its image carries every service
    assert "/src/services/newcomer" in files["services/gateway/Dockerfile"]


def test_every_service_folder_has_its_dockerfile_and_every_one_and_the_base_pass_hadolint() -> None:
    dockerfiles = [ROOT / "services" / service.name / "Dockerfile" for service in installed()]
    assert all(path.exists() for path in dockerfiles)

    result = subprocess.run([tool("hadolint"), "--failure-threshold", "info", str(ROOT / BASE_DOCKERFILE),
                             *map(str, dockerfiles)], capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_base_builds_on_one_pinned_slim_python_and_ends_as_an_unprivileged_user() -> None:
    lines = (ROOT / BASE_DOCKERFILE).read_text().splitlines()
    stages = [line.split()[1:] for line in lines if line.startswith("FROM ")]

    assert [stage[2] for stage in stages] == list(BASE_STAGES.values())
    assert len({stage[0] for stage in stages}) == 1
    name, _, tag = stages[0][0].partition(":")
    assert name == "python" and tag.startswith("3.11.") and "slim" in tag, stages[0][0]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] == str(USER_ID)
    assert any(line.startswith(f"RUN useradd --system --uid {USER_ID} ") for line in lines)
    assert f"    CRM_DATA_DIR={DATA_DIR}" in lines and f"WORKDIR {DATA_DIR}" in lines
    assert lines[-1] == f"EXPOSE {PROBE_PORT}"
    assert "ONBUILD COPY --from=build /opt/crm /opt/crm" in lines


def test_each_image_is_a_build_stage_and_a_runtime_stage_on_the_base_and_never_switches_user() -> None:
    for service in installed():
        lines = (ROOT / "services" / service.name / "Dockerfile").read_text().splitlines()
        stages = [line.split()[1:] for line in lines if line.startswith("FROM ")]
        assert stages == [["crm-build", "AS", "build"], ["crm-runtime"]], service.name
        assert not [line for line in lines if line.startswith("USER ")], service.name
        assert len([line for line in lines if line and not line.startswith("#")]) < 6, "the rest is the base's"


def test_compose_builds_the_base_stages_first_and_runs_no_container_of_them() -> None:
    entries = compose_file()["services"]

    for context, target in BASE_STAGES.items():
        assert entries[context]["build"] == {"context": ".", "dockerfile": BASE_DOCKERFILE, "target": target}
        assert entries[context]["scale"] == 0
    for name, entry in _images(entries).items():
        assert entry["build"]["additional_contexts"] == {context: f"service:{context}" for context in BASE_STAGES}, name


def _images(entries: dict[str, Any]) -> dict[str, Any]:
    """Return the Compose entries that run one of the suite's images (not a backend, not a base stage)."""
    return {name: entry for name, entry in entries.items() if "build" in entry and name not in BASE_STAGES}


def test_every_command_line_an_image_compose_or_manifest_declares_is_one_the_runner_starts() -> None:
    starts = runner_command_lines()
    declared: dict[str, tuple[str, ...]] = {}
    for service in installed():
        cmd = [line for line in (ROOT / "services" / service.name / "Dockerfile").read_text().splitlines()
               if line.startswith("CMD ")]
        declared[f"{service.name} image"] = tuple(json.loads(cmd[-1].removeprefix("CMD ")))
    for name, entry in _images(compose_file()["services"]).items():
        declared[f"compose {name}"] = tuple(entry["command"])
    for overlay in OVERLAYS:
        for document in built(overlay):
            for container in containers(document):
                declared[f"{overlay} {document['metadata']['name']}"] = tuple(container["command"])

    unknown = {where: argv for where, argv in declared.items() if argv not in starts}

    assert unknown == {}
    compose_lines = {argv for where, argv in declared.items() if where.startswith("compose ")}
    assert compose_lines == starts, "Compose runs every process the runner starts"
    for overlay in OVERLAYS:
        assert {argv for where, argv in declared.items() if where.startswith(f"{overlay} ")} == starts


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                             str(ROOT / "docker-compose.yml")], capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_specification_check_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  gateway:\n    depends_on:\n      postgres:\n        condition: when_it_feels_like_it\n")

    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(broken)],
                            capture_output=True, text=True, timeout=120)

    assert result.returncode != 0


def test_compose_waits_for_healthy_backends_and_finished_setup_steps() -> None:
    entries = compose_file()["services"]
    for name, entry in entries.items():
        if name in BASE_STAGES:
            continue  # built, never run
        if "build" not in entry:
            assert "healthcheck" in entry, name
            continue
        assert entry["read_only"] is True and "/tmp" in entry["tmpfs"], name
        assert entry["depends_on"]["postgres"] == {"condition": "service_healthy"}, name
        if "restart" in entry and entry["restart"] == "on-failure":
            continue  # a one-shot setup step
        assert "healthcheck" in entry, name
        steps = [other for other, need in entry["depends_on"].items()
                 if need["condition"] == "service_completed_successfully"]
        assert steps and all(entries[step]["restart"] == "on-failure" for step in steps), name
    assert entries["gateway"]["ports"] == ["${CRM_GATEWAY_PORT:-8080}:8080"]
    assert [name for name, entry in entries.items() if "ports" in entry] == ["rabbitmq", "gateway"]


def test_the_compose_broker_loads_the_definitions_at_boot() -> None:
    broker = compose_file()["services"]["rabbitmq"]
    conf = (ROOT / "deploy/compose/rabbitmq.conf").read_text()

    assert "management" in broker["image"]
    assert "load_definitions = /etc/rabbitmq/definitions.json" in conf
    assert "./deploy/compose/definitions.json:/etc/rabbitmq/definitions.json:ro" in broker["volumes"]


@pytest.mark.parametrize("service", sorted(s.name for s in installed()))
def test_each_service_has_one_compose_entry_per_process_kind(service: str) -> None:
    declaration = next(s for s in installed() if s.name == service)
    names = set(compose_file()["services"])

    assert service in names
    assert (f"{service}-relay" in names) == declaration.relay
    assert (f"{service}-consumer" in names) == declaration.consumes
    assert (f"{service}-{declaration.setup}" in names) == bool(declaration.setup)
