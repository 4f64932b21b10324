"""Looking around: ``look``, ``examine``, ``inventory``.

They change nothing but the room's ``visited`` flag; the narrator describes
what the actor perceives after them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, NoParams, Refusal, RuleContext, action
from fabula.actions.standard.components import Room
from fabula.actions.standard.preconditions import alive, in_sight
from fabula.actions.standard.scope import is_lit, room_of

__all__ = ["Examine", "Inventory", "Look", "Target"]


class Target(BaseModel):
    """Parameters of an action on one thing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int


@action("look", description="Look around the room you are in.", verbs=("look", "l"))
class Look(Action):
    Params = NoParams

    def validate(self, ctx: RuleContext, params: NoParams) -> Refusal | None:
        if room_of(ctx.world, ctx.actor) is None:
            return Refusal("NOWHERE", "you are nowhere.")
        return None

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        room = room_of(ctx.world, ctx.actor)
        if room is not None and is_lit(ctx.world, room, ctx.actor):
            ctx.world.get(room, Room).visited = True


@action(
    "examine",
    description="Look closely at something you can see.",
    verbs=("examine", "x", "inspect", "look at", "read"),
    syntax=("{verb} {item}",),
)
class Examine(Action):
    Params = Target
    requires = (alive, in_sight("item"))

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # nothing changes; the narrator describes the item


@action(
    "inventory",
    description="List what you are carrying and wearing.",
    verbs=("inventory", "i", "inv"),
)
class Inventory(Action):
    Params = NoParams

    def validate(self, ctx: RuleContext, params: NoParams) -> Refusal | None:
        return None

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        pass
