"""Fixtures for the benchmarks' smoke runs.

The benchmarks collect garbage before each timed run (so that a collection
does not land inside it). In the test process, whose heap holds every test
module, torch and ChromaDB, each such collection walks all of it: the ECS
benchmark at its smoke size spent most of its time there. Freezing the heap
first (:func:`gc.freeze`) leaves those collections only the benchmark's own
objects; it changes no result the tests check, only how long they take.
The heap stays frozen after (tests/conftest.py freezes it once collected, and
thawing it would undo that).
"""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(scope="module", autouse=True)
def frozen_heap() -> None:
    """The heap as it is before the module's benchmarks run, frozen (set up
    before the module's other fixtures)."""
    gc.collect()
    gc.freeze()
