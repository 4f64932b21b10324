"""Playing journalled turns again, checking as it goes.

Recovery, undo and ``fabula replay`` all come through here: the same
simulation that played a turn plays it again from its journal row, and the
tick and RNG fingerprint recorded before each turn catch a game that is not
deterministic at the first turn where it diverges.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fabula.errors import ReplayError
from fabula.game import Simulation
from fabula.persistence.digest import rng_fingerprint
from fabula.persistence.journal import TurnRecord

__all__ = ["replay"]


def replay(path: Path, simulation: Simulation, records: Iterable[TurnRecord]) -> None:
    """Play journalled turns again on ``simulation``'s world, checking as it goes.

    Raises:
        ReplayError: the world's tick or RNG before a turn differ from what
            the journal recorded: something in the game is not deterministic.
    """
    world = simulation.world
    for record in records:
        if world.tick != record.tick or rng_fingerprint(world) != record.rng:
            what = "tick" if world.tick != record.tick else "random generator state"
            raise ReplayError(
                path,
                f"replaying turn {record.turn} ({record.input!r}): the world's {what} differs "
                "from when it was played, so the game is not deterministic. Make all "
                "randomness use world.rng and sort wherever iteration order matters (see "
                "docs/persistence.md, 'Determinism contract').",
            )
        simulation.play(record.actions)
