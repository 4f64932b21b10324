"""Judging a game's conditions (:class:`~fabula.content.Condition`) against
a world: win and lose, further endings, awards, timed messages, hints and
memory's lore gates all ask :func:`holds`, so they can never disagree.

A condition reads the world only (never the session, the clock or a model),
so what depends on it replays exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from fabula.actions.standard import Health, LightSource, Score, inventory, room_of
from fabula.content.components import Achievements
from fabula.content.schema import Condition
from fabula.content.scope import condition_holds
from fabula.ecs import WorldView

__all__ = ["holds"]


def holds(world: WorldView, condition: Condition, ids: Mapping[str, int], player: int) -> bool:
    """Whether every clause of ``condition`` holds (its ``if`` expression last,
    so the cheap fields decide first)."""
    health = world.get(player, Health, readonly=True)
    if condition.dead is not None and (health.hp <= 0) != condition.dead:
        return False
    if condition.turns_at_least is not None and world.tick < condition.turns_at_least:
        return False
    if condition.in_room is not None and room_of(world, player) != ids.get(condition.in_room):
        return False
    carried = inventory(world, player)
    if any(ids.get(i) not in carried for i in condition.holding):
        return False
    if any(i in ids for i in condition.gone):
        return False
    for ident in condition.killed:
        body = world.try_get(ids[ident], Health, readonly=True) if ident in ids else None
        if body is not None and body.hp > 0:
            return False
    for ident in condition.lit:
        light = world.try_get(ids[ident], LightSource, readonly=True) if ident in ids else None
        if light is None or not light.lit:
            return False
    if condition.scored:
        earned = world.try_get(player, Achievements, readonly=True)
        keys = set(earned.keys) if earned is not None else set()
        if any(f"item:{i}" not in keys and f"award:{i}" not in keys for i in condition.scored):
            return False
    score = world.get(player, Score, readonly=True)
    if condition.score_at_least is not None and score.points < condition.score_at_least:
        return False
    return condition.if_ is None or condition_holds(condition.if_, world, ids, player)
