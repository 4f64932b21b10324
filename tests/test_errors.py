"""The error tree drawn in ``fabula.errors``' docstring is the tree of
classes: every error fabula defines is drawn, under its real parent, and
every drawn name is a class. Errors live in that one package (a module per
layer) and are exported from it, so a reader who looks there sees all of
them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import fabula
import fabula.errors as errors
from fabula.errors import FabulaError

DRAWN = re.compile(r"^(?P<indent>(?:[│ ] {3})*)(?:├── |└── )?(?P<name>[A-Z]\w+)\b")


def drawn_tree() -> dict[str, str | None]:
    """Each drawn error and the one it is drawn under (``None`` at the root)."""
    block = errors.__doc__.split("::", 1)[1]
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for line in block.splitlines():
        text = line[4:] if line.startswith("    ") else line
        match = DRAWN.match(text)
        if not match or not text.strip():
            continue
        depth = len(match["indent"]) // 4 + (0 if text.startswith("Fabula") else 1)
        del stack[depth:]
        parents[match["name"]] = stack[-1] if stack else None
        stack.append(match["name"])
    return parents


def error_classes() -> dict[str, type[FabulaError]]:
    """Every FabulaError subclass defined anywhere in fabula, by name."""
    for info in pkgutil.walk_packages(fabula.__path__, "fabula."):
        if info.name != "fabula.__main__":
            importlib.import_module(info.name)
    found: dict[str, type[FabulaError]] = {}
    pending: list[type] = [FabulaError]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("fabula."):
            found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def fabula_parent(cls: type) -> str | None:
    parents = [base.__name__ for base in cls.__bases__ if issubclass(base, FabulaError)]
    assert len(parents) <= 1, f"{cls.__name__} has two parents in the tree: {parents}"
    return parents[0] if parents else None


def test_the_drawing_parses() -> None:
    tree = drawn_tree()
    assert tree["FabulaError"] is None
    assert tree["DespawnedEntityError"] == "EntityError"
    assert tree["PersistenceError"] == "FabulaError"


def test_every_error_is_drawn_under_its_parent() -> None:
    tree = drawn_tree()
    classes = error_classes()
    undrawn = sorted(set(classes) - set(tree))
    assert undrawn == [], "draw these in fabula/errors/__init__.py's docstring"
    not_classes = sorted(set(tree) - set(classes))
    assert not_classes == [], "drawn, but no such FabulaError subclass"
    wrong = {
        name: (tree[name], fabula_parent(cls))
        for name, cls in classes.items()
        if tree[name] != fabula_parent(cls)
    }
    assert wrong == {}, "drawn under (first), defined under (second)"


def test_every_error_lives_in_fabula_errors_and_is_exported() -> None:
    classes = error_classes()
    elsewhere = sorted(
        name
        for name, cls in classes.items()
        if cls.__module__.rpartition(".")[0] != "fabula.errors"
    )
    assert elsewhere == [], "errors belong in the fabula.errors package"
    assert sorted(set(classes)) == sorted(errors.__all__)


def test_every_error_says_what_it_is() -> None:
    undocumented = [
        name for name, cls in error_classes().items() if not inspect.getdoc(cls) or
        cls.__doc__ is None
    ]  # fmt: skip
    assert undocumented == []
