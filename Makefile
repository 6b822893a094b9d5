# Two commands do all the set-up on a fresh machine:
#   make run    creates .venv, installs Tabletop, plays the bundled default scenario
#   make check  creates .venv, installs Tabletop with its dev tools, runs format, lint, types and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= synagogue-holiday-attack

.PHONY: run check test lint format typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/tabletop run $(SCENARIO)

check: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto

test: check

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
