"""A game folder's own Python, imported as one package.

The folder is imported as a package under a private name derived from its
path (``_fabula_game_<digest>``), with ``components/`` and ``actions/`` as
subpackages (an ``__init__.py`` is optional). So a game's code imports its
own code **relatively**, as any package does::

    # actions/hang.py
    from ..components.hooks import Hook     # the game's components/hooks.py
    from .common import on_hook             # actions/common.py

Two games never collide (each has its own package), and loading the same
folder again reuses the modules already imported.

What a game registers is what it **defines**: only classes whose module is
part of the game's package. An imported class (``from
fabula.actions.standard import Drop``) is never registered again, and:

* replacing an action that already exists (a standard one, a plugin's) is
  said on the class: ``overrides = "drop"``; a game action that takes a
  taken id without it is an error naming both classes;
* a file that imports an action the game overrides elsewhere, without
  subclassing it there, is an error naming both files: that stray import is
  how an override used to be undone silently.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from fabula.actions import Action, ActionRegistry, action_info
from fabula.ecs import ComponentRegistry
from fabula.errors import ContentError
from fabula.registry import import_failure

__all__ = ["import_game_code", "package_name"]


def package_name(root: Path) -> str:
    """The private package name a game folder's Python is imported under."""
    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:12]
    return f"_fabula_game_{digest}"


def _package(root: Path) -> str:
    name = package_name(root)
    if name not in sys.modules:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(root.resolve())]
        module = importlib.util.module_from_spec(spec)
        module.__path__ = [str(root.resolve())]
        sys.modules[name] = module
    return name


def _import_folder(root: Path, folder: str) -> list[ModuleType]:
    """Import every ``.py`` below ``root/folder`` (sorted; ``_``-files skipped
    unless imported by another) as ``<package>.<folder>.<name>``.

    Raises:
        DiscoveryError: a file failed to import (its path, reason and line).
    """
    base = _package(root)
    modules = []
    directory = (root / folder).resolve()
    for path in sorted(directory.rglob("*.py")):
        rel = path.relative_to(directory).with_suffix("")
        if any(part.startswith("_") for part in rel.parts):
            continue
        name = ".".join((base, folder, *rel.parts))
        try:
            modules.append(importlib.import_module(name))
        except (Exception, SystemExit) as exc:  # a game's sys.exit() must not end fabula
            for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[loaded]
            where = getattr(exc, "filename", None) if isinstance(exc, SyntaxError) else None
            source = where or _failing_file(exc, directory) or str(path)
            raise import_failure(source, exc) from exc
    return modules


def _failing_file(exc: BaseException, directory: Path) -> str | None:
    """The innermost file of the game's folder in ``exc``'s traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).is_relative_to(directory.parent):
            found = frame.filename
    return found


def _defined(obj: Any, package: str) -> bool:
    return str(getattr(obj, "__module__", "")).startswith(package + ".")


def _shown(module: ModuleType, root: Path) -> str:
    file = Path(str(module.__file__)).resolve()
    return f"{root.name}/{file.relative_to(root.resolve()).as_posix()}"


def import_game_code(root: Path, components: ComponentRegistry, actions: ActionRegistry) -> None:
    """Import the game's ``components/`` then ``actions/`` and register what
    they define (see the module docstring).

    Raises:
        DiscoveryError: a file failed to import.
        ContentError: an override not declared, or undone by a stray import.
    """
    package = package_name(root)
    if (root / "components").is_dir():
        for module in _import_folder(root, "components"):
            for obj in list(vars(module).values()):
                if components.accepts(obj) and _defined(obj, package):
                    components.register(obj)
    if not (root / "actions").is_dir():
        return
    modules = _import_folder(root, "actions")
    problems: list[tuple[str, str, str]] = []
    overridden: dict[str, tuple[type[Action], ModuleType]] = {}
    for module in modules:
        for obj in list(vars(module).values()):
            if (
                not (actions.accepts(obj) and _defined(obj, package))
                or obj.__module__ != module.__name__
            ):
                continue
            ident = action_info(obj).name
            existing = actions.try_get(ident)
            declared = vars(obj).get("overrides")
            if existing is not None and not _defined(existing, package) and declared != ident:
                theirs = f"{existing.__module__}.{existing.__qualname__}"
                problems.append(
                    (_shown(module, root), obj.__qualname__,
                     f"takes the action id {ident!r} of {theirs}; to replace it, say so on the "
                     f"class: overrides = {ident!r}")
                )  # fmt: skip
                continue
            actions.register(obj, replace=True)
            overridden[ident] = (obj, module)
    for module in modules:
        for obj in list(vars(module).values()):
            if not actions.accepts(obj) or _defined(obj, package):
                continue
            ident = action_info(obj).name
            if ident not in overridden:
                continue
            replacement, where = overridden[ident]
            subclassed = any(
                isinstance(o, type) and o is not obj and issubclass(o, obj) and _defined(o, package)
                and o.__module__ == module.__name__
                for o in vars(module).values()
            )  # fmt: skip
            if where is not module and not subclassed:
                problems.append(
                    (_shown(module, root), obj.__name__,
                     f"imports the standard {ident!r} ({obj.__module__}.{obj.__qualname__}), which "
                     f"{_shown(where, root)} overrides ({replacement.__qualname__}); remove the "
                     "import, or import the module instead of the class")
                )  # fmt: skip
    if problems:
        raise ContentError(problems)
