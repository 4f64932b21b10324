"""The public API of a package is its ``__all__``: everything listed exists,
and everything public that its ``__init__.py`` defines is listed. Checked for
every package and top-level module of fabula (found, not listed, so a new
one is covered the day it appears); for the packages that own a model role,
the names are pinned, so moving or renaming one is a deliberate change here
too."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import fabula

PACKAGES = [
    *sorted(
        f"fabula.{info.name}"
        for info in pkgutil.iter_modules(fabula.__path__)
        if info.ispkg or info.name in {"errors", "registry"}
    ),
    "fabula.actions.standard",
]

HOMES = {
    # what every model role shares
    "fabula.ai": {
        "ROLES", "ActionModel", "ChatStream", "CircuitBreaker", "Completion", "MemoryConfig",
        "Message", "Mind", "ModelClient", "ModelConfig", "ModelUse", "NpcMinds", "RetryPolicy",
        "RoleConfig", "load_config",
    },
    # the parser role: the symbolic parser and the parser model behind it
    "fabula.parsing": {
        "DIRECTIONS", "FOR_THE_MODEL", "META", "Clarification", "Grammar", "Meta", "ParseError",
        "ParseResult", "Parsed", "Pattern", "Slot", "SymbolicParser", "TieredParser",
        "lore_subjects", "vocabulary",
    },
    # the narrator role: the template narrator, the narrator model and its context
    "fabula.narration": {
        "Brain", "Briefing", "ModelNarrator", "Sanitizer", "Telling", "TemplateNarrator", "a",
        "check_templates", "describe_room", "description", "exits_of", "list_of", "name",
        "open_memory", "the",
    },
    # one turn, end to end
    "fabula.session": {"MAX_INPUT", "Narrator", "Parser", "Reply", "Session", "Trace",
                       "clean_input", "default_save_path"},
}  # fmt: skip


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


def names_bound_in(module: ModuleType) -> set[str]:
    """Names a module's own source binds at top level: imports from its own
    modules, definitions and assignments (what it imports from elsewhere for
    its own use is not its API)."""
    tree = ast.parse(inspect.getsource(module))
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(module.__name__):
            bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign):
            bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bound.add(node.target.id)
    return bound


@pytest.mark.parametrize("name", PACKAGES)
def test_every_name_in_all_exists(name: str) -> None:
    module = package(name)
    missing = [member for member in module.__all__ if not hasattr(module, member)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_all_has_no_duplicates(name: str) -> None:
    module = package(name)
    assert len(set(module.__all__)) == len(module.__all__)


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_defined_in_init_is_in_all(name: str) -> None:
    module = package(name)
    public = {member for member in names_bound_in(module) if not member.startswith("_")}
    public.discard("annotations")  # from __future__ import annotations
    public.discard("fabula")  # ``import fabula.x`` binds the top package
    assert public - set(module.__all__) == set()


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_attribute_is_in_all_or_a_submodule(name: str) -> None:
    module = package(name)
    stray = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_")
        and not isinstance(value, ModuleType)
        and str(getattr(value, "__module__", name)).startswith(name)  # defined here, not imported
    }
    assert stray - set(module.__all__) == set()


@pytest.mark.parametrize("name", sorted(HOMES))
def test_each_role_exports_what_it_owns(name: str) -> None:
    assert set(package(name).__all__) == HOMES[name]


def test_every_package_is_checked() -> None:
    assert {"fabula.actions", "fabula.cli", "fabula.simulation", "fabula.systems"} <= set(PACKAGES)
