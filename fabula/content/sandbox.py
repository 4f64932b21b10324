"""Templates from a game's folder, run so that they cannot hang or flood.

Jinja2's sandbox already refuses what would reach Python's internals
(``''.__class__.__mro__``, ``lipsum.__globals__``...). It does not bound the
work a template does: two nested ``range(100000)`` loops run for hours, and
``'x' * 10**10`` asks for ten gigabytes. :class:`BoundedEnvironment` adds
limits counted in steps, not seconds, so a template fails the same way on
every machine (a narration that replays must not depend on the clock):

* every loop iteration and every call is a step; a render may take
  :data:`MAX_STEPS` of them;
* ``range()`` gives at most :data:`MAX_RANGE` numbers;
* a string or list made by ``*``, ``+``, ``%``, a filter or a method call
  holds at most :data:`MAX_TEXT` items, and a render's output as many
  characters; numbers used as sizes, and products and powers, stay small;
* a render that still runs after :data:`DEADLINE` seconds stops (a safety
  net for work no count sees; no template of a sound game comes near it).

Each limit raises Jinja2's ``SecurityError`` with a message saying which,
so callers handle it as any other refused template. Game files are read by
:class:`BoundedLoader`: regular files only (no FIFOs, no devices), at most
:data:`MAX_TEMPLATE_BYTES`, UTF-8; any other is a
:class:`~fabula.errors.ContentError` naming the file.
"""

from __future__ import annotations

import contextvars
import re
import stat
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from fabula.errors import ContentError

__all__ = [
    "DEADLINE",
    "MAX_RANGE",
    "MAX_STEPS",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEXT",
    "BoundedEnvironment",
    "BoundedLoader",
    "shown_path",
    "template_problem",
]

MAX_STEPS = 100_000
"""Loop iterations and calls one render may take."""

MAX_RANGE = 10_000
"""The most numbers one ``range()`` gives."""

MAX_TEXT = 100_000
"""The longest string or list a template may make, and its longest output."""

MAX_TEMPLATE_BYTES = 256 * 1024
"""The largest template file read."""

DEADLINE = 5.0
"""Seconds after which a render stops whatever it is doing."""

_MAX_BITS = 1024
"""The largest number (in bits) a product or power may make."""

_HUGE_FORMAT = re.compile(r"\d{6,}|\*")
"""A format string asking for a field a million characters wide (or one
whose width comes from an argument)."""


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


