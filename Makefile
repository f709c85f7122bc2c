# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test bench bench-sharing clean

$(BIN)/tui-advisor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: $(BIN)/tui-advisor  ## set up, then open the app on the demo agency
	$(BIN)/tui-advisor --demo

test: $(BIN)/tui-advisor  ## set up with the test dependencies, then run the whole suite
	$(BIN)/python -m pytest -q

bench: $(BIN)/tui-advisor  ## time advise on synthetic agencies of three sizes, and the app's start-up
	$(BIN)/python benchmarks/bench_advise.py
	$(BIN)/python benchmarks/bench_startup.py

bench-sharing: $(BIN)/tui-advisor  ## writes per second under 8 writers, delay of a teammate's change, kill -9 loop
	$(BIN)/python benchmarks/bench_sharing.py

clean:
	rm -rf $(VENV) build *.egg-info
