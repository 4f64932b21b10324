"""A player for the crash and two-process tests.

    python crash_player.py SAVE --seed S --turns N --every K [--hold] [--new]
        [--slot-every M] [--kill-at C [--kill-sql SQL | --kill-replace]
        [--kill-when before|after] [--kill-with SIG]]

It creates the save if it is missing and otherwise continues it (recovering
first, as any player would), with write-behind every ``K`` turns. It then
plays the keep game's ``script(N)`` from turn ``save.turn + 1`` on. Output,
one line each, flushed at once:

* ``ready TURN RECOVERED`` once the save is open and SIGINT/SIGTERM close it
  cleanly, before the first turn;
* ``shown TURN`` after each ``play`` returns: the output the player saw;
* ``done`` after the save is closed at the end of the script.

``--hold`` waits for a line on stdin after ``ready`` before playing (the
process holding the save in the two-process tests; ``--turns`` defaults to
the save's turn then, so it plays nothing unless asked). ``--new`` starts a
new game over the save (as ``fabula play --new``). ``--slot-every M`` saves
the game to the slot ``<SAVE>-slot.save`` after every ``M``-th turn and
prints ``slot N`` once it is written.

``--kill-at C`` makes the process send itself SIGKILL (or ``--kill-with``
another signal) just before or just after (``--kill-when``) the ``C``-th
``COMMIT`` (or other statement starting with ``--kill-sql``) on the save's
connection since it was opened (``SaveFile.open`` included; the file that
``SaveFile.new`` writes aside is not counted): a crash, or a signal, at an
exact point of a turn, a flush, a recovery, a slot save (``--kill-sql
"VACUUM INTO"``) or a close. With ``--kill-replace`` it is the ``C``-th
``os.replace`` instead: the moment a written copy (a new game, a slot) is
renamed into place.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

import fabula.persistence.opening as opening_module
from fabula.persistence import FlushPolicy, SaveFile

if __package__:  # imported as tests.persistence.crash_player (doctest collection)
    from .keep_game import GAME, script
else:  # run as a script, the way the tests run it: its folder is on sys.path
    from keep_game import GAME, script


class Killer:
    """A connection that signals its own process around its ``at``-th
    statement starting with ``sql``."""

    def __init__(self, conn: sqlite3.Connection, sql: str, at: int, when: str, signum: int) -> None:
        self._conn = conn
        self._sql = sql.upper()
        self._at = at
        self._when = when
        self._signum = signum
        self._seen = 0

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if not sql.strip().upper().startswith(self._sql):
            return self._conn.execute(sql, *args)
        self._seen += 1
        if self._seen == self._at and self._when == "before":
            os.kill(os.getpid(), self._signum)
        cursor = self._conn.execute(sql, *args)
        if self._seen == self._at and self._when == "after":
            os.kill(os.getpid(), self._signum)
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def install_killer(path: Path, sql: str, at: int, when: str, signum: int) -> None:
    """Make ``SaveFile`` wrap the connections it opens on ``path`` in a :class:`Killer`."""
    connect = opening_module.connect

    def killing_connect(target: Path, **kwargs: Any) -> Any:
        conn = connect(target, **kwargs)
        if Path(target).resolve() == path.resolve():
            return Killer(conn, sql, at, when, signum)
        return conn

    opening_module.connect = killing_connect  # type: ignore[assignment]


def install_replace_killer(at: int, when: str, signum: int) -> None:
    """Signal this process around its ``at``-th ``os.replace``."""
    replace = os.replace
    seen = 0

    def killing_replace(source: Any, target: Any) -> None:
        nonlocal seen
        seen += 1
        if seen == at and when == "before":
            os.kill(os.getpid(), signum)
        replace(source, target)
        if seen == at and when == "after":
            os.kill(os.getpid(), signum)

    os.replace = killing_replace  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("save", type=Path)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--turns", type=int, default=None)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--hold", action="store_true")
    parser.add_argument("--new", action="store_true")
    parser.add_argument("--slot-every", type=int, default=0)
    parser.add_argument("--kill-replace", action="store_true")
    parser.add_argument("--kill-at", type=int, default=0)
    parser.add_argument("--kill-sql", default="COMMIT")
    parser.add_argument("--kill-when", choices=["before", "after"], default="before")
    parser.add_argument("--kill-with", type=lambda name: signal.Signals[name], default="SIGKILL")
    args = parser.parse_args()
    policy = FlushPolicy(every_turns=args.every, every_seconds=3600)
    if args.kill_at and args.kill_replace:
        install_replace_killer(args.kill_at, args.kill_when, args.kill_with)
    elif args.kill_at:
        install_killer(args.save, args.kill_sql, args.kill_at, args.kill_when, args.kill_with)
    save = SaveFile.open_or_new(args.save, GAME, seed=args.seed, replace=args.new, policy=policy)
    slot = args.save.with_name(f"{args.save.stem}-slot.save")
    turns = args.turns if args.turns is not None else (save.turn if args.hold else 2000)
    to_play = script(turns)[save.turn :]  # before "ready": it takes a few ms
    with save.flush_on_signals():
        print(f"ready {save.turn} {save.recovered}", flush=True)
        if args.hold:
            sys.stdin.readline()
        for text, actions in to_play:
            save.play(text, actions)
            print(f"shown {save.turn}", flush=True)
            if args.slot_every and save.turn % args.slot_every == 0:
                save.save_as(slot)
                print(f"slot {save.turn}", flush=True)
        save.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
