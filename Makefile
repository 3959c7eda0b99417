# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test check lock clean

# Installs the locked versions (requirements.lock), then the package itself; pyproject.toml keeps the
# loose ranges for library users.
$(BIN)/forecast: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/forecast

demo: setup  ## build ./.forecast from data/, run every demo plan, write reports, log to MLflow
	$(BIN)/forecast demo

check: setup  ## lint, format and type checks
	$(BIN)/ruff check forecast tests experiments
	$(BIN)/ruff format --check forecast tests experiments
	$(BIN)/mypy

test: setup check
	$(BIN)/python -m pytest

lock:  ## re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv)
	uv pip compile pyproject.toml --extra test --extra spark --extra dask --extra postgres --python-version 3.11 -o requirements.lock

clean:
	rm -rf .forecast .pytest_cache .hypothesis
