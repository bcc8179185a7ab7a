# Openness Atlas. `make run` and `make test` are the two commands a new user needs (README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Development defaults; production sets its own environment (README.md, "Production").
export DJANGO_DEBUG ?= true
export XDG_RUNTIME_DIR ?= /tmp/xdg-$(shell id -u)

# The newest Python >= 3.12 on this machine (pyenv's shims answer only inside the project).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 \
	$$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { command -v $$p; break; }; done)

.PHONY: help
help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found: install it (see README.md)" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	@touch $@

.PHONY: install
install: $(VENV)/.installed  ## Create the virtualenv and install the locked dependencies

.PHONY: browser
browser:  ## Install Debian's Chromium for the browser tests (needs root and apt)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: apt-get install chromium (as root)" >&2; exit 1; fi; }

# Test-only tools from npm, pinned in package-lock.json: vnu-jar (the Nu HTML checker) and
# axe-core (a copy is vendored in tests/vendor/, so the tests do not read it from here).
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; Debian's is used instead.
node_modules/.installed: package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "npm is missing: apt-get install npm (as root)" >&2; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: checkers
checkers: node_modules/.installed  ## Install the HTML checker (vnu-jar + Java) for the tests
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      default-jre-headless >/dev/null; \
	  else echo "Java is missing: apt-get install default-jre-headless (as root)" >&2; exit 1; fi; }

.PHONY: data
data: install  ## Migrate the database and load the curated dataset
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_atlas

.PHONY: run
run: data  ## Set up everything and serve the app at http://127.0.0.1:$(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

.PHONY: lint
lint: install  ## Ruff (lint + format check), the import layers and the migrations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The layers and no-cycles contracts in pyproject.toml ([tool.importlinter]).
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Both cores (pytest-xdist); a test file stays on one worker, so a module's dataset loads once.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: test
test: install browser checkers lint  ## The whole suite: lint, migrations check, pytest (browser, a11y, HTML)
	$(VENV)/bin/pytest $(PYTEST_PARALLEL)

.PHONY: check
check: install lint  ## While developing: lint and the fast tier (no browser, no servers), a few minutes
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) -m "not browser and not slow" -q

.PHONY: serve
serve: install  ## Production-like: gunicorn, debug off, whitenoise (local secret and database)
	@DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m config.devdb url)}" ; export DATABASE_URL ; \
	export DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" ; \
	$(PY) manage.py migrate --no-input && $(PY) manage.py load_atlas && \
	$(PY) manage.py collectstatic --no-input -v0 && \
	exec $(VENV)/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 \
	  --access-logfile - --no-control-socket

# The container image, built and run without a Docker engine (podman + chroot; needs root).
IMAGE ?= localhost/openness-atlas:latest
export IMAGE

.PHONY: image
image:  ## Build the Dockerfile with podman (base made by debootstrap, cached; installs both)
	scripts/image_build.sh

.PHONY: image-test
image-test: image  ## Run the built image on the machine's PostgreSQL and check it (pages, health, deploy)
	python3 scripts/image_test.py
# Mutation testing (scripts/mutation.py, docs/mutation.md): slow, so not part of `make test`.
# Uses the machine's PostgreSQL with a database of its own; MUTATION_ARGS picks areas.
MUTATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/atlas_mutation

# CHANGED=REV: only the areas whose code changed since REV (uncommitted changes included), e.g.
# `make mutation CHANGED=HEAD~3` before a stop; without it, every area (the full run).
.PHONY: mutation
mutation: install  ## Mutation testing of the core logic (slow): killed/survived per area
	DATABASE_URL=$(MUTATION_DATABASE_URL) $(PY) scripts/mutation.py \
	  $(if $(CHANGED),--changed=$(CHANGED)) $(MUTATION_ARGS)

.PHONY: bench
bench: install  ## Benchmark at 100x today's data (synthetic DB, gunicorn, wrk): prints the table
	$(PY) -m bench.run $(BENCH_ARGS)

.PHONY: load
load: install  ## Load test: 64 connections for 60 s over every public page (gunicorn, wrk): zero errors
	$(PY) scripts/load.py $(LOAD_ARGS)

.PHONY: editor
editor: install  ## Create an editor account for the admin (asks for a password)
	$(PY) manage.py setup_groups
	$(PY) manage.py create_editor

.PHONY: db-stop
db-stop:  ## Stop the embedded development PostgreSQL
	@test -x $(PY) && $(PY) -m config.devdb stop || true

.PHONY: lock
lock: install  ## Re-resolve requirements.lock (and the image's requirements-prod.lock) from pyproject.toml
	$(PY) -m pip install -q uv && $(VENV)/bin/uv pip compile pyproject.toml --group dev \
	  --python-version 3.13 --generate-hashes -o requirements.lock
	@# The image installs the runtime dependencies only, at the same versions (constrained).
	$(VENV)/bin/uv pip compile pyproject.toml -c requirements.lock \
	  --python-version 3.13 --generate-hashes -o requirements-prod.lock

.PHONY: clean
clean: db-stop  ## Remove the virtualenv, the embedded database and built files
	rm -rf $(VENV) .pgdata staticfiles node_modules mutants
