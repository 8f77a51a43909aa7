# Everything a fresh machine needs comes from PyPI and the npm registry.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
export POWERSHIFT_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo test setup setup-dev lint types bench clean

demo: setup  ## set up and run the Riverside demo on http://127.0.0.1:8000
	$(BIN)/powershift demo

test: setup-dev  ## set up and run every test (browser tests need /usr/bin/chromium)
	$(BIN)/pytest

setup: $(VENV)/.runtime src/powershift/static_build/.built
setup-dev: $(VENV)/.dev src/powershift/static_build/.built

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(VENV)/.runtime: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

src/powershift/static_build/.built: node_modules/.installed scripts/build-static.mjs $(shell find assets -type f)
	npm run --silent build
	touch $@

lint: setup-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

types: setup-dev
	$(BIN)/mypy src/powershift

$(VENV)/.oracles: $(VENV)/.dev
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,oracles]'
	touch $@

bench: setup-dev $(VENV)/.oracles  ## benchmarks against the reference tools; figures go into the README
	$(BIN)/python bench/geo_places.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python bench/pb_vote_load.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python bench/ideas_vote_load.py
	$(BIN)/python bench/panel_select.py
	$(BIN)/python bench/pb_tally.py
	$(BIN)/python bench/opinion_analyze.py
	$(BIN)/python bench/opinion_polis_ari.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python bench/directory_search.py

clean:
	rm -rf $(VENV) node_modules src/powershift/static_build