class _Budget:
    __slots__ = ("deadline", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + DEADLINE

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise SecurityError(
                f"the template took more than {MAX_STEPS:,} steps (loop turns and calls); "
                "make its loops shorter"
            )
        if not self.steps % 1024 and time.monotonic() > self.deadline:
            raise SecurityError(f"the template ran for more than {DEADLINE:g} seconds")


def _step(count: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step(count)


def _sized(value: Any) -> Any:
    """``value``, if it is not too big to keep."""
    if isinstance(value, str | bytes | list | tuple | dict | set) and len(value) > MAX_TEXT:
        raise SecurityError(
            f"the template made a {type(value).__name__} of {len(value):,} items "
            f"(at most {MAX_TEXT:,})"
        )
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_BITS:
        raise SecurityError("the template made a number too large to use")
    return value


def _small_sizes(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEXT:
            raise SecurityError(f"{arg:,} is too large a size or count (at most {MAX_TEXT:,})")
        if isinstance(arg, str) and len(arg) < 200 and _HUGE_FORMAT.search(arg) and "%" in arg:
            raise SecurityError(f"the format {arg!r} asks for too wide a field")


def _check_product(left: Any, right: Any) -> None:
    """Refuse a product too big to make, before making it."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, str | list | tuple) and isinstance(other, int):
            made = len(one) * other
            if made > MAX_TEXT:
                raise SecurityError(
                    f"the template made a {type(one).__name__} of {made:,} items "
                    f"(at most {MAX_TEXT:,})"
                )
    ints = isinstance(left, int) and isinstance(right, int)
    if ints and left.bit_length() + right.bit_length() > _MAX_BITS:
        raise SecurityError("the template made a number too large to use")


def _bounded_range(*args: int) -> range:
    made = range(*args)
    if len(made) > MAX_RANGE:
        raise SecurityError(f"range() of {len(made):,} numbers is too long (at most {MAX_RANGE:,})")
    return made


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        _step()
        yield item


def _joined(parts: Iterable[Any]) -> str:
    texts = [str(part) for part in parts]
    _step()
    if sum(len(text) for text in texts) > MAX_TEXT:
        raise SecurityError(f"the template joined a string of more than {MAX_TEXT:,} characters")
    return "".join(texts)


class _Bounds(NodeTransformer):
    """Rewrites a parsed template so its loops and joins are counted."""

    def visit_For(self, node: nodes.For) -> nodes.For:  # noqa: N802 (the visitor's naming)
        self.generic_visit(node)
        node.iter = nodes.Filter(
            node.iter, "_fabula_counted", [], [], None, None, lineno=node.lineno
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:  # noqa: N802
        self.generic_visit(node)
        joined = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(joined, "_fabula_join", [], [], None, None, lineno=node.lineno)


def _guarded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step()
        _small_sizes((*args[1:], *kwargs.values()))
        return _sized(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(function, attribute):
            setattr(guarded, attribute, getattr(function, attribute))
    return guarded


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with the limits above. Render with :meth:`render`."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("undefined", StrictUndefined)  # a typo is an error, not a blank
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.filters = {name: _guarded_filter(f) for name, f in self.filters.items()}
        self.filters["_fabula_counted"] = _counted
        self.filters["_fabula_join"] = _joined

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Register a filter, under the same limits as the built-in ones."""
        self.filters[name] = _guarded_filter(function)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then bound what the compiled code cannot: each ``for``
        walks its sequence through a filter that takes a step per item, and
        each ``~`` joins through one that refuses a string too long."""
        return _Bounds().visit(super()._parse(source, name, filename))  # type: ignore[no-any-return]

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _step()
        _small_sizes((*args, *kwargs.values()))
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str) and _HUGE_FORMAT.search(owner):
            raise SecurityError(f"the format {owner[:40]!r} asks for too wide a field")
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"a power of {right:,} is too large (at most 64)")
        if operator == "*":
            _check_product(left, right)
        if operator == "%" and isinstance(left, str) and _HUGE_FORMAT.search(left):
            raise SecurityError(f"the format {left[:40]!r} asks for too wide a field")
        return _sized(super().call_binop(context, operator, left, right))

    def render(self, template: Any, context: dict[str, Any]) -> str:
        """Render ``template`` (from this environment) within the limits."""
        token = _BUDGET.set(_Budget())
        try:
            size, parts = 0, []
            for part in template.generate(context):
                size += len(part)
                if size > MAX_TEXT:
                    raise SecurityError(f"the template wrote more than {MAX_TEXT:,} characters")
                parts.append(part)
            return "".join(parts)
        finally:
            _BUDGET.reset(token)


class BoundedLoader(BaseLoader):
    """Templates from a game's ``templates/`` folder: regular files (no FIFO
    or device can block a read), at most :data:`MAX_TEMPLATE_BYTES`, UTF-8.

    Raises (from ``get_source``):
        ContentError: a file that cannot be used, named as the game loader
            names files (from the folder above the game's).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        parts = [p for p in template.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*parts)
        try:
            info = path.stat()
        except OSError:
            raise TemplateNotFound(template) from None
        if not stat.S_ISREG(info.st_mode):
            self._refuse(path, "", "is not a regular file; a template must be a text file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            self._refuse(
                path, "",
                f"is {info.st_size:,} bytes; a template may hold at most {MAX_TEMPLATE_BYTES:,}",
            )  # fmt: skip
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            self._refuse(path, "", f"cannot be read ({exc.strerror or exc})")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self._refuse(
                path, f"line {line}",
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )  # fmt: skip
        mtime = info.st_mtime
        return source, str(path), lambda: _mtime(path) == mtime

    def _refuse(self, path: Path, where: str, message: str) -> NoReturn:
        raise ContentError([(shown_path(path, self.folder.parent), where, message)])


def shown_path(path: Path | str, root: Path) -> str:
    """``path`` as messages about a game show it: from the folder holding the
    game (``my-game/templates/actions/take.j2``), or whole if it is elsewhere."""
    try:
        return str(Path(path).relative_to(root.parent))
    except ValueError:
        return str(path)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def template_problem(exc: BaseException, name: str, root: Path | None) -> tuple[str, str, str]:
    """``(file, where, message)`` for a template that failed to load or render:
    the template's file and line (Jinja2 keeps template lines in its
    tracebacks) and what went wrong, in words an author can act on.

    Args:
        exc: what the template raised.
        name: the template's file, or its name (``actions/take.j2``) if it
            has none; used when the traceback shows no template line.
        root: the game's folder, to show files from the folder above it.
    """
    file: str | None = None
    line: int | None = None
    if isinstance(exc, TemplateSyntaxError):
        file, line, message = exc.filename, exc.lineno, f"syntax error: {exc.message}"
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno
        if isinstance(exc, UndefinedError):
            message = f"{exc.message}; check it against the names templates see (docs/errors.md)"
        elif isinstance(exc, SecurityError):
            message = f"refused: {exc}"
        elif isinstance(exc, RecursionError):
            message = "calls itself without end (a macro that never stops)"
        else:
            message = f"{type(exc).__name__}: {exc}"
    file = file or name
    shown = shown_path(file, root) if root is not None else file
    return shown, f"line {line}" if line else "", message
