"""One way to register things: named registries and the auto-loader that fills them.

Components, actions, systems and event handlers are all registered the same
way: a decorator marks a class or function with a *registration marker* (an
attribute holding its stable name and options), and a :class:`Registry`
collects marked objects, either one by one with :meth:`Registry.register` or in
bulk with :meth:`Registry.discover`, which imports a package (and its
subpackages) or every ``.py`` file of a directory and registers whatever
carries the registry's marker.

Names, not import paths, are what the engine stores (in saves, journals and
world files), so moving a class to another module never breaks a save.

Invariants:
    * a name maps to exactly one object; registering a *different* object under
      a taken name raises :class:`~fabula.errors.DuplicateNameError` unless
      ``replace=True`` (registering the same object again is a no-op, so a
      module imported twice is harmless);
    * iteration order is registration order, so anything derived from a
      registry (schemas, help text) is deterministic.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import importlib.util
import pkgutil
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

from fabula.errors import ArgumentError, DiscoveryError, DuplicateNameError, UnknownNameError

__all__ = ["Registry", "import_directory", "import_failure", "import_package", "origin_of"]

_T = TypeVar("_T")


def origin_of(obj: Any) -> str:
    """Where ``obj`` was defined, as ``module.qualname``, for error messages."""
    module = getattr(obj, "__module__", None) or "?"
    name = getattr(obj, "__qualname__", None) or repr(obj)
    return f"{module}.{name}"


def import_package(package: str | ModuleType) -> list[ModuleType]:
    """Import a package and every module below it; return them all.

    Raises:
        DiscoveryError: the package or one of its modules failed to import.
    """
    try:
        root = importlib.import_module(package) if isinstance(package, str) else package
    except Exception as exc:
        raise DiscoveryError(str(package), f"{type(exc).__name__}: {exc}") from exc
    modules = [root]
    paths = getattr(root, "__path__", None)
    if paths is None:
        return modules
    for info in sorted(pkgutil.walk_packages(paths, root.__name__ + "."), key=lambda i: i.name):
        try:
            modules.append(importlib.import_module(info.name))
        except Exception as exc:
            raise DiscoveryError(info.name, f"{type(exc).__name__}: {exc}") from exc
    return modules


def import_directory(directory: str | Path) -> list[ModuleType]:
    """Import every ``.py`` file below ``directory`` (sorted, recursively).

    Files are imported under a private module name derived from the directory's
    absolute path, so two games with an ``actions/`` folder never collide and a
    second scan of the same directory reuses the modules already imported.
    Files whose name starts with ``_`` are skipped.

    Raises:
        DiscoveryError: the directory does not exist, or a file failed to import
            (the message names the file).
    """
    root = Path(directory).resolve()
    if not root.is_dir():
        raise DiscoveryError(str(directory), "it is not a directory")
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:12]
    prefix = f"_fabula_dir_{digest}"
    modules = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        if any(part.startswith("_") for part in rel.parts):
            continue
        name = ".".join((prefix, *rel.parts))
        if name in sys.modules:
            modules.append(sys.modules[name])
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:  # pragma: no cover - .py files always load
            raise DiscoveryError(str(path), "Python cannot load it as a module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except (Exception, SystemExit) as exc:  # a game's sys.exit() must not end fabula
            del sys.modules[name]
            raise import_failure(str(path), exc) from exc
        modules.append(module)
    return modules


def import_failure(source: str, exc: BaseException) -> DiscoveryError:
    """The :class:`DiscoveryError` for ``source`` failing to import with
    ``exc``: its reason, and the line of ``source`` at fault when known."""
    return DiscoveryError(source, _reason(exc), _line_in(exc, source))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"{type(exc).__name__}: {exc.msg}"
    return f"{type(exc).__name__}: {exc}"


def _line_in(exc: BaseException, filename: str) -> int | None:
    """The line of ``filename`` where ``exc`` arose: a syntax error's own, or
    the innermost frame of the traceback that is in the file."""
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        return exc.lineno
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            found = frame.lineno
    return found


class Registry(Generic[_T]):
    """A name -> object table filled by decorators and the auto-loader.

    Args:
        kind: what the registry holds, used in messages ("component", "action").
        marker: the attribute a decorator sets on objects this registry accepts;
            :meth:`discover` registers objects that carry it. The attribute's
            value must have a ``name`` attribute (the stable name).
        accept: optional extra test an object must pass to be discovered.
        rename_hint: how a user gives an object another name (shown when two
            objects claim one name), e.g. ``@component(name=...)``.
    """

    def __init__(
        self,
        kind: str,
        marker: str,
        accept: Callable[[Any], bool] | None = None,
        rename_hint: str = "",
    ) -> None:
        self.kind = kind
        self.marker = marker
        self.rename_hint = rename_hint
        self._accept = accept
        self._by_name: dict[str, _T] = {}
        self._name_of: dict[int, str] = {}

    # -- registration -------------------------------------------------------

    def register(self, obj: _T, name: str | None = None, *, replace: bool = False) -> _T:
        """Register ``obj`` under ``name`` (default: its marker's name); return it.

        Raises:
            DuplicateNameError: ``name`` is taken by another object and
                ``replace`` is false.
            ArgumentError: no name was given and ``obj`` carries no marker.
        """
        if name is None:
            info = getattr(obj, self.marker, None)
            if info is None:
                raise ArgumentError(
                    f"{origin_of(obj)} is not marked as a {self.kind}; decorate it first "
                    f"or pass name= to register()."
                )
            name = info.name
        existing = self._by_name.get(name)
        if existing is not None and existing is not obj:
            if not replace:
                raise DuplicateNameError(
                    self.kind, name, origin_of(existing), origin_of(obj), self.rename_hint
                )
            self._name_of.pop(id(existing), None)
        self._by_name[name] = obj
        self._name_of[id(obj)] = name
        return obj

    def unregister(self, name: str) -> _T:
        """Remove and return the object registered as ``name``.

        Raises:
            UnknownNameError: nothing is registered as ``name``.
        """
        obj = self.get(name)
        del self._by_name[name]
        self._name_of.pop(id(obj), None)
        return obj

    def discover(self, *sources: str | Path | ModuleType, replace: bool = False) -> list[_T]:
        """Import each source and register every marked object found in it.

        A source is a package or module (object or dotted name), or a directory
        path (``Path``, or a string containing a path separator). Objects are
        registered in module order, then definition order. Objects imported
        into a module from elsewhere are registered too (registering the same
        object twice is harmless).

        Returns:
            The objects found, in registration order.

        Raises:
            DiscoveryError: a source could not be imported.
            DuplicateNameError: two different objects claim one name.
        """
        found: list[_T] = []
        for source in sources:
            is_path = isinstance(source, str) and ("/" in source or "\\" in source)
            if isinstance(source, Path) or is_path:
                modules = import_directory(source)
            else:
                modules = import_package(source)
            for module in modules:
                for obj in list(vars(module).values()):
                    if self.accepts(obj):
                        self.register(obj, replace=replace)
                        found.append(obj)
        return found

    def accepts(self, obj: Any) -> bool:
        """Whether ``obj`` carries this registry's marker (and passes its test)."""
        try:
            marked = self.marker in getattr(obj, "__dict__", {})
        except TypeError:  # pragma: no cover - exotic objects
            return False
        return marked and (self._accept is None or self._accept(obj))

    # -- lookup ---------------------------------------------------------------

    def get(self, name: str) -> _T:
        """The object registered as ``name``.

        Raises:
            UnknownNameError: nothing is registered as ``name``; the message
                suggests close names.
        """
        try:
            return self._by_name[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._by_name), n=3)
            raise UnknownNameError(self.kind, name, close) from None

    def try_get(self, name: str) -> _T | None:
        """The object registered as ``name``, or ``None``."""
        return self._by_name.get(name)

    def name_of(self, obj: _T) -> str:
        """The name ``obj`` is registered under.

        Raises:
            UnknownNameError: ``obj`` is not registered here.
        """
        try:
            return self._name_of[id(obj)]
        except KeyError:
            raise UnknownNameError(self.kind, origin_of(obj)) from None

    def try_name_of(self, obj: _T) -> str | None:
        """The name ``obj`` is registered under, or ``None``."""
        return self._name_of.get(id(obj))

    def names(self) -> list[str]:
        """Registered names, in registration order."""
        return list(self._by_name)

    def items(self) -> list[tuple[str, _T]]:
        """``(name, object)`` pairs, in registration order."""
        return list(self._by_name.items())

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[_T]:
        return iter(list(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"<Registry of {len(self)} {self.kind}(s)>"
