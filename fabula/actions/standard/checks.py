"""The preconditions the standard actions share, each returning a typed
:class:`~fabula.actions.Refusal` or ``None``.

Refusals about things the actor cannot perceive never name them: their facts
are empty, so no narrator can leak a hidden entity.
"""

from __future__ import annotations

from fabula.actions.action import Refusal, RuleContext
from fabula.actions.standard.components import Health, Location
from fabula.actions.standard.scope import is_lit, reachable, room_of, visible

__all__ = ["alive", "held", "in_reach", "in_sight"]


def alive(ctx: RuleContext) -> Refusal | None:
    """``DEAD`` when the actor has no hit points left."""
    health = ctx.world.try_get(ctx.actor, Health)
    if health is not None and health.hp <= 0:
        return Refusal("DEAD", "you are dead.")
    return None


def _unseen(ctx: RuleContext) -> Refusal:
    room = room_of(ctx.world, ctx.actor)
    if room is not None and not is_lit(ctx.world, room, ctx.actor):
        return Refusal("TOO_DARK", "it is too dark to see.")
    return Refusal("NOT_HERE", "you can't see any such thing.")


def in_sight(ctx: RuleContext, entity: int) -> Refusal | None:
    """``TOO_DARK`` or ``NOT_HERE`` unless the actor sees ``entity``."""
    if entity == ctx.actor or entity in visible(ctx.world, ctx.actor):
        return None
    return _unseen(ctx)


def in_reach(ctx: RuleContext, entity: int) -> Refusal | None:
    """Like :func:`in_sight`, then ``OUT_OF_REACH`` for what is seen but not
    touchable (behind glass, held by someone else)."""
    refusal = in_sight(ctx, entity)
    if refusal is not None:
        return refusal
    if entity == ctx.actor or entity in reachable(ctx.world, ctx.actor):
        return None
    return Refusal("OUT_OF_REACH", "you can't reach it.", {"item": entity})


def held(ctx: RuleContext, entity: int) -> Refusal | None:
    """``NOT_HELD`` unless the actor carries (or wears) ``entity`` itself.

    The refusal names the thing only if the actor can see it.
    """
    location = ctx.world.try_get(entity, Location) if entity in ctx.world else None
    if location is not None and location.holder == ctx.actor:
        return None
    seen = entity in visible(ctx.world, ctx.actor)
    return Refusal("NOT_HELD", "you aren't holding that.", {"item": entity} if seen else {})
