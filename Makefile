# The project's front door: every command the README names is a target here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# Use uv from PATH when present; otherwise bootstrap it into .tools/ (a tiny venv of its own,
# so `uv sync` never removes it from the project environment).
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
ITOT_DATA ?= $(CURDIR)/data
ITOT_LANDING ?= $(CURDIR)/seeds
# Absolute, as dbt (run from dbt_project/) and every other reader take them.
override ITOT_DATA := $(abspath $(ITOT_DATA))
override ITOT_LANDING := $(abspath $(ITOT_LANDING))
export ITOT_DATA ITOT_LANDING
export DAGSTER_HOME ?= $(ITOT_DATA)/dagster
PROFILE ?= demo
SEED ?= 42
PYTEST_ARGS ?=
# pytest processes for `make test` (pytest-xdist); builds are mostly single-core, so two workers
# nearly halve the suite on a 2-core machine. PYTEST_WORKERS=0 runs everything in one process.
# Tests go out a file at a time (a module's expensive fixture is set up once), the files of the
# longest tests first (the `seconds` marks, tests/conftest.py), to whichever worker is free.
# (Not loadgroup: under pytest 9.2 the xdist_group suffix never reaches xdist 3.8's scheduler.)
PYTEST_WORKERS ?= 2

.PHONY: help setup build demo serve test test-fast bench bench-large lint format seeds manifest docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	@echo "uv not found: installing it into .tools/"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@# --compile-bytecode: every process (each build, dbt run, Streamlit server, test worker)
	@# then reads .pyc files instead of compiling dagster/dbt from source, which it would do at
	@# every start where PYTHONDONTWRITEBYTECODE is set (about 4 s of CPU per `itot build`).
	$(UV) sync --frozen --compile-bytecode
	@touch $@

setup: .venv/.synced ## create .venv with the locked dependencies

manifest: setup ## parse the dbt project (dagster-dbt reads target/manifest.json)
	cd dbt_project && $(UV) run --frozen dbt parse --quiet --profiles-dir .

docs: setup ## build the dbt docs site (lineage, columns, tests) into $(ITOT_DATA)/dbt_docs
	cd dbt_project && $(UV) run --frozen dbt docs generate --static --profiles-dir . \
		--target-path "$(abspath $(ITOT_DATA))/dbt_docs" --log-path "$(abspath $(ITOT_DATA))/dbt_docs/logs"
	@echo "dbt docs: $(abspath $(ITOT_DATA))/dbt_docs/static_index.html (one self-contained page; serve the folder for index.html)"

build: setup ## build the demo operator from seeds/ and publish the serving snapshot
	$(UV) run --frozen itot build --landing "$(ITOT_LANDING)" --data "$(ITOT_DATA)"

serve: setup ## serve the Dagster UI (port 3000) and the dashboards (port 8501)
	$(UV) run --frozen itot serve --data "$(ITOT_DATA)" --landing "$(ITOT_LANDING)"

demo: build serve ## set up, build the demo operator, then serve Dagster UI and dashboards

test: setup ## run the whole test suite (unit, integration, browser)
	$(UV) run --frozen pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

test-fast: setup ## unit tests only
	$(UV) run --frozen pytest tests/unit $(PYTEST_ARGS)

BENCH_PROFILE ?= small
bench: setup ## print performance figures (PM parse rate, large profile; dashboard queries and render, BENCH_PROFILE)
	$(UV) run --frozen python tests/bench/pm_parse_rate.py --profile large --days 1
	$(UV) run --frozen python tests/bench/dashboard_queries.py --profile $(BENCH_PROFILE)

BENCH_PROFILES ?= demo,small,large
bench-large: setup ## opt-in, takes long: generate + build demo, small, large; seconds, peak RAM -> docs/benchmarks.md
	$(UV) run --frozen python tests/bench/large_build.py --profiles $(BENCH_PROFILES) --write docs/benchmarks.md

lint: setup ## ruff lint and format check
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: setup ## apply ruff formatting
	$(UV) run --frozen ruff format .

seeds: setup ## regenerate the committed demo landing zone in seeds/
	rm -rf seeds
	$(UV) run --frozen itot generate --profile demo --seed $(SEED) --out seeds

clean: ## remove everything the platform wrote (data/, dbt target/, test output)
	rm -rf data dbt_project/target dbt_project/logs test-output
