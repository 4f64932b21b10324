"""Conditions a world states as text, and the one seam that judges them.

A game's files may make a room's darkness or an exit follow a condition
("the bar is dark while the cloak is in it"). The standard actions keep such
a condition as its source text, in a component (``DarkWhen``,
``ExitRules`` in :mod:`fabula.actions.standard.components`), so it is
saved, undone and replayed like every other field; but they cannot judge
it, because the condition language belongs to the content layer
(:mod:`fabula.content.expressions`), above this one.

So the content layer registers a **judge** here once
(:func:`set_condition_judge`): ``judge(world, source) -> bool``. The
standard rules ask :func:`condition_holds`; the judge reads the world only
(a read-only view), never the clock or a model, so what depends on it
replays exactly. With no judge registered a stated condition is an error,
never silently true or false.

Why a judge and not a stored truth value: a condition read when it matters
can never go stale, whatever changed the world (an action, a system, undo),
and nothing has to be recomputed each turn.
"""

from __future__ import annotations

from collections.abc import Callable

from fabula.ecs import WorldView
from fabula.errors import ArgumentError

__all__ = [
    "ConditionJudge",
    "condition_holds",
    "set_condition_judge",
]

ConditionJudge = Callable[[WorldView, str], bool]
"""Judges a condition's source text against a world (read-only)."""

_judge: list[ConditionJudge] = []


def set_condition_judge(judge: ConditionJudge) -> None:
    """Register the judge of stated conditions (the content layer does, on import)."""
    _judge[:] = [judge]


def condition_holds(world: WorldView, source: str) -> bool:
    """Whether the condition ``source`` holds in ``world``.

    Raises:
        ArgumentError: no judge is registered (nothing loaded a content layer).
    """
    if not _judge:
        raise ArgumentError(
            f"no judge of conditions is registered to decide {source!r}; "
            "import fabula.content, which registers one."
        )
    return _judge[0](world, source)
