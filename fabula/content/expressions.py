"""Conditions as expressions: the one small language an author writes every
condition in (rules, exits, light, endings, lore gates, descriptions).

An expression is Jinja2's expression syntax (``and``, ``or``, ``not``,
comparisons, arithmetic, string literals), run in fabula's bounded sandbox
(:class:`~fabula.content.sandbox.BoundedEnvironment`), so it cannot reach
Python's internals, loop without end or build huge values. We chose Jinja2
over a hand-written evaluator, CEL or simpleeval because templates already
speak it: an author learns one syntax for ``{% if holding('cloak') %}`` in
a template and ``if = "holding('cloak')"`` in a rule.

What an expression may name (:data:`FUNCTIONS`, :data:`VALUES`, and the
game's declared variables) is fixed, so :func:`compile_expression` reports
an unknown name or a syntax error before play, naming where the expression
was written; and the ids it passes to the functions as string literals are
collected (:attr:`Expression.ids`) so ``fabula validate`` can check that
each names a thing of the game.

An expression reads the world only, through a read-only view, never the
clock, the session or a model: what depends on it replays exactly.

Example:
    >>> expression = compile_expression("lit('lamp')", file="rules.toml", path="rule[1].if")
    >>> sorted(expression.ids)
    ['lamp']
    >>> compile_expression("holding(cloak", file="rules.toml", path="rule[2].if")
    Traceback (most recent call last):
    ...
    fabula.errors.games.ContentError: the game has 1 problem; fix them and load it again:
      rules.toml: rule[2].if: "holding(cloak" is not an expression (...); write it like ...
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jinja2 import Template, TemplateSyntaxError, Undefined, UndefinedError, meta, nodes
from jinja2.runtime import Context
from jinja2.sandbox import SecurityError

from fabula.actions.standard import (
    DarkWhen,
    Health,
    LightSource,
    Location,
    Lockable,
    Openable,
    Room,
    Score,
    condition_holds,
    room_of,
)
from fabula.content.appearance import state_holds
from fabula.content.components import Handled, Ident, Visits
from fabula.content.sandbox import BoundedEnvironment
from fabula.ecs import WorldView
from fabula.errors import ContentError

__all__ = [
    "FUNCTIONS",
    "VALUES",
    "Bindings",
    "Expression",
    "Text",
    "compile_expression",
    "compile_text",
]

FUNCTIONS: Mapping[str, str] = {
    "holding": "holding('x'): the player carries or wears x",
    "wearing": "wearing('x'): the player wears x",
    "here": "here('x'): x is the room the player is in, or is in that room (anywhere in it)",
    "at": "at('x', 'y'): x is directly in or on y, or held by y",
    "within": "within('x', 'y'): x is in y, at any depth",
    "is_open": "is_open('x'): x is open",
    "locked": "locked('x'): x is locked",
    "lit": "lit('x'): x is a lit light",
    "dark": "dark('room'): the room is dark by itself (lights carried in may still light it)",
    "dead": "dead('x'): x has health and none left",
    "alive": "alive('x'): x has health left",
    "gone": "gone('x'): x no longer exists",
    "visited": "visited('room'): the player has been in room before this stay",
    "handled": "handled('x'): x has been taken at least once",
    "state": "state('x', 'open and empty'): the states of x's described texts hold",
}
"""The functions an expression may call, each with what it means."""

VALUES: Mapping[str, str] = {
    "turn": "the turns played so far",
    "score": "the player's score",
    "location": "the id of the room the player is in",
}
"""The values an expression may read besides the game's variables."""

_ENV = BoundedEnvironment()
_BLANK = _ENV.from_string("")

_FAILURES = (SecurityError, TypeError, ValueError, ArithmeticError, LookupError)


