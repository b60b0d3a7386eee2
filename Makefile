# The commands the README uses. Everything runs from the project's own .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WPPI_HOME ?= $(CURDIR)/.wppi
export DAGSTER_HOME ?= $(WPPI_HOME)/dagster

.PHONY: install lock run serve dagster test lint format clean bench bench-smoke wrk

# Reinstall only when the declared dependencies or their lock change. requirements.lock pins
# every package (resolved from pyproject.toml's bounds by `make lock`) so each clone and CI
# install the same versions.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Resolve requirements.lock again from pyproject.toml after changing a dependency (pins that
## still fit are kept; `make lock LOCK_ARGS=--upgrade` takes the newest releases within the
## bounds); commit both files together. Needs only uv (a dev dependency), not an install that
## the old lock may no longer allow.
LOCK_ARGS ?=
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet 'uv>=0.5'; }
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o requirements.lock

## Ingest the bundled real files (pipelines/real_data/), publish a snapshot, then serve the
## API on 127.0.0.1:8000. No invented data: `wppi run --sample` adds the demo file on request.
run: install
	$(BIN)/wppi run
	$(BIN)/wppi serve --host 127.0.0.1 --port 8000

serve: install
	$(BIN)/wppi serve --host 127.0.0.1 --port 8000

## The Dagster UI and daemon (sensor, schedule) on http://127.0.0.1:3000; Ctrl-C or kill stops it.
DAGSTER_PORT ?= 3000
dagster: install
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipelines.dagster_dev --host 127.0.0.1 --port $(DAGSTER_PORT)

## The suite on every core (pytest-xdist; a test file stays on one worker so its module
## fixtures are built once, and files go out in collection order, the slowest first:
## tests/conftest.py SLOW_FILES), listing the 15 slowest tests at the end.
test: install
	$(BIN)/pytest -q -n auto --dist loadfile --no-loadscope-reorder --durations=15

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(WPPI_HOME)

## Benchmarks (docs/benchmarks.md): 10M synthetic observations, 3 runs, medians vs baselines.
bench: install wrk
	$(BIN)/python -m bench.run --scale 1 --runs 3

## The same harness at 1M observations, one short run (pipeline timed on 2 files), then the
## regression gate (bench/gate.py: a ratio more than 2x worse than bench/thresholds.toml fails;
## a run that trips it is measured once more and fails only if the ratio regressed in both).
SMOKE := $(BIN)/python -m bench.run --scale 0.1 --runs 1 --api-seconds 1 --ingest-files 2
bench-smoke: install wrk
	$(SMOKE)
	$(BIN)/python -m bench.gate || { echo "re-measuring once before failing" && $(SMOKE) && $(BIN)/python -m bench.gate --newest 2; }

# The HTTP load generator the API benchmark drives (Debian package).
wrk:
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
