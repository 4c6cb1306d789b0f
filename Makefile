PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test chaos check-config schedule bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/gridbot db upgrade --config config.toml
	$(BIN)/gridbot user demo-passwords --config config.toml
	$(BIN)/gridbot serve --config config.toml

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

# Real gridbot serve processes, SIGKILLs, a database outage and a slow gateway (docs/reliability.md); about 12
# minutes on SQLite and PostgreSQL (GRIDBOT_CHAOS_DATABASE_URL, else the test server; SQLite only when none answers).
chaos: $(TEST_STAMP)
	$(BIN)/python -m bench.chaos

check-config: $(STAMP)
	$(BIN)/gridbot check-config --config config.toml

schedule: $(STAMP)
	$(BIN)/gridbot schedule --config config.toml

# bench.load_bench drives the server with wrk: installed here when missing and root, else that bench says it skipped.
bench: $(TEST_STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get install -y -q wrk >/dev/null; } || echo "wrk not installed: bench.load_bench will skip"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
