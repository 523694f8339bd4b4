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

.PHONY: prefect-template demo test lint typecheck pytest bench messages bank-holidays govuk-frontend screenshots server worker deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Prefect's migrations run once per install, not at each fresh PREFECT_HOME's first server
# start (tasks/prefect_template.py); quick when the template for this version is made.
prefect-template: $(STAMP)
	$(BIN)/python -m tasks.prefect_template

demo: $(STAMP) prefect-template
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

# The suite runs in TEST_WORKERS processes, a test file to each at a time (module fixtures
# build their record once); much of its time is waiting on servers and subprocesses.
TEST_WORKERS ?= 2
pytest: $(STAMP) prefect-template
	mkdir -p $(PREFECT_HOME)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# After upgrading the `holidays` package: rewrite the domain's bank-holiday table from it.
bank-holidays: $(STAMP)
	$(BIN)/python -m inspectorate.adapters.bank_holiday_source

# The dashboard's GOV.UK Design System files (CSS, JS, fonts, crest), vendored under
# templates/dashboard/static/govuk/ so nothing is fetched at run time. Refresh them with
# `make govuk-frontend GOVUK_FRONTEND=6.6.0` (needs npm and the npm registry).
GOVUK_FRONTEND ?= 6.6.0
GOVUK_STATIC := templates/dashboard/static/govuk
govuk-frontend:
	rm -rf $(GOVUK_STATIC) && mkdir -p $(GOVUK_STATIC)/assets
	cd $(GOVUK_STATIC) && npm pack --silent govuk-frontend@$(GOVUK_FRONTEND) >/dev/null \
		&& tar xzf govuk-frontend-$(GOVUK_FRONTEND).tgz && rm govuk-frontend-$(GOVUK_FRONTEND).tgz
	cd $(GOVUK_STATIC) && mv package/dist/govuk/govuk-frontend.min.js . \
		&& mv package/dist/govuk/assets/fonts package/dist/govuk/assets/images assets/ && rm -f assets/images/*.png
	sed 's|url(/assets/|url(/static/govuk/assets/|g; s|/\*# sourceMappingURL=.*\*/||' \
		$(GOVUK_STATIC)/package/dist/govuk/govuk-frontend.min.css > $(GOVUK_STATIC)/govuk-frontend.min.css
	sed -i 's|//# sourceMappingURL=.*||' $(GOVUK_STATIC)/govuk-frontend.min.js
	rm -rf $(GOVUK_STATIC)/package
	echo "govuk-frontend $(GOVUK_FRONTEND), MIT licence (github.com/alphagov/govuk-frontend); fonts and crest for GOV.UK services" > $(GOVUK_STATIC)/VERSION

# The README's pictures of the dashboard, taken by its browser test.
screenshots: $(STAMP) $(CHROMIUM)
	mkdir -p $(PREFECT_HOME) docs/screenshots
	INSPECTORATE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q \
		tests/test_dashboard_browser.py -k readme_pictures

bench: $(STAMP)
	mkdir -p $(PREFECT_HOME)
	$(BIN)/python bench/lifecycle.py
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/planner.py
	$(BIN)/python bench/smtp.py

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
# Limits (README "Running at scale"): a flow run is a process of ~240 MB (measured), and a
# process worker with no --limit started every run due at once (ten: 2.4 GB). A worker runs
# at most WORKER_LIMIT at a time: half this machine's memory at FLOW_RUN_MB each, at most
# four per CPU. The pool runs at most POOL_LIMIT at once over all workers, which bounds the
# connections to PostgreSQL (the record and Prefect's own).
FLOW_RUN_MB ?= 240
WORKER_LIMIT ?= $(shell awk -v mb=$(FLOW_RUN_MB) -v cpus=$$(nproc 2>/dev/null || echo 2) \
	'/^MemTotal:/ { n = int($$2 / 1024 / 2 / mb); if (n > 4 * cpus) n = 4 * cpus; \
	if (n < 1) n = 1; print n }' /proc/meminfo 2>/dev/null || echo 4)
POOL_LIMIT ?= 20
# A flow run beats every HEARTBEAT_SECONDS (Prefect's minimum is 30); the zombie-run
# automation in deployments/prefect.yaml marks a run Crashed after ZOMBIE_AFTER_SECONDS
# (three beats) without one.
HEARTBEAT_SECONDS ?= 30
ZOMBIE_AFTER_SECONDS ?= $(shell echo $$(( 3 * $(HEARTBEAT_SECONDS) )))
# The server deletes finished flow runs (with their logs and artifacts) this many days
# after they ended; scheduled, running and suspended runs are kept. Events: 7 days.
FLOW_RUN_RETENTION_DAYS ?= 30
SERVER_ENV = PREFECT_API_URL=http://$(SERVER_HOST):$(SERVER_PORT)/api \
	INSPECTORATE_DATABASE_URL=$(subst postgresql://,postgresql+psycopg://,$(PG_URL))/$(RECORD_DB) \
	INSPECTORATE_SERVER_TIMERS=true PREFECT_RESULTS_PERSIST_BY_DEFAULT=true

server: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(BIN)/python deployments/create_databases.py $(PG_URL) $(PREFECT_DB) $(RECORD_DB)
	PREFECT_API_DATABASE_CONNECTION_URL=$(subst postgresql://,postgresql+asyncpg://,$(PG_URL))/$(PREFECT_DB) \
		PREFECT_SERVER_LOGGING_LEVEL=WARNING \
		PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED=events,flow_runs \
		PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD=$$(( $(FLOW_RUN_RETENTION_DAYS) * 86400 )) \
		exec $(BIN)/prefect server start --host $(SERVER_HOST) --port $(SERVER_PORT)

worker: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(SERVER_ENV) PREFECT_WORKER_QUERY_SECONDS=$${PREFECT_WORKER_QUERY_SECONDS:-5} \
		PREFECT_FLOWS_HEARTBEAT_FREQUENCY=$(HEARTBEAT_SECONDS) \
		exec $(BIN)/prefect worker start --pool $(POOL) --type process --limit $(WORKER_LIMIT)

deploy: $(STAMP)
	$(NO_PASSWORD_IN_PG_URL)mkdir -p $(PREFECT_HOME)
	$(BIN)/python deployments/create_databases.py $(PG_URL) $(RECORD_DB)
	$(SERVER_ENV) $(BIN)/inspectorate init
	$(SERVER_ENV) $(BIN)/prefect work-pool inspect $(POOL) >/dev/null 2>&1 || \
		$(SERVER_ENV) $(BIN)/prefect work-pool create $(POOL) --type process
	$(SERVER_ENV) $(BIN)/prefect work-pool set-concurrency-limit $(POOL) $(POOL_LIMIT)
	$(SERVER_ENV) INSPECTORATE_HOME=$(CURDIR) \
		$(BIN)/prefect --no-prompt deploy --all --prefect-file deployments/prefect.yaml
	$(SERVER_ENV) ZOMBIE_AFTER_SECONDS=$(ZOMBIE_AFTER_SECONDS) \
		$(BIN)/python deployments/automations.py deployments/prefect.yaml
	$(SERVER_ENV) $(BIN)/python deployments/retire_booked_runs.py

# Refresh the template catalogue after changing a translatable string, then add its Welsh.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --omit-header \
		-o inspectorate/locale/messages.pot .
	$(BIN)/pybabel update -i inspectorate/locale/messages.pot -d inspectorate/locale \
		--ignore-obsolete --width 100

clean:
	rm -rf var out .mypy_cache .ruff_cache .pytest_cache
