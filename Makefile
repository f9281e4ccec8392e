# Everything a fresh machine needs: a virtualenv in .venv, the dependencies, the Kafka broker.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-faults test-tools lint bench bench-quick broker-up broker-down clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m streams.dashboard.vendor  # ECharts from npm, for the dashboard
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/onething broker up
	$(BIN)/onething demo

# The tests start their own broker (once per session) from the cached Kafka jars; the fault suite
# (crashes, restarts, rebalances, stalls and poison with 500 cases in flight) gets a broker of its
# own, since it stops and restarts everything around it.
test: install test-tools
	$(BIN)/onething broker install
	$(BIN)/ruff check streams agents tests
	$(BIN)/onething schemas check
	$(BIN)/onething graph --check
	$(BIN)/pytest -ra tests/unit tests/integration
	$(BIN)/pytest -ra tests/faults

# The fault suite alone.
test-faults: install
	$(BIN)/onething broker install
	$(BIN)/pytest -ra tests/faults

# Debian's chromium, prometheus and a CJK font for the dashboard and Prometheus tests, when missing.
test-tools:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || missing="$$missing fonts-wqy-zenhei"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	elif [ -n "$$missing" ]; then \
		echo "missing:$$missing (sudo apt-get install$$missing); their tests will skip"; \
	fi

# Performance against raw Kafka and Apache Avro, each figure a ratio from the same run (not a test:
# it never fails on a missed target). Starts a broker of its own; the full run takes hours.
bench: install
	$(BIN)/onething broker install
	$(BIN)/onething bench --json

bench-quick: install
	$(BIN)/onething broker install
	$(BIN)/onething bench --quick --json

lint: install
	$(BIN)/ruff check streams agents tests

broker-up: install
	$(BIN)/onething broker up

broker-down: install
	$(BIN)/onething broker down

clean:
	rm -rf $(VENV) build *.egg-info
