"""The preconditions the standard actions declare in ``requires``.

``alive`` is about the actor; the others are bound to the parameter field
that names the thing (``in_reach("item")``, ``held("key")``). Each test reads
the world through the validator's read-only view and returns the refusal the
narrator's templates know (``DEAD``, ``TOO_DARK``, ``NOT_HERE``,
``OUT_OF_REACH``, ``NOT_HELD``), or ``None``; none of them mutates or draws
random numbers (see :mod:`fabula.actions.precondition`); they read with
``readonly=True``, so even a World handed to them directly is not marked
changed.

Refusals about things the actor cannot perceive never name them: their facts
are empty, so no narrator can leak a hidden entity.
"""

from __future__ import annotations

from fabula.actions.action import Refusal, RuleContext
from fabula.actions.precondition import Precondition, precondition
from fabula.actions.standard.components import Health, Location
from fabula.actions.standard.scope import is_lit, reachable, room_of, visible

__all__ = ["alive", "held", "in_reach", "in_sight", "not_worn"]


def _alive(ctx: RuleContext, actor: int) -> Refusal | None:
    health = ctx.world.try_get(actor, Health, readonly=True)
    if health is not None and health.hp <= 0:
        return Refusal("DEAD", "you are dead.")
    return None


alive = Precondition("alive", _alive, summary="the actor is alive")
"""``DEAD`` when the actor has no hit points left."""


def _unseen(ctx: RuleContext) -> Refusal:
    room = room_of(ctx.world, ctx.actor)
    if room is not None and not is_lit(ctx.world, room, ctx.actor):
        return Refusal("TOO_DARK", "it is too dark to see.")
    return Refusal("NOT_HERE", "you can't see any such thing.")


@precondition("the actor can see the {field}")
def in_sight(ctx: RuleContext, entity: int) -> Refusal | None:
    """``TOO_DARK`` or ``NOT_HERE`` unless the actor sees ``entity``."""
    if entity == ctx.actor or entity in visible(ctx.world, ctx.actor):
        return None
    return _unseen(ctx)


@precondition("the actor can touch the {field}")
def in_reach(ctx: RuleContext, entity: int) -> Refusal | None:
    """Like :data:`in_sight`, then ``OUT_OF_REACH`` for what is seen but not
    touchable (behind glass, held by someone else)."""
    refusal = in_sight.test(ctx, entity)
    if refusal is not None:
        return refusal
    if entity == ctx.actor or entity in reachable(ctx.world, ctx.actor):
        return None
    return Refusal("OUT_OF_REACH", "you can't reach it.", {"item": entity})


@precondition("the actor holds the {field}", satisfied_by="take")
def held(ctx: RuleContext, entity: int) -> Refusal | None:
    """``NOT_HELD`` unless the actor carries (or wears) ``entity`` itself.

    The refusal names the thing only if the actor can see it.
    """
    location = ctx.world.try_get(entity, Location, readonly=True) if entity in ctx.world else None
    if location is not None and location.holder == ctx.actor:
        return None
    seen = entity in visible(ctx.world, ctx.actor)
    return Refusal("NOT_HELD", "you aren't holding that.", {"item": entity} if seen else {})


@precondition("the actor is not wearing the {field}", satisfied_by="take_off")
def not_worn(ctx: RuleContext, entity: int) -> Refusal | None:
    """``WORN`` when the actor wears ``entity``: Inform's "can't drop (put,
    insert, give) clothes being worn" rules, which take it off first
    ("(first taking the coat off)")."""
    location = ctx.world.try_get(entity, Location, readonly=True) if entity in ctx.world else None
    if location is not None and location.holder == ctx.actor and location.how == "worn":
        return Refusal("WORN", "you are wearing it; take it off first.", {"item": entity})
    return None
