# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test bench bench-sharing clean

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

test: $(VENV)/.installed-test  ## set up with the test dependencies, then run the whole suite
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-test  ## time advise on synthetic agencies of three sizes, and the app's start-up
	$(BIN)/python benchmarks/bench_advise.py
	$(BIN)/python benchmarks/bench_startup.py

bench-sharing: $(VENV)/.installed-test  ## writes per second under 8 writers, delay of a teammate's change, kill -9 loop
	$(BIN)/python benchmarks/bench_sharing.py

clean:
	rm -rf $(VENV) build *.egg-info
