# Two commands a newcomer needs: `make play` and `make test`.
# Each creates or refreshes .venv, installs what it needs, then runs.
#
# `make play` installs the engine alone (it plays offline, with no model).
# `make test` adds what the tests use: the memory layer (ChromaDB, a local
# embedding model, and torch's CPU build) and a real llama.cpp server with a
# tiny model. llama-cpp-python compiles once (a few minutes on two cores);
# pip keeps the built wheel in its cache for the next venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The CPU build of torch (the memory layer's embedder needs it). Named
# exactly, because a plain `torch` requirement pulls a multi-GB GPU build.
TORCH ?= torch==2.13.0
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# pytest-xdist worker processes for `make test` (auto: one per CPU; 0: none).
# Each test file runs on one worker, and tests/integration, which shares one
# llama.cpp server, on one worker and first (see tests/conftest.py).
TEST_WORKERS ?= auto

.PHONY: play test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet '$(TORCH)'
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

play: $(STAMP)
	$(BIN)/fabula play

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
