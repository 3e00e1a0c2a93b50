# Wattkey: `make run` starts the server on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: install install-dev console api-client run test lint format bench clean

install: $(RUNTIME) console

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Wattkey needs Python 3.11 or newer"'
	@echo "Creating $(VENV) ..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	@echo "Installing Wattkey and the packages the server needs into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --progress-bar off -e .
	@touch $(RUNTIME)

install-dev: $(DEV) console

$(DEV): pyproject.toml $(RUNTIME)
	@echo "Installing the test and lint tools into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]'
	@touch $(DEV)

# The web console (frontend/ -> console/dist), when Node.js 20+ is installed and it is stale.
console:
	@scripts/build-console

# Regenerate frontend/openapi.json and the console's API client from the server's routes.
api-client: $(RUNTIME) console
	$(BIN)/python scripts/export-openapi frontend/openapi.json
	cd frontend && npm run generate

run: install
	$(BIN)/python server.py

test: install-dev
	@scripts/ensure-chromium
	$(BIN)/python -m pytest --numprocesses=auto --maxprocesses=4

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	scripts/lint-deploy
	scripts/lint-console

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	scripts/ensure-tool wrk
	$(BIN)/python -m bench.csv_reader
	$(BIN)/python -m bench.csv_families
	$(BIN)/python -m bench.evidence
	$(BIN)/python -m bench.auth --backend local
	$(BIN)/python -m bench.auth --backend aws
	$(BIN)/python -m bench.ingest --backend local
	$(BIN)/python -m bench.ingest --backend aws
	$(BIN)/python -m bench.summary --backend local
	$(BIN)/python -m bench.summary --backend aws
	$(BIN)/python -m bench.rejections
	$(BIN)/python -m bench.rejections --backend aws
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.sign_in_flood
	$(BIN)/python -m bench.console
	$(BIN)/python -m bench.client

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info console/dist frontend/node_modules
