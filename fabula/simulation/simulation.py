"""The deterministic core of a running game: rules and systems over one world.

A turn is: the proposed actions, decided and applied in order by
:class:`~fabula.actions.Rules` (stopping at the first refusal, unless told to
try each on its own), then one scheduler tick. Nothing in a turn reads the
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
        recorded: bool = False,
        before_tick: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Play one turn: apply ``actions`` in order, then tick once.

        Args:
            actions: the proposals, in order.
            stop_at_refusal: stop at the first refused action (the default,
                for a sequence whose later steps need the earlier ones); with
                ``False`` each action is tried on its own, as Inform tries
                each object of "take lamp, key and coat", and a refusal is
                reported and the rest go on. (Actions refused as malformed,
                unknown or with bad parameters end the turn either way: they
                are not actions of this game.)
            recorded: the actions come from a journal row (replay, recovery,
                memory's rebuild): every one is played (the row holds only
                those that were tried), and the implicit actions recorded in
                it (``source="implicit"``, just before the action they
                served) are passed to :meth:`Rules.attempt` instead of being
                derived again, so the outcomes are those of the live turn.
            before_tick: called with the outcomes once the actions are
                applied and before the tick, while the world is still as the
                actions left it: that is the world their reports describe
                (an inventory listed before the crab's bite kills you, not after).

        Returns:
            One outcome per action tried (implicit actions sit on the outcome
            of the action they served, :attr:`Outcome.implicit`).
        """
        outcomes = []
        if recorded:
            for proposal, implicit in _grouped(actions):
                outcomes.append(self.rules.attempt(proposal, implicit=implicit))
        else:
            for proposal in actions:
                outcome = self.rules.attempt(proposal)
                outcomes.append(outcome)
                if not outcome.ok and (stop_at_refusal or _foreign(outcome)):
                    break
        if before_tick is not None:
            before_tick(outcomes)
        self.scheduler.tick(self.world)
        return outcomes


_FOREIGN = frozenset({"MALFORMED", "UNKNOWN_ACTION", "BAD_PARAMS"})
"""Refusals that mean "not an action of this game" (the journal keeps none)."""


def _foreign(outcome: Outcome) -> bool:
    return outcome.refusal is not None and outcome.refusal.code in _FOREIGN


def _grouped(
    actions: Sequence[ActionProposal | dict[str, Any]],
) -> list[tuple[ActionProposal | dict[str, Any], list[ActionProposal]]]:
    """A journal row's proposals, each with the implicit ones recorded before it."""
    groups: list[tuple[ActionProposal | dict[str, Any], list[ActionProposal]]] = []
    pending: list[ActionProposal] = []
    for proposal in actions:
        if isinstance(proposal, ActionProposal) and proposal.source == "implicit":
            pending.append(proposal)
        else:
            groups.append((proposal, pending))
            pending = []
    groups.extend((orphan, []) for orphan in pending)  # served nothing: played as they are
    return groups


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
