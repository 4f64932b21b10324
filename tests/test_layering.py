"""The packages keep their layers: no package imports a higher one, and one
package reaches another only through that package's public names (its
``__init__``), never through a module of its own.

The layers are the turn pipeline read bottom-up (docs/architecture.md,
"Packages and the direction of dependencies"). Packages on one layer do not
import each other either: what two of them share lives lower down.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fabula

ROOT = Path(fabula.__file__).parent

LAYERS: list[set[str]] = [
    {"errors"},
    {"registry"},
    {"ecs", "events"},
    {"systems"},
    {"actions"},
    {"simulation"},
    {"persistence", "content"},
    {"ai", "prompts", "games"},
    {"context", "memory"},
    {"parsing", "narration"},
    {"session"},
    {"cli"},
    {"__main__"},
]
"""Each package's layer, lowest first."""

PUBLIC_SUBPACKAGES = {"fabula.actions.standard"}
"""Subpackages that are public in their own right (a game imports the
standard library of actions and components from here)."""

LAYER = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def package_of(path: Path) -> str:
    """The top-level package (or module) of ``fabula`` a file belongs to."""
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def fabula_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every absolute import of a fabula module in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.startswith("fabula.")]
    return found


SOURCES = sorted(ROOT.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    packages = {package_of(path) for path in SOURCES} - {"__init__"}
    assert packages == set(LAYER), "add new packages to LAYERS (and to docs/architecture.md)"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_and_through_public_names(path: Path) -> None:
    own = package_of(path)
    problems = []
    for line, module in fabula_imports(path):
        parts = module.split(".")
        target = parts[1]
        if target == own:
            continue
        where = f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
        if own != "__init__" and LAYER[target] >= LAYER[own]:
            relation = "the same layer as" if LAYER[target] == LAYER[own] else "a higher layer than"
            problems.append(f"{where}: fabula.{target} is on {relation} fabula.{own}")
        if len(parts) > 2 and ".".join(parts[:3]) not in PUBLIC_SUBPACKAGES:
            problems.append(
                f"{where}: a module of fabula.{target}; import it from fabula.{target} "
                "(export it there if it is public)"
            )
        elif len(parts) > 3:
            problems.append(f"{where}: a module of {'.'.join(parts[:3])}; import from the package")
    assert problems == []
