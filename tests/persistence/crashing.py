"""What the crash tests share: the uncrashed reference run of the keep
game's script, the player process (``crash_player.py``) and the checks of a
save a crash left (see ``test_crash.py`` for what they prove)."""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fabula.persistence import SaveFile, read_world, state_digest
from fabula.persistence.snapshot import Catalog
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent
PLAYER = HERE / "crash_player.py"
TURNS = 4000  # more than a player gets through before any kill below
SEED = 3


@functools.cache
def reference() -> tuple[str, ...]:
    """``reference()[n]``: the digest after turn ``n`` of an uninterrupted run."""
    world = GAME.new_world(SEED)
    simulation = GAME.simulation(world)
    digests = [state_digest(world)]
    for _, actions in script(TURNS):
        simulation.play(actions)
        digests.append(state_digest(world))
    return tuple(digests)


# ----------------------------------------------------------------- players


@dataclass
class Run:
    """What one player process printed, and how it ended."""

    lines: list[str]
    returncode: int
    stderr: str

    @property
    def ready(self) -> tuple[int, int] | None:
        """(turn, recovered) when the save was open, or None if it never was."""
        for line in self.lines:
            if line.startswith("ready"):
                _, turn, recovered = line.split()
                return int(turn), int(recovered)
        return None

    @property
    def shown(self) -> int:
        """The last turn whose result was shown (the starting turn if none)."""
        shown = [int(line.split()[1]) for line in self.lines if line.startswith("shown")]
        assert self.ready is not None or not shown
        return shown[-1] if shown else (self.ready or (0, 0))[0]

    @property
    def played(self) -> int:
        """How many turns were shown in this run."""
        return sum(1 for line in self.lines if line.startswith("shown"))

    @property
    def done(self) -> bool:
        return "done" in self.lines


def run_player(
    path: Path,
    every: int,
    *extra: str,
    delay: float = 0.0,
    signum: int | None = None,
    times: int = 1,
    after_shown: int = 0,
) -> Run:
    """Run ``crash_player.py`` on ``path``; with ``signum``, send it that
    signal ``delay`` seconds after the player said ``ready`` (``times`` times,
    1 ms apart), or, with ``after_shown``, ``delay`` seconds after it showed
    that many turns of this run: how far a player got before the kill then
    depends on the plan, never on how fast the machine is. Otherwise wait
    for it to end by itself (or by ``--kill-at``)."""
    command = [sys.executable, str(PLAYER), str(path), "--seed", str(SEED)]
    command += ["--turns", str(TURNS), "--every", str(every), *extra]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    lines: list[str] = []
    try:
        if signum is None:
            out, stderr = process.communicate(timeout=60)
            lines.extend(out.splitlines())
        else:
            # (Not communicate() after readline(): it would skip what the
            # reader had buffered.) Drain stdout while the player runs, so it
            # never waits on a full pipe.
            first = process.stdout.readline()
            lines.append(first)
            shown = 0
            while first.startswith("ready") and shown < after_shown:
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line)
                shown += line.startswith("shown")
            drain = threading.Thread(target=lambda: lines.extend(process.stdout))
            drain.start()
            if first.startswith("ready"):
                time.sleep(delay)
                for i in range(times):
                    time.sleep(0.001 if i else 0)
                    process.send_signal(signum)
            process.wait(timeout=60)
            drain.join(timeout=60)
            stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run([line.strip() for line in lines if line.strip()], process.returncode, stderr)


# ------------------------------------------------------------------ checks


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def copy_save(path: Path, target: Path) -> Path:
    """Copy a save and its write-ahead log, as they are, to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        source = Path(f"{path}{suffix}")
        copy = Path(f"{target}{suffix}")
        copy.unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, copy)
    return target


def inspect_crashed(path: Path) -> tuple[int, int]:
    """Check a copy of the file as the crash left it (so the save itself is
    opened by ``SaveFile`` first, as a player's would be); return (last
    journalled turn, snapshot turn)."""
    copy = copy_save(path, path.parent / "crashed" / path.name)
    try:
        assert integrity(copy) == "ok"
        conn = sqlite3.connect(copy)
        try:
            count, last = conn.execute(
                "SELECT count(*), coalesce(max(turn), 0) FROM journal"
            ).fetchone()
            assert count == last, f"the journal has gaps: {count} rows up to turn {last}"
            world, snapshot_turn = read_world(conn, copy, Catalog(copy, GAME.components))
        finally:
            conn.close()
        assert snapshot_turn <= last
        assert state_digest(world) == reference()[snapshot_turn], (
            f"the snapshot of turn {snapshot_turn} is not the state of that turn"
        )
        return last, snapshot_turn
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def check(path: Path, shown: int) -> tuple[int, int]:
    """The crashed save holds every turn shown, in the right state; return
    (turn recovered to, turns replayed)."""
    last, snapshot_turn = inspect_crashed(path)
    with SaveFile.open(path, GAME) as save:
        turn, recovered = save.turn, save.recovered
        assert turn >= shown, f"lost {shown - turn} turn(s) that were shown"
        assert turn <= shown + 1, f"{turn - shown} turns more than were shown"
        assert turn == last
        assert recovered == turn - snapshot_turn
        assert state_digest(save.world) == reference()[turn], f"wrong state at turn {turn}"
    assert integrity(path) == "ok"
    assert not Path(f"{path}-wal").exists(), "close() left a write-ahead log"
    conn = sqlite3.connect(path)
    try:
        stored = conn.execute("SELECT turn, digest, digest_turn FROM state").fetchone()
    finally:
        conn.close()
    assert stored == (turn, reference()[turn], turn)
    return turn, recovered


def commit_plan(every: int, commits: int) -> list[tuple[str, int]]:
    """The COMMITs a fresh save makes, in order: ("journal", t) for each turn
    and ("flush", t) after each ``every``-th."""
    plan: list[tuple[str, int]] = []
    turn = 0
    while len(plan) < commits:
        turn += 1
        plan.append(("journal", turn))
        if turn % every == 0:
            plan.append(("flush", turn))
    return plan[:commits]
