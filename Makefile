# The two set-up commands: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

# Prefect stays offline and quiet; its local state lives under var/ (not ~/.prefect).
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_HOME ?= $(CURDIR)/var/prefect

.PHONY: demo test lint typecheck pytest bench messages server worker deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(PREFECT_HOME)
	$(BIN)/inspectorate demo

test: $(STAMP) $(CHROMIUM) lint typecheck pytest

# The browser tests drive Debian's Chromium; install it when it is missing (needs root or sudo).
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "install Chromium at $(CHROMIUM) (Debian: chromium)"; exit 1; }
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends chromium

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	mkdir -p $(PREFECT_HOME)
	$(BIN)/pytest -q

bench: $(STAMP)
	mkdir -p $(PREFECT_HOME)
	$(BIN)/python bench/lifecycle.py
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/planner.py

# Server mode (README "Running at scale"): a Prefect server on PostgreSQL, process workers,
# deployments and automations. Override any of these on the command line, e.g.
# `make worker SERVER_HOST=10.0.0.5` on another machine.
# PG_URL names no password: command lines are visible to every user (ps) and make echoes
# its recipes. libpq and asyncpg take it from PGPASSWORD or ~/.pgpass (PGPASSFILE).
PG_URL ?= postgresql://postgres@127.0.0.1:5432
PG_USERINFO = $(firstword $(subst @, ,$(word 2,$(subst ://, ,$(PG_URL)))))
PG_URL_HAS_PASSWORD = $(or $(and $(findstring @,$(PG_URL)),$(findstring :,$(PG_USERINFO))),$(findstring password=,$(PG_URL)))
NO_PASSWORD_IN_PG_URL = $(if $(PG_URL_HAS_PASSWORD),$(error PG_URL must not carry a password \
	(make and ps would show it): give PG_URL as postgresql://USER@HOST:PORT and the password \
	in PGPASSWORD or ~/.pgpass (PGPASSFILE); README "Running at scale"))
PREFECT_DB ?= inspectorate_prefect
RECORD_DB ?= inspectorate
SERVER_HOST ?= 127.0.0.1
SERVER_PORT ?= 4200
POOL ?= inspectorate
SERVER_ENV = PREFECT_API_URL=http://$(SERVER_HOST):$(SERVER_PORT)/api \
	INSPECTORATE_DATABASE_URL=$(subst postgresql://,postgresql+psycopg://,$(PG_URL))/$(RECORD_DB) \
	INSPECTORATE_SERVER_TIMERS=true PREFECT_RESULTS_PERSIST_BY_DEFAULT=true

server: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(BIN)/python deployments/create_databases.py $(PG_URL) $(PREFECT_DB) $(RECORD_DB)
	PREFECT_API_DATABASE_CONNECTION_URL=$(subst postgresql://,postgresql+asyncpg://,$(PG_URL))/$(PREFECT_DB) \
		PREFECT_SERVER_LOGGING_LEVEL=WARNING \
		exec $(BIN)/prefect server start --host $(SERVER_HOST) --port $(SERVER_PORT)

worker: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(SERVER_ENV) PREFECT_WORKER_QUERY_SECONDS=$${PREFECT_WORKER_QUERY_SECONDS:-5} \
		exec $(BIN)/prefect worker start --pool $(POOL) --type process

deploy: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(BIN)/python deployments/create_databases.py $(PG_URL) $(RECORD_DB)
	$(SERVER_ENV) $(BIN)/inspectorate init
	$(SERVER_ENV) $(BIN)/prefect work-pool inspect $(POOL) >/dev/null 2>&1 || \
		$(SERVER_ENV) $(BIN)/prefect work-pool create $(POOL) --type process
	$(SERVER_ENV) INSPECTORATE_HOME=$(CURDIR) \
		$(BIN)/prefect --no-prompt deploy --all --prefect-file deployments/prefect.yaml

# Refresh the template catalogue after changing a translatable string, then add its Welsh.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --omit-header \
		-o inspectorate/locale/messages.pot .
	$(BIN)/pybabel update -i inspectorate/locale/messages.pot -d inspectorate/locale \
		--ignore-obsolete --width 100

clean:
	rm -rf var out .mypy_cache .ruff_cache .pytest_cache
