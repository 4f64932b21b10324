"""The public API of ``fabula.memory`` is its ``__all__``."""

from __future__ import annotations

from types import ModuleType

import fabula.memory
from fabula.memory.store import MemoryStore


def test_every_name_in_all_exists_once() -> None:
    assert [name for name in fabula.memory.__all__ if not hasattr(fabula.memory, name)] == []
    assert len(set(fabula.memory.__all__)) == len(fabula.memory.__all__)


def test_every_public_attribute_is_in_all_or_a_submodule() -> None:
    stray = {
        name
        for name, value in vars(fabula.memory).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert stray - set(fabula.memory.__all__) == set()


def test_the_store_is_the_one_exported() -> None:
    assert fabula.memory.MemoryStore is MemoryStore
