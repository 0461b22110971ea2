# Cartable — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SCALE ?= 1
SEED ?= 2026
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install demo serve migrate translations check test test-postgres bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed translations ## Create .venv and install Cartable with its tools

translations: $(VENV)/.installed ## Compile the .po translation files
	$(PY) manage.py compile_translations

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## Install, build the demo campus if absent, serve on http://127.0.0.1:8000
	$(PY) manage.py build_demo_campus --if-absent --seed $(SEED) --scale $(SCALE)
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

check: install ## Lint, types, app boundaries, migrations, personal-data declarations
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cartable.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cartable.settings.test $(PY) manage.py check --fail-level WARNING

test: check ## Run make check, then the whole test suite
	$(BIN)/pytest

bench: install ## Measure the referential (import, rights, home page latency)
	$(PY) bench/referential.py

bench-enrolment: install ## Replay a campaign opening on PostgreSQL (choices/s, latency, invariants, pgbench)
	$(PY) bench/enrolment.py

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
