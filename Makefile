# The two commands of the README: `make run` and `make test`; `make check` is CI's (.ci/run).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test test-stress lint typecheck imports check bench bench-sharing clean

# Two stamps: `make run` installs what the app needs, `make test` adds the test tools.
$(VENV)/.installed-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(VENV)/.installed-run $@

run: $(VENV)/.installed-run  ## set up (runtime dependencies only), then open the app on the demo agency
	$(BIN)/tui-advisor --demo

test: $(VENV)/.installed-test  ## set up with the test dependencies, then run the suite in parallel (all but the stress tests)
	$(BIN)/python -m pytest -q -n auto -m "not stress"

test-stress: $(VENV)/.installed-test  ## the long stress tests (many processes, kill -9 loops, Unix users), one at a time
	$(BIN)/python -m pytest -q -p no:xdist -m stress

lint: $(VENV)/.installed-test  ## ruff: lint, and the formatting as `ruff format` leaves it
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test  ## mypy on the package ([tool.mypy]: the core strictly, ui/ leniently)
	$(BIN)/mypy

imports: $(VENV)/.installed-test  ## import-linter: the layers' contracts ([tool.importlinter])
	$(BIN)/lint-imports

check: lint typecheck imports test test-stress  ## everything CI runs: the gates, then the suite and the stress tests

bench: $(VENV)/.installed-test  ## time advise on synthetic agencies of three sizes, and the app's start-up
	$(BIN)/python benchmarks/bench_advise.py
	$(BIN)/python benchmarks/bench_startup.py

bench-sharing: $(VENV)/.installed-test  ## writes per second under 8 writers, delay of a teammate's change, kill -9 loop
	$(BIN)/python benchmarks/bench_sharing.py

clean:
	rm -rf $(VENV) build *.egg-info
