# Two entry points for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# One pytest worker per core (pytest-xdist); work-stealing evens out the long tests.
# PYTEST_WORKERS= (empty) runs in one process, as a debugger wants.
PYTEST_WORKERS ?= -n auto --dist worksteal

.PHONY: demo docs readme-numbers test test-fast lint bench bench-panel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/alliances wedge russia-iran-2017 --seed 1

# The documentation site: API reference and the gallery, whose notebooks run at each
# build against a store built from DATA; any warning or failing cell fails the build.
DATA ?= ../shared/data
DOCS_STORE ?= build/docs/world.duckdb
DOCS_STAMP := $(VENV)/.installed-docs

$(DOCS_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	mkdir -p $(dir $(DOCS_STORE))
	$(BIN)/alliances data build --data-dir $(DATA) --store $(DOCS_STORE)
	ALLIANCES_STORE=$(abspath $(DOCS_STORE)) \
	  $(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

# The README's marked numbers from real runs; STORE=path also rewrites those needing a store.
readme-numbers: $(STAMP)
	$(BIN)/python docs/readme_numbers.py $(if $(STORE),--store $(STORE))

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

# The quick loop while editing: no test that starts a process or server, none that needs ../shared.
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -m "not slow and not data"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/wedge.py
	$(BIN)/python benchmarks/panel.py
	$(BIN)/python benchmarks/affinity.py
	$(BIN)/python benchmarks/similarity.py
	$(BIN)/python benchmarks/balance.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/memory.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/pipeline.py

bench-panel: $(STAMP)
	$(BIN)/python benchmarks/panel.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache docs/_build docs/api/generated docs/jupyter_execute
