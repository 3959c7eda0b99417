# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test clean

$(BIN)/forecast: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,spark]"
	touch $@

setup: $(BIN)/forecast

demo: setup  ## build ./.forecast from data/, run every demo plan, write reports, log to MLflow
	$(BIN)/forecast demo

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf .forecast .pytest_cache .hypothesis
