"""Shoving things about: ``push`` (move, shift, press), ``pull`` (drag), ``turn``
(rotate, twist).

Inform 7's Standard Rules: something fixed in place (in fabula: not
:class:`~fabula.actions.standard.Portable`) "is fixed in place"; a person
"might not like that"; anything else may be pushed, pulled or turned, and
nothing obvious happens. A game gives a lever meaning by registering its own
``pull`` (``replace=True``), or a precise action of its own.
"""

from __future__ import annotations

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor, Portable
from fabula.actions.standard.preconditions import alive, in_reach
from fabula.actions.standard.senses import Target

__all__ = ["Pull", "Push", "Shove", "Turn"]


class Shove(Action):
    """The shared rules of ``push``, ``pull`` and ``turn``."""

    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        item = params.item
        if item == ctx.actor:
            return Refusal("UNABLE", "you are unable to.", {"item": item})
        if ctx.world.has(item, Actor):
            return Refusal("MIGHT_NOT_LIKE", "they might not like that.", {"item": item})
        if not ctx.world.has(item, Portable):
            return Refusal("FIXED_IN_PLACE", "it is fixed in place.", {"item": item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # nothing obvious happens


@action(
    "push",
    description="Push, press or move something.",
    verbs=("push", "press", "move", "shift", "shove"),
)
class Push(Shove):
    pass


@action("pull", description="Pull or drag something.", verbs=("pull", "drag", "tug", "yank"))
class Pull(Shove):
    pass


@action(
    "turn",
    description="Turn, rotate or twist something.",
    verbs=("turn", "rotate", "twist", "spin", "screw", "unscrew"),
)
class Turn(Shove):
    pass