@dataclass(frozen=True)
class Bindings:
    """What an expression is judged against: the names it sees.

    Attributes:
        world: the world, read-only.
        ids: the game's ids (``"cloak"``) to entities.
        player: the player's entity.
        variables: the game's variables by name.
        extra: more names for one kind of condition (a rule's ``action``,
            ``noun``, ``second``), each checked like the rest.
    """

    world: WorldView
    ids: Mapping[str, int]
    player: int
    variables: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def names(self) -> dict[str, Any]:
        """:meth:`namespace`, built once: a scope judges many expressions
        (a thousand rules' conditions) against one state of the world."""
        return self.namespace()

    @cached_property
    def context(self) -> Context:
        """One Jinja2 context of :attr:`names`, shared by the expressions
        judged in this scope (building one per expression was most of a
        rule's cost)."""
        return _BLANK.new_context(dict(self.names))

    def namespace(self) -> dict[str, Any]:
        """The names an expression sees, bound to this world."""
        world, ids, player = self.world, self.ids, self.player

        def entity(ident: str) -> int | None:
            found = ids.get(ident)
            return found if found is not None and found in world else None

        def holder(e: int) -> int | None:
            place = world.try_get(e, Location, readonly=True)
            return place.holder if place is not None else None

        def within(thing: str, place: str) -> bool:
            return inside(entity(thing), entity(place))

        def inside(e: int | None, p: int | None) -> bool:
            seen = 0
            while e is not None and p is not None and seen < 64:  # a cycle never hangs
                e, seen = holder(e), seen + 1
                if e == p:
                    return True
            return False

        def component(ident: str, ctype: type) -> Any:
            e = entity(ident)
            return world.try_get(e, ctype, readonly=True) if e is not None else None

        def here(ident: str) -> bool:
            room = room_of(world, player)
            e = entity(ident)
            if e is None or room is None:
                return False
            return e == room or (not world.has(e, Room) and inside(e, room))

        def dark(ident: str) -> bool:
            # dark by itself: always (``dark = true``) or while its ``dark =
            # "<condition>"`` holds, as the room's description sees it
            if (r := component(ident, Room)) is None:
                return False
            rule = component(ident, DarkWhen)
            return r.dark or (rule is not None and condition_holds(world, rule.condition))

        def dead(ident: str) -> bool:
            health = component(ident, Health)
            return health is not None and health.hp <= 0

        names: dict[str, Any] = {
            "holding": lambda x: inside(entity(x), player),
            "wearing": lambda x: (
                (e := entity(x)) is not None and state_holds(world, e, "worn") and inside(e, player)
            ),
            "here": here,
            "at": lambda x, y: (e := entity(x)) is not None and holder(e) == entity(y),
            "within": within,
            "is_open": lambda x: (o := component(x, Openable)) is not None and o.open,
            "locked": lambda x: (k := component(x, Lockable)) is not None and k.locked,
            "lit": lambda x: (s := component(x, LightSource)) is not None and s.lit,
            "dark": dark,
            "dead": dead,
            "alive": lambda x: component(x, Health) is not None and not dead(x),
            "gone": lambda x: entity(x) is None,
            "visited": lambda x: (v := component(x, Visits)) is not None and v.count > 1,
            "handled": lambda x: (e := entity(x)) is not None and world.has(e, Handled),
            "state": lambda x, s: (e := entity(x)) is not None and state_holds(world, e, s),
            "turn": world.tick,
            "score": ((s := world.try_get(player, Score, readonly=True)) and s.points) or 0,
            "location": _id_of(world, room_of(world, player)),
        }
        names.update(self.variables)
        names.update(self.extra)
        return names


def _id_of(world: WorldView, entity: int | None) -> str:
    """The game id of ``entity`` ("" if it has none), from its ``Ident``."""
    ident = world.try_get(entity, Ident, readonly=True) if entity is not None else None
    return ident.id if ident is not None else ""


@dataclass(frozen=True)
class Expression:
    """A compiled condition. Call :meth:`holds` or :meth:`value`.

    Attributes:
        source: the text the author wrote.
        file: the file it was written in (for messages).
        path: where in the file (``"rule[2].if"``).
        ids: the game ids it passes to functions as string literals.
    """

    source: str
    file: str
    path: str
    ids: frozenset[str]
    _run: Callable[..., Any] = field(repr=False, compare=False)

    def value(self, scope: Bindings) -> Any:
        """The expression's value in ``scope``.

        Raises:
            ContentError: it failed (a wrong argument, a sandbox limit); the
                message names where it was written.
        """
        template = self._run._template  # type: ignore[attr-defined]
        context = scope.context

        def evaluate() -> Any:
            for _ in template.root_render_func(context):
                pass
            return context.vars.pop("result", None)

        try:
            result = _ENV.run(evaluate)
            if isinstance(result, Undefined):  # what the sandbox refused, or nothing
                result._fail_with_undefined_error()
            return result
        except (UndefinedError, *_FAILURES) as exc:
            problem = f'"{self.source}" failed: {exc}'
            raise ContentError([(self.file, self.path, problem)]) from exc

    def holds(self, scope: Bindings) -> bool:
        """Whether the expression is true in ``scope``."""
        return bool(self.value(scope))


