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
so callers handle it as any other refused template. How a game's template
files are read, and how a failure is reported, is
:mod:`fabula.content.template_files`.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

__all__ = [
    "DEADLINE",
    "MAX_RANGE",
    "MAX_STEPS",
    "MAX_TEXT",
    "BoundedEnvironment",
]

MAX_STEPS = 100_000
"""Loop iterations and calls one render may take."""

MAX_RANGE = 10_000
"""The most numbers one ``range()`` gives."""

MAX_TEXT = 100_000
"""The longest string or list a template may make, and its longest output."""

DEADLINE = 5.0
"""Seconds after which a render stops whatever it is doing."""

_MAX_BITS = 1024
"""The largest number (in bits) a product or power may make."""

_WIDE_FORMAT = re.compile(
    r"%[-+ #0]*(?:\d{6,}|\*)"  # printf style: "%0999999d", "%*d"
    r"|%[-+ #0]*\d*\.(?:\d{6,}|\*)"  # its precision: "%.999999f"
    r"|\{[^{}]*:[^{}]*\d{6,}"  # str.format: "{:>999999}"
    r"|\{[^{}]*:[^{}]*\{"  # str.format with a width from an argument: "{:{w}}"
)
"""A format asking for a field a million characters wide, or for a width
given by an argument."""


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
    """Refuse a number too large to be a size or count (``center(10**9)``)."""
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEXT:
            raise SecurityError(f"{arg:,} is too large a size or count (at most {MAX_TEXT:,})")


def _narrow_formats(args: Iterable[Any]) -> None:
    """Refuse a format string asking for too wide a field."""
    for arg in args:
        if isinstance(arg, str) and _WIDE_FORMAT.search(arg[:MAX_TEXT]):
            raise SecurityError(f"the format {arg[:40]!r} asks for too wide a field")


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


_CONTAINERS = (str, bytes, list, tuple, dict, set)

_SIZING_FILTERS = frozenset({"batch", "center", "indent", "slice", "truncate", "wordwrap"})
"""Filters whose numbers are sizes or counts."""


def _check_growth(name: str, subject: Any, args: tuple[Any, ...]) -> None:
    """Refuse a ``replace``, ``indent`` or ``join`` whose result would be too big to make
    (each argument may be within the limits while their product is not)."""
    if name == "replace" and isinstance(subject, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = subject.count(old) if old else len(subject) + 1
        made = len(subject) + count * (len(new) - len(old))
    elif name == "indent" and isinstance(subject, str):
        width = args[0] if args else 4
        width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
        made = len(subject) + (subject.count("\n") + 1) * width
    elif name == "join" and isinstance(subject, str) and args:
        items = list(args[0]) if isinstance(args[0], _CONTAINERS) else []
        made = sum(len(str(i)) for i in items) + len(subject) * max(len(items) - 1, 0)
    else:
        return
    if made > MAX_TEXT:
        raise SecurityError(f"{name} would make {made:,} characters (at most {MAX_TEXT:,})")


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a bounded filter: a step, the sizes asked of it and
    its formats checked, and its result's size."""
    value = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step()
        if name in _SIZING_FILTERS:
            _small_sizes((*args[value + 1 :], *kwargs.values()))
        if name == "replace" and len(args) > value + 2:
            _check_growth("replace", str(args[value]), args[value + 1 : value + 3])
        if name == "indent" and len(args) > value:
            width = args[value + 1] if len(args) > value + 1 else kwargs.get("width", 4)
            _check_growth("indent", str(args[value]), (width,))
        if name == "join" and len(args) > value:
            joiner = args[value + 1] if len(args) > value + 1 else kwargs.get("d", "")
            _check_growth("join", str(joiner), (args[value],))
        _narrow_formats((*args[value:], *kwargs.values()))
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
        self.filters = {name: _guarded_filter(name, f) for name, f in self.filters.items()}
        self.filters["_fabula_counted"] = _counted
        self.filters["_fabula_join"] = _joined

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Register a filter, under the same limits as the built-in ones."""
        self.filters[name] = _guarded_filter(name, function)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then bound what the compiled code cannot: each ``for``
        walks its sequence through a filter that takes a step per item, and
        each ``~`` joins through one that refuses a string too long."""
        return _Bounds().visit(super()._parse(source, name, filename))  # type: ignore[no-any-return]

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _step()
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        # Numbers given to a container's method or to lipsum are sizes; those
        # given to the game's helpers and macros are entities, of any size.
        if isinstance(owner, _CONTAINERS) or __obj is __self.globals.get("lipsum"):
            _small_sizes((*args, *kwargs.values()))
            _check_growth(getattr(method, "__name__", ""), owner, args)
        _narrow_formats((owner, *args, *kwargs.values()))
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"a power of {right:,} is too large (at most 64)")
        if operator == "*":
            _check_product(left, right)
        if operator == "%":
            _narrow_formats((left,))
        return _sized(super().call_binop(context, operator, left, right))

    def run(self, function: Callable[..., Any], /, **kwargs: Any) -> Any:
        """Call ``function`` (a compiled expression of this environment)
        within the limits of one render."""
        token = _BUDGET.set(_Budget())
        try:
            return _sized(function(**kwargs))
        finally:
            _BUDGET.reset(token)

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
