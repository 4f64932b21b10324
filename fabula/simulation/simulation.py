"""The deterministic core of a running game: rules and systems over one world.

A turn is: the proposed actions, decided and applied in order by
:class:`~fabula.actions.Rules` (stopping at the first refusal, or trying
each on its own), then one scheduler tick. Nothing in a turn reads the
clock, a model or any randomness outside ``world.rng``, so replaying the
same proposals onto the same state gives the same result: the journal and
crash recovery rely on it. Model answers enter a game only as proposals,
which the journal records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from fabula.actions import ActionProposal, ActionRegistry, Outcome, Rules
from fabula.ecs import ComponentRegistry, World
from fabula.events import EventBus
from fabula.systems import Scheduler

__all__ = ["Game", "Simulation"]


class Simulation:
    """Plays turns on one world.

    Args:
        world: the world.
        actions: the game's actions.
        systems: the game's systems (decorated functions or objects), in the
            order they are added to the scheduler.
        bus: the event bus (a new one by default).

    Example:
        >>> from fabula.actions import ActionRegistry
        >>> from fabula.ecs import World
        >>> sim = Simulation(World(seed=1), ActionRegistry())
        >>> [o.refusal.code for o in sim.play([{"action": "dance", "actor": 0}])]
        ['UNKNOWN_ACTION']
        >>> sim.world.tick
        1
    """

    def __init__(
        self,
        world: World,
        actions: ActionRegistry,
        systems: Iterable[Any] = (),
        bus: EventBus | None = None,
    ) -> None:
        self.world = world
        self.bus = bus if bus is not None else EventBus()
        self.rules = Rules(world, actions, self.bus)
        self.scheduler = Scheduler(self.bus)
        self.scheduler.add_all(systems)
        self.scheduler.attach(world)

    def play(
        self,
        actions: Sequence[ActionProposal | dict[str, Any]],
        *,
        stop_at_refusal: bool = True,
        before_tick: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Play one turn: apply ``actions`` in order, then tick once.

        Args:
            actions: the proposals, in order.
            stop_at_refusal: stop at the first refused action (a chain of
                steps), or try every one on its own (the objects of "take
                all", where one refusal must not stop the others).
            before_tick: called with the outcomes once the actions are
                applied and before the tick, while the world is still as the
                actions left it: that is the world their reports describe
                (an inventory listed before the crab's bite kills you, not after).
        """
        outcomes = []
        for proposal in actions:
            outcome = self.rules.attempt(proposal)
            outcomes.append(outcome)
            if stop_at_refusal and not outcome.ok:
                break
        if before_tick is not None:
            before_tick(outcomes)
        self.scheduler.tick(self.world)
        return outcomes


class Game(Protocol):
    """What a save needs from the game it belongs to.

    Attributes:
        id: the game's stable id, stored in each save (never a Python import
            path: a game may move or be renamed without breaking its saves).
            Installed games are found by id (:func:`~fabula.simulation.find_game`).
        components: the game's component types, by stable name.
    """

    id: str
    components: ComponentRegistry

    def new_world(self, seed: int) -> World:
        """The world at turn 0. Must be a pure function of ``seed``."""
        ...

    def simulation(self, world: World) -> Simulation:
        """A new :class:`Simulation` playing turns on ``world``, with its own bus."""
        ...
