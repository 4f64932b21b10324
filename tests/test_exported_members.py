"""The public API of ``fabula.ecs`` is its ``__all__``: everything listed exists,
and everything public that ``fabula/ecs/__init__.py`` defines is listed."""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

import fabula.ecs


def names_bound_in(module: ModuleType) -> set[str]:
    """Names a module's own source binds at top level (imports, defs, assignments)."""
    tree = ast.parse(inspect.getsource(module))
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign):
            bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bound.add(node.target.id)
    return bound


def test_every_name_in_all_exists() -> None:
    missing = [name for name in fabula.ecs.__all__ if not hasattr(fabula.ecs, name)]
    assert missing == []


def test_all_has_no_duplicates() -> None:
    assert len(set(fabula.ecs.__all__)) == len(fabula.ecs.__all__)


def test_every_public_name_defined_in_init_is_in_all() -> None:
    public = {name for name in names_bound_in(fabula.ecs) if not name.startswith("_")}
    public.discard("annotations")  # from __future__ import annotations
    assert public - set(fabula.ecs.__all__) == set()


def test_every_public_attribute_is_in_all_or_a_submodule() -> None:
    stray = {
        name
        for name, value in vars(fabula.ecs).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert stray - set(fabula.ecs.__all__) == set()
