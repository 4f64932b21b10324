"""Playing journalled turns again, checking as it goes.

Recovery, undo and ``fabula replay`` all come through here: the same
simulation that played a turn plays it again from its journal row. Before a
row is played, its actions are checked against the game's ActionRegistry:
fabula journals only actions the game knows with parameters that fit them
(anything else is refused before the world changes, and not journalled), so
a row naming an unknown action, or parameters that no longer validate, means
the game changed since the turn was played, or the row is damaged. Playing it
anyway would be refused and silently build a different world, so replay stops
there and names the turn. Then the tick and RNG fingerprint recorded before
each turn catch a game that is not deterministic at the first turn where it
diverges.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from fabula.actions import ActionRegistry
from fabula.ecs import World
from fabula.errors import ReplayError, SaveContentError
from fabula.persistence.advice import recover_command
from fabula.persistence.digest import rng_fingerprint, state_digest
from fabula.persistence.journal import TurnRecord
from fabula.persistence.meta import SaveMeta
from fabula.persistence.snapshot import Catalog, read_world
from fabula.simulation import Game, Simulation

__all__ = ["check_actions", "check_turn", "replay", "start_world"]


def start_world(
    conn: sqlite3.Connection,
    path: Path,
    game: Game,
    meta: SaveMeta,
    catalog: Catalog,
    turn: int,
    *,
    strict: bool,
) -> tuple[World, int, bool]:
    """A world to replay towards ``turn`` from: the save's snapshot if it lies
    before ``turn`` (or at it, unless ``strict``), else the game's turn-0
    world, checked against the digest recorded when the game began. Returns
    the world, its turn, and whether it is the snapshot.

    Raises:
        ReplayError: the game no longer builds the same starting world.
        SaveContentError: the snapshot is damaged.
        sqlite3.Error: the save cannot be read (the caller translates it).
    """
    row = conn.execute("SELECT turn FROM state WHERE id = 1").fetchone()
    snapshot_turn = row[0] if row is not None else None
    if not isinstance(snapshot_turn, int):
        read_world(conn, path, catalog)  # names what is wrong with the state row
    elif snapshot_turn < turn or (snapshot_turn == turn and not strict):
        world, base = read_world(conn, path, catalog)
        return world, base, True
    world = game.new_world(meta.seed)
    if state_digest(world, game.components.name_of) != meta.start_digest:
        raise ReplayError(
            path,
            "the game now builds a different starting world than when this save was "
            "made (its world files or code changed), so earlier turns cannot be "
            "rebuilt. Play on with the original game, or start a new game.",
        )
    return world, 0, False


def replay(path: Path, simulation: Simulation, records: Iterable[TurnRecord]) -> None:
    """Play journalled turns again on ``simulation``'s world, checking as it goes.

    Raises:
        SaveContentError: a row names an action the game does not have, or
            parameters its action no longer accepts.
        ReplayError: the world's tick or RNG before a turn differ from what
            the journal recorded: something in the game is not deterministic.
    """
    for record in records:
        check_turn(path, simulation, record)
        # A row holds exactly the actions that were tried (see journal.journalled).
        simulation.play(record.actions, stop_at_refusal=False)


def check_turn(path: Path, simulation: Simulation, record: TurnRecord) -> None:
    """Check that ``record`` can be played next on ``simulation``: its actions
    are the game's (:func:`check_actions`), and the world's tick and RNG are
    what they were when it was played.

    Raises:
        SaveContentError, ReplayError: as :func:`replay`.
    """
    rules = getattr(simulation, "rules", None)  # a stand-in that only records may have none
    if rules is not None:
        check_actions(path, record, rules.actions)
    world = simulation.world
    if world.tick != record.tick or rng_fingerprint(world) != record.rng:
        what = "tick" if world.tick != record.tick else "random generator state"
        raise ReplayError(
            path,
            f"replaying turn {record.turn} ({record.input!r}): the world's {what} differs "
            "from when it was played, so the game is not deterministic. Make all "
            "randomness use world.rng and sort wherever iteration order matters (see "
            "docs/persistence.md, 'Determinism contract').",
        )


def check_actions(path: Path, record: TurnRecord, actions: ActionRegistry) -> None:
    """Check that every action of a journal row is one the game has, with
    parameters that fit it.

    Raises:
        SaveContentError: naming the turn and the action.
    """
    for i, proposal in enumerate(record.actions):
        cls = actions.try_get(proposal.action)
        if cls is None:
            known = ", ".join(sorted(actions.names())) or "none"
            problem = (
                f"names action {proposal.action!r}, which this game does not have (it has: "
                f"{_cut(known)})"
            )
        else:
            try:
                cls.Params.model_validate(proposal.params)
                continue
            except ValidationError as exc:
                err = exc.errors(include_input=False)[0]
                where = ".".join(str(p) for p in err["loc"]) or "(all)"
                problem = (
                    f"gives action {proposal.action!r} parameters it no longer accepts "
                    f"({where}: {err['msg']})"
                )
        raise SaveContentError(
            path,
            f"{problem}. The turn was played with another version of the game, or the row is "
            "damaged; replaying it would build a different world. Play the save with the game "
            f"it was made with, or recover the turns before this one with: "
            f"{recover_command(path)}",
            table="journal",
            row=f"turn {record.turn}",
            field=f"actions[{i}]",
        )


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
