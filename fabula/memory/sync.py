"""Keeping history in step with the save it remembers.

Memory is written after a turn is durable (the journal row is committed
first), so the two can part ways:

* **undo** deletes the last journal rows: their entries must go
  (:meth:`~fabula.memory.MemoryStore.forget_after`);
* **a crash** between the journal commit and the memory write leaves a
  journalled turn with no entry: it must be added;
* **a restore** brings back another branch of the game: entries of turns
  that exist in both branches with different rows must be replaced.

Each entry records the fingerprint of the journal row it was made from
(:func:`~fabula.memory.history.source_of`). Sync compares those with the
journal: an entry past the save's turn, or whose row is no longer the one
the journal holds, is stale and removed; a journalled turn with no current
entry is rebuilt by :func:`replayed_entries`, which plays the journal again
on the game's rules, with no model, exactly as recovery and undo do, and
tells each turn with the template narrator, exactly as the session does. The
same :func:`~fabula.memory.history.history_entry` then makes the same entry
live play made.

It reads the save through :meth:`~fabula.persistence.SaveFile.records` and
:meth:`~fabula.persistence.SaveFile.world_before` (the save holds the file's
only lock, so nothing else could read it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, cast

from fabula.actions import ActionProposal, Outcome
from fabula.content import ContentGame
from fabula.ecs import WorldView
from fabula.memory.history import HistoryEntry, PlainNarrator, Scene, history_entry
from fabula.persistence import SaveFile, replay
from fabula.simulation import Simulation

__all__ = ["replayed_entries"]


def replayed_entries(
    save: SaveFile,
    game: ContentGame,
    narrator: PlainNarrator,
    turns: Collection[int],
) -> Iterator[HistoryEntry]:
    """The history entries of ``turns`` (journalled turns of ``save``), made by
    playing the journal again up to the last of them.

    Replay starts from the save's snapshot when it lies before the first turn
    wanted, else from the game's turn-0 world (checked against the digest the
    save recorded when the game began).

    Raises:
        ReplayError: the game no longer builds the same starting world, or
            the journal does not replay (the game is not deterministic).
        PersistenceError: the save cannot be read.
    """
    if not turns:
        return
    wanted = set(turns)
    first, last = min(wanted), max(wanted)
    world, base = save.world_before(first)
    records = save.records(base, last)
    simulation = game.simulation(world)
    view = world.view()  # what the narrator and memory read; only replay writes
    capture = _Capture(simulation, narrator, view)
    for record in records:
        player = game.player(view)
        before = Scene.of(view, player)
        narrator.prepare(view, record.actions)
        capture.player = player
        with simulation.bus.record() as events:
            replay(save.path, cast(Simulation, capture), [record])
        if record.turn in wanted:
            account = narrator.account(view, player, capture.outcomes, events, told=capture.told)
            ending = game.ending(view)
            yield history_entry(
                record, account, before, view, player, capture.outcomes, events, ending
            )


class _Capture:
    """Stands in for the simulation during replay and keeps each turn's
    outcomes, told before the tick as live play tells them (replay itself
    checks the tick and RNG before every turn)."""

    def __init__(self, simulation: Simulation, narrator: PlainNarrator, view: WorldView) -> None:
        self.world = simulation.world
        self._simulation = simulation
        self._narrator = narrator
        self._view = view
        self.player = 0
        self.outcomes: list[Outcome] = []
        self.told = ""

    def play(
        self, actions: Sequence[ActionProposal | dict[str, Any]], **options: bool
    ) -> list[Outcome]:
        self.outcomes = self._simulation.play(actions, before_tick=self._tell, **options)
        return self.outcomes

    def _tell(self, outcomes: list[Outcome]) -> None:
        self.told = self._narrator.narrate(self._view, self.player, outcomes)
