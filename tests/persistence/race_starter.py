"""Processes that start on one save at the same moment (the race tests).

    python race_starter.py serve
    python race_starter.py cli BARRIER FABULA-ARGS...

Every contender prints ``waiting`` and blocks on a shared lock of a barrier
file, which the test holds exclusively until both contenders are waiting and
then releases: both start at once, with no sleep anywhere.

``serve`` starts contenders quickly: having imported fabula once, it reads
``BARRIER SAVE [--new]`` lines on stdin and forks one contender per line,
which tries ``SaveFile.open_or_new`` on the keep game's save (``--new``
replaces it), as ``Session.start`` does. The contender prints ``refused`` if
the save is locked and ends; otherwise ``playing TURN``, waits for a line on
stdin, plays five turns of the script printing ``shown N`` after each,
closes the save and prints ``done``. The server then prints ``exit CODE``.

``cli`` is one contender started from scratch: it runs ``fabula`` with the
given arguments (``play`` reads its commands from stdin, which the test keeps
open until it has seen whether this process got the save).
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path


def wait_at(barrier: str) -> None:
    with open(barrier, "rb") as file:
        print("waiting", flush=True)
        fcntl.flock(file, fcntl.LOCK_SH)


def contend(barrier: str, path: Path, new: bool) -> int:
    from keep_game import GAME, script

    from fabula.errors import SaveLockedError
    from fabula.persistence import FlushPolicy, SaveFile

    wait_at(barrier)
    try:
        save = SaveFile.open_or_new(path, GAME, seed=3, replace=new, policy=FlushPolicy(2, 3600))
    except SaveLockedError:
        print("refused", flush=True)
        return 0
    print(f"playing {save.turn}", flush=True)
    sys.stdin.readline()
    for text, actions in script(save.turn + 5)[save.turn :]:
        save.play(text, actions)
        print(f"shown {save.turn}", flush=True)
    save.close()
    print("done", flush=True)
    return 0


def serve() -> int:
    import keep_game  # noqa: F401  (everything a contender needs, imported once)

    import fabula.persistence  # noqa: F401

    for line in iter(sys.stdin.readline, ""):
        barrier, path, *flags = line.split()
        child = os.fork()
        if child == 0:
            code = 1
            try:
                code = contend(barrier, Path(path), "--new" in flags)
            finally:
                sys.stdout.flush()
                os._exit(code)
        _, status = os.waitpid(child, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
    return 0


def main() -> int:
    mode, *rest = sys.argv[1:]
    if mode == "serve":
        return serve()
    from fabula.cli.main import main as fabula

    wait_at(rest[0])
    return fabula(rest[1:])


if __name__ == "__main__":
    sys.exit(main())
