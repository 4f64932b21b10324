"""What one world size's timed turns are played with, and how it is set up.

Everything goes through the engine's public entry points, as a game does:

1. the filled demo's save is made (:meth:`~fabula.persistence.SaveFile.new`,
   ``durability="process"`` to save time) and ``memories`` turns of
   :data:`~benchmarks.turn.cycle.CYCLE` are played on it by a plain
   :class:`~fabula.session.Session` (symbolic parser, template narrator, no
   brain), each checked, so the game is that many turns in;
2. memory is filled as a game's memory is rebuilt: the demo's lore indexed
   and the history of those turns made from the journal by
   :meth:`~fabula.memory.MemoryStore.sync` (replay, the template narrator's
   accounts, batched writes), in a real Chroma folder beside the save, with
   :class:`~benchmarks.turn.stand_ins.HashEmbedder`;
3. the save is copied, and two sessions are started: the timed one with
   :meth:`Session.start <fabula.session.Session.start>` on the save (the
   default durability, fsynced per commit), a :class:`~fabula.narration.Brain`
   with that memory and the stand-in narrator model; and a second one on the
   copy opened with ``durability="process"``, with its own stand-in narrator
   model and no memory, which plays the same turns for the rows without
   fsync.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from benchmarks.turn.cycle import Checks, Places, check_played, step_for
from benchmarks.turn.filled import FilledGame
from benchmarks.turn.probes import Probe
from benchmarks.turn.stand_ins import HashEmbedder, StandInNarratorModel
from fabula.ai import ModelConfig
from fabula.content import ContentGame
from fabula.memory import MemoryStore, SyncReport
from fabula.narration import Brain, ModelNarrator, TemplateNarrator
from fabula.persistence import SaveFile
from fabula.session import Session

__all__ = ["Rig", "build_rig", "play"]

T = TypeVar("T")


@dataclass
class Rig:
    """What one size's timed turns play with.

    Attributes:
        game: the filled demo.
        session: the timed session (fsynced save, brain with memory,
            stand-in narrator model).
        twin: the session on the save's copy (``durability="process"``).
        store: the timed session's memory (its brain's).
        embedder: the store's stand-in embedder.
        narrator_model: the timed session's stand-in narrator model.
        places: the start room's things and the game's rooms, for the checks.
        probes: ``state`` (the brain's state builder), ``recall`` (the
            store), ``annotate`` (the timed session's save) and
            ``annotate_nofsync`` (the copy's).
    """

    game: FilledGame
    session: Session
    twin: Session
    store: MemoryStore
    embedder: HashEmbedder
    narrator_model: StandInNarratorModel
    places: Places
    probes: dict[str, Probe]

    @property
    def brain(self) -> Brain:
        """The timed session's brain."""
        assert self.session.brain is not None
        return self.session.brain


def _seconds(work: Callable[[], T]) -> tuple[T, float]:
    """``work``'s value and the wall-clock seconds it took (for setup)."""
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def play(session: Session, places: Places, check: Checks) -> None:
    """Play the session's next command of the cycle (untimed) and check it."""
    before = session.save.turn
    step = step_for(before + 1)
    with session.save.simulation.bus.record() as events:
        reply = session.turn(step.command)
    check_played(session, before, step, reply, events, places, check)


def build_rig(
    base: ContentGame,
    entities: int,
    memories: int,
    folder: Path,
    check: Checks,
    closing: ExitStack,
) -> tuple[Rig, dict[str, float]]:
    """Set one size up in ``folder`` (see the module doc); whatever is opened
    is closed by ``closing``. Returns the rig and the setup's seconds by step
    (see :class:`~benchmarks.turn.results.Overhead`)."""
    game = FilledGame(base.files, entities)
    seed = game.files.game.seed
    setup: dict[str, float] = {}
    world, setup["world"] = _seconds(lambda: game.new_world(seed))
    size = len(world)
    check("entities", size == entities, lambda: f"the world has {size} entities")
    del world
    path, copy_path = folder / "turn.save", folder / "turn-process.save"
    save, setup["save"] = _seconds(
        lambda: SaveFile.new(path, game, seed=seed, durability="process")
    )
    journal = Session(game, save)
    closing.callback(journal.close)
    places = Places(game, journal.view)

    def play_journal() -> None:
        for _ in range(memories):
            play(journal, places, check)

    _, setup["journal"] = _seconds(play_journal)
    embedder = HashEmbedder()
    store = MemoryStore.open(path, game.id, embedder)
    closing.callback(store.close)
    narrator = TemplateNarrator(game.files.templates)

    def fill() -> SyncReport:
        store.index_lore(game)
        return store.sync(journal.save, game, narrator)

    filled, setup["memory"] = _seconds(fill)
    check("lore", store.count("lore") > 0, lambda: "no lore was indexed")
    stored = store.count("history")
    check(
        "memories stored",
        stored == memories == filled.added,
        lambda: f"the store holds {stored} entries, not {memories} (sync added {filled.added})",
    )
    report = store.sync(journal.save, game, narrator)
    check("memory agrees", report == SyncReport(0, 0), lambda: f"sync had to change {report}")
    journal.close()  # flushed and checkpointed: one complete file to copy
    shutil.copyfile(path, copy_path)
    model, twin_model = StandInNarratorModel(), StandInNarratorModel()

    def start() -> tuple[Session, Session]:
        brain = Brain(game, ModelConfig(narrator=model.config), memory=store)
        timed = Session.start(game, path, narrator_model=ModelNarrator(model), brain=brain)
        closing.callback(timed.close)
        copy = SaveFile.open(copy_path, game, durability="process")
        twin = Session(game, copy, narrator_model=ModelNarrator(twin_model))
        closing.callback(twin.close)
        return timed, twin

    (session, twin), setup["open"] = _seconds(start)
    assert session.brain is not None
    probes = {
        "state": Probe(session.brain.state, "build"),
        "recall": Probe(store, "recall"),
        "annotate": Probe(session.save, "annotate"),
        "annotate_nofsync": Probe(twin.save, "annotate"),
    }
    rig = Rig(game, session, twin, store, embedder, model, places, probes)
    return rig, setup