def compile_expression(
    source: str,
    *,
    file: str,
    path: str,
    variables: Collection[str] = (),
    extra: Collection[str] = (),
) -> Expression:
    """Compile ``source``, checking its syntax and every name it reads.

    ``file`` and ``path`` say where it was written (``"rules.toml"``,
    ``"rule[2].if"``); ``variables`` are the game's declared variables;
    ``extra`` the names one kind of condition adds (a rule's ``action``...).

    Raises:
        ContentError: a syntax error or an unknown name, naming ``file``
            and ``path``.
    """
    try:
        if not source.strip():
            raise TemplateSyntaxError("it is empty", 1)
        tree = _ENV.parse("{{ (" + source + ") }}")
        compiled = _ENV.compile_expression(source, undefined_to_none=False)
    except TemplateSyntaxError as exc:
        problem = (
            f'"{source}" is not an expression ({(exc.message or "").rstrip(".")}); '
            "write it like \"holding('cloak') and turn > 3\"."
        )
        raise ContentError([(file, path, problem)]) from exc
    known = set(FUNCTIONS) | set(VALUES) | set(variables) | set(extra)
    unknown = sorted({n.name for n in tree.find_all(nodes.Name) if n.name not in known})
    if unknown:
        problem = (
            f'"{source}" names {", ".join(unknown)}, which is not known; a condition may use '
            f"the functions {', '.join(FUNCTIONS)}, the values {', '.join(VALUES)}"
            + (f", the variables {', '.join(sorted(variables))}" if variables else "")
            + (f" and {', '.join(sorted(extra))}" if extra else "")
            + "."
        )
        raise ContentError([(file, path, problem)])
    ids = frozenset(
        arg.value
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in FUNCTIONS
        for arg in call.args
        if isinstance(arg, nodes.Const)
        and isinstance(arg.value, str)
        and not (call.node.name == "state" and arg is call.args[-1] and len(call.args) > 1)
    )
    return Expression(source, file, path, ids, compiled)


@dataclass(frozen=True)
class Text:
    """A compiled piece of author's text (a rule's ``say``): a Jinja2
    template run in the same sandbox, seeing the same names as an
    expression (``{{ disturbed }}``, ``{% if lit('lamp') %}``)."""

    source: str
    file: str
    path: str
    _template: Template = field(repr=False, compare=False)

    def render(self, scope: Bindings) -> str:
        """The text in ``scope``.

        Raises:
            ContentError: it failed; the message names where it was written.
        """
        try:
            return _ENV.render(self._template, dict(scope.names))
        except (UndefinedError, *_FAILURES) as exc:
            raise ContentError([(self.file, self.path, f"the text failed: {exc}")]) from exc


def compile_text(
    source: str,
    *,
    file: str,
    path: str,
    variables: Collection[str] = (),
    extra: Collection[str] = (),
) -> Text:
    """Compile ``source`` as a template, checking its syntax and the names it
    reads as :func:`compile_expression` does.

    Raises:
        ContentError: a syntax error or an unknown name, naming ``file``
            and ``path``.
    """
    try:
        tree = _ENV.parse(source)
        template = _ENV.from_string(source)
    except TemplateSyntaxError as exc:
        problem = f"the text is not a valid template (line {exc.lineno}: {exc.message})"
        raise ContentError([(file, path, problem)]) from exc
    known = set(FUNCTIONS) | set(VALUES) | set(variables) | set(extra) | set(_ENV.globals)
    unknown = sorted(meta.find_undeclared_variables(tree) - known)
    if unknown:
        problem = f"the text names {', '.join(unknown)}, which is not known"
        raise ContentError([(file, path, problem)])
    return Text(source, file, path, template)
