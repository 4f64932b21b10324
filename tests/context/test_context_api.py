"""The public API of ``fabula.context`` is its ``__all__``: everything listed
exists, and everything public the package binds is listed."""

from __future__ import annotations

from types import ModuleType

import fabula.context as package


def test_every_name_in_all_exists_once() -> None:
    assert [name for name in package.__all__ if not hasattr(package, name)] == []
    assert len(set(package.__all__)) == len(package.__all__)


def test_every_public_attribute_is_in_all_or_a_submodule() -> None:
    stray = {
        name
        for name, value in vars(package).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert stray - set(package.__all__) == set()
