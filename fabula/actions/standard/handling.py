"""Picking things up and putting them down: ``take``, ``drop``."""

from __future__ import annotations

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor, Location, Portable
from fabula.actions.standard.preconditions import alive, held, in_reach, not_worn
from fabula.actions.standard.scope import room_of
from fabula.actions.standard.senses import Target
from fabula.events import OnDrop, OnTake

__all__ = ["Drop", "Take"]


@action(
    "take",
    description="Pick something up and carry it.",
    verbs=("take", "get", "pick up", "grab", "carry"),
    syntax=("{verb} {item}", "pick {item} up"),
)
class Take(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if params.item == ctx.actor:
            return Refusal("NOT_PORTABLE", "you can't take yourself.", {"item": params.item})
        location = ctx.world.try_get(params.item, Location)
        if location is not None and location.holder == ctx.actor:
            return Refusal("ALREADY_HELD", "you already have it.", {"item": params.item})
        if not ctx.world.has(params.item, Portable) or ctx.world.has(params.item, Actor):
            return Refusal("NOT_PORTABLE", "it won't budge.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        room = room_of(ctx.world, params.item)
        ctx.world.insert(params.item, Location(ctx.actor, "held"))
        ctx.emit(OnTake(actor=ctx.actor, item=params.item, room=room))


@action(
    "drop",
    description="Put down something you are holding.",
    verbs=("drop", "discard", "put down"),
    syntax=(
        "{verb} {item}",
        "put {item} down",
        "put|drop|set|place|leave {item} on|onto floor|ground",
        "put|set|place {item} down on floor|ground",
    ),
)
class Drop(Action):
    Params = Target
    requires = (alive, held("item", satisfied_by=None), not_worn("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if room_of(ctx.world, ctx.actor) is None:
            return Refusal("NOWHERE", "there is nowhere to put it.")
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        room = room_of(ctx.world, ctx.actor)
        assert room is not None
        ctx.world.insert(params.item, Location(room))
        ctx.emit(OnDrop(actor=ctx.actor, item=params.item, room=room))
