"""How the save and turn benchmarks keep the garbage collector out of their
figures.

A collection that lands inside a timed section would be charged to whatever
runs there. So every timed section starts with a collection and runs with
collection paused (:func:`timed`), and after a benchmark's setup the heap is
frozen (:func:`frozen_heap`), so that those collections scan only what was
made since, not the world, the modules and the loaded libraries.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["frozen_heap", "timed"]

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, int]:
    """Run ``work`` once; return its value and the nanoseconds it took.

    Garbage is collected before and collection paused during; collection is
    turned back on after only if it was on before (a caller may have paused
    it for longer).
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        value = work()
        return value, time.perf_counter_ns() - start
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Collect once, then keep everything alive now out of later collections
    (:func:`gc.freeze`). More may be frozen inside with :func:`gc.freeze`;
    all of it is thawed at the end."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
