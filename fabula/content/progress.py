"""The story's rules that run by themselves: points for taking things and
for tasks, and what the game says at set turns.

All of them are handlers or systems of the game's
:class:`~fabula.simulation.Simulation`, so they change the world only while
a turn is played, read nothing but the world, and replay exactly from the
journal (undo, recovery and ``fabula replay`` see the same points and the
same messages). What was scored is kept in
:class:`~fabula.content.components.Achievements` beside the score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fabula.actions.standard import Named, Player, Score
from fabula.content.components import Achievements, Ident, Points
from fabula.content.conditions import holds
from fabula.content.story import AwardSpec, TimedSpec
from fabula.ecs import World
from fabula.events import OnMessage, OnTake
from fabula.systems import Phase, TickContext, system

__all__ = ["award_points", "award_tasks", "timeline"]

IdsOf = Callable[[World], Mapping[str, int]]


def record(world: World, player: int, key: str, points: int, task: str) -> None:
    """Add ``points`` to ``player``'s score for ``task``, once per ``key``."""
    earned = world.try_get(player, Achievements) or Achievements()
    if key in earned.keys:
        return
    world.get(player, Score).points += points
    world.insert(
        player,
        Achievements((*earned.keys, key), (*earned.points, points), (*earned.tasks, task)),
    )


def award_points(world: World) -> Callable[[OnTake], None]:
    """A handler for ``OnTake``: a thing's :class:`Points` go to whoever
    with a score first takes it, "for finding" it."""

    def handler(event: OnTake) -> None:
        points = world.try_get(event.item, Points)
        if points is None or not world.has(event.actor, Score):
            return
        ident = world.try_get(event.item, Ident)
        named = world.try_get(event.item, Named)
        task = f"finding {named.definite()}" if named is not None else "finding something"
        key = f"item:{ident.id if ident is not None else event.item}"
        record(world, event.actor, key, points.points, task)
        world.remove(event.item, Points)  # once only

    return handler


def award_tasks(awards: Mapping[str, AwardSpec], ids_of: IdsOf) -> object:
    """A system: at the end of each turn, each award whose condition holds
    for the first time goes to the player (in the order of the award ids)."""

    @system(name="award_tasks", phase=Phase.POST_UPDATE)
    def run(ctx: TickContext) -> None:
        world = ctx.world
        for player in sorted(world.entities_with[Player]):
            earned = world.try_get(player, Achievements, readonly=True)
            ids = ids_of(world)
            for ident in sorted(awards):
                if earned is not None and f"award:{ident}" in earned.keys:
                    continue
                award = awards[ident]
                if holds(world, award.when, ids, player):
                    record(world, player, f"award:{ident}", award.points, award.task)

    return run


def timeline(entries: list[TimedSpec], ids_of: IdsOf) -> object:
    """A system: at the end of turn N, the game's messages for turn N (whose
    ``when`` holds and ``unless`` does not) are published as
    :class:`~fabula.events.OnMessage`, for the narrator to tell."""
    by_turn: dict[int, list[TimedSpec]] = {}
    for entry in entries:
        by_turn.setdefault(entry.turn, []).append(entry)

    @system(name="timeline", phase=Phase.POST_UPDATE, after=("award_tasks",))
    def run(ctx: TickContext) -> None:
        due = by_turn.get(ctx.tick)
        if not due or ctx.bus is None:
            return
        world = ctx.world
        ids = ids_of(world)
        for player in sorted(world.entities_with[Player]):
            for entry in due:
                if entry.when is not None and not holds(world, entry.when, ids, player):
                    continue
                if entry.unless is not None and holds(world, entry.unless, ids, player):
                    continue
                ctx.bus.publish(OnMessage(entry.message, source="timeline"))

    return run
