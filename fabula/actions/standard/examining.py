"""Looking harder: ``look under X`` (and behind), ``search X`` (and ``look in``).

The standard world model has nothing *under* or *behind* anything, so, as in
Inform 7, looking under finds nothing of interest unless a game says
otherwise (by registering its own ``look_under`` with ``replace=True``).
Searching lists what is in a container or on a supporter, which a room
description may not (a cupboard mentioned only in passing); anything else
yields nothing of interest, and a closed opaque container cannot be seen
into. Neither changes the world: the narrator tells what was found.
"""

from __future__ import annotations

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Container, Supporter
from fabula.actions.standard.preconditions import alive, in_sight
from fabula.actions.standard.scope import sees_inside
from fabula.actions.standard.senses import Target

__all__ = ["LookUnder", "Search"]


@action(
    "look_under",
    description="Look under or behind something.",
    verbs=("look under", "look behind", "look beneath", "check under", "search under"),
    syntax=("look|peer|check|search under|behind|beneath|underneath {item}",),
)
class LookUnder(Action):
    """Finds nothing of interest (Inform's standard looking under rule)."""

    Params = Target
    requires = (alive, in_sight("item"))

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # nothing is under anything in the standard world model


@action(
    "search",
    description="Search something: what is in a container or on a surface.",
    verbs=("search", "rummage", "look in", "look inside", "look into"),
    syntax=(
        "search|rummage {item}",
        "rummage in|through {item}",
        "look|peer in|inside|into|through {item}",
    ),
)
class Search(Action):
    """Lists the contents of a container one can see into, or what lies on a
    supporter (the narrator lists them); refuses anything else."""

    Params = Target
    requires = (alive, in_sight("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        item = params.item
        if not (ctx.world.has(item, Container) or ctx.world.has(item, Supporter)):
            return Refusal("NOTHING_OF_INTEREST", "you find nothing of interest.", {"item": item})
        if ctx.world.has(item, Container) and not sees_inside(ctx.world, item):
            return Refusal("CANT_SEE_INSIDE", "you can't see inside: it is closed.", {"item": item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # the narrator lists what is in or on it
