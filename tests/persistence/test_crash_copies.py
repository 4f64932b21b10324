"""Crashes while a copy of a save is written: a slot save, or a new game
replacing the save (``--new``).

Killed at the exact moments that matter (before and after the slot's
``VACUUM INTO``, before and after a written copy is renamed into place) and
at random moments of a game that saves to a slot every other turn: the save
keeps every turn shown (the checks of ``test_crash.py``), a slot is either
the previous copy or the new one, whole, never a part, and what an
interrupted copy left beside it is gone once the slot or save is next locked.
"""

from __future__ import annotations

import random
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fabula.persistence import SaveFile, state_digest
from tests.persistence.crashing import check, integrity, reference, run_player
from tests.persistence.keep_game import GAME, script


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".tmp-wal")))


def check_slot(slot: Path, turns: set[int]) -> int:
    """The slot opens whole at one of ``turns``, in the reference state;
    whatever an interrupted copy left beside it is then gone."""
    with SaveFile.open(slot, GAME) as copy:
        turn = copy.turn
        assert turn in turns, (turn, turns)
        assert copy.recovered == 0
        assert state_digest(copy.world) == reference()[turn]
    assert integrity(slot) == "ok"
    assert leftovers(slot.parent) == [], "the interrupted copy was not cleaned up"
    return turn


SLOT_KILLS = [
    ("VACUUM INTO", "before", {3}, False),  # the copy not begun: the slot is the last one
    ("VACUUM INTO", "after", {3}, True),  # written beside the slot, not renamed
    ("replace", "before", {3}, True),  # written and synced, not renamed
    ("replace", "after", {6}, False),  # renamed into place
]


@pytest.mark.parametrize(
    ("at", "when", "turns", "left"), SLOT_KILLS, ids=[f"{w}-{a}" for a, w, _, _ in SLOT_KILLS]
)
def test_sigkill_during_a_slot_save(
    tmp_path: Path, at: str, when: str, turns: set[int], left: bool
) -> None:
    """Slots are saved after turns 3 and 6; the kill comes during the second."""
    path, slot = tmp_path / "game.save", tmp_path / "game-slot.save"
    kill = ["--kill-sql", at, "--kill-at", "2"] if at != "replace" else ["--kill-replace"]
    if at == "replace":  # the first rename is the new save's own
        kill += ["--kill-at", "3"]
    run = run_player(path, 4, "--slot-every", "3", *kill, "--kill-when", when)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert run.shown == 6
    assert bool(leftovers(tmp_path)) == left
    check(path, run.shown)
    check_slot(slot, turns)


@pytest.mark.parametrize("when", ["before", "after"])
def test_sigkill_while_a_new_game_replaces_the_save(tmp_path: Path, when: str) -> None:
    """Killed around the rename that puts the new game in place of a 20-turn
    save: the next start finds the old game or the new one, never neither."""
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=3) as save:
        for text, actions in script(20):
            save.play(text, actions)
    run = run_player(path, 4, "--new", "--kill-replace", "--kill-at", "1", "--kill-when", when)
    assert (run.returncode, run.ready) == (-signal.SIGKILL, None), run.stderr
    assert bool(leftovers(tmp_path)) == (when == "before")
    with SaveFile.open(path, GAME) as save:
        assert save.turn == (20 if when == "before" else 0)
        assert state_digest(save.world) == reference()[save.turn]
    assert integrity(path) == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.save"]


def slot_trial(folder: Path, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    folder.mkdir()
    path, slot = folder / "game.save", folder / "game-slot.save"
    run = run_player(
        path,
        rng.choice([2, 5]),
        "--slot-every",
        "2",
        delay=rng.uniform(0.005, 0.4),
        signum=signal.SIGKILL,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    turn, _ = check(path, run.shown)
    slots = [int(line.split()[1]) for line in run.lines if line.startswith("slot")]
    if not slot.exists():
        assert run.shown < 3, "a slot was saved, and is gone"
        return turn, -1
    # The last slot reported, or the one being written when the kill came.
    latest = slots[-1] if slots else 0
    return turn, check_slot(slot, {latest, latest + 2})


def test_sigkill_at_random_moments_while_saving_slots(tmp_path: Path) -> None:
    """Twelve games saving a slot every other turn, killed at seeded random moments."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: slot_trial(tmp_path / f"t{n}", n), range(12)))
    # Loose, so that it holds on a loaded machine too: some kills came after slots.
    assert sum(1 for _, slot in results if slot >= 2) >= 3
    print(f"\n{len(results)} kills while saving slots: (turn, slot turn) {results}")
