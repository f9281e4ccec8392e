# Everything a fresh machine needs: a virtualenv in .venv, the dependencies, the Kafka broker.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint broker-up broker-down clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/onething broker up
	$(BIN)/onething demo

# The tests start their own broker (once per session) from the cached Kafka jars.
test: install
	$(BIN)/onething broker install
	$(BIN)/ruff check streams agents tests
	$(BIN)/onething schemas check
	$(BIN)/onething graph --check
	$(BIN)/pytest -ra

lint: install
	$(BIN)/ruff check streams agents tests

broker-up: install
	$(BIN)/onething broker up

broker-down: install
	$(BIN)/onething broker down

clean:
	rm -rf $(VENV) build *.egg-info
