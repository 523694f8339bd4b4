# The two set-up commands: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect stays offline and quiet; its local state lives under var/ (not ~/.prefect).
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_HOME ?= $(CURDIR)/var/prefect

.PHONY: demo test lint typecheck pytest bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(PREFECT_HOME)
	$(BIN)/inspectorate demo

test: $(STAMP) lint typecheck pytest

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

# Refresh the template catalogue after changing a translatable string, then add its Welsh.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --omit-header \
		-o inspectorate/locale/messages.pot inspectorate templates
	$(BIN)/pybabel update -i inspectorate/locale/messages.pot -d inspectorate/locale \
		--no-location --ignore-obsolete

clean:
	rm -rf var out .mypy_cache .ruff_cache .pytest_cache
