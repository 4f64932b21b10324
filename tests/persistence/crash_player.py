"""A player for the crash tests: plays the keep game's script into a save and
prints ``shown N`` after each turn, the moment its result would be on screen.

    python crash_player.py SAVE --seed S --turns N --every K [--hold]

It creates the save if it is missing and otherwise continues it (recovering
first, as any player would). ``--hold`` opens the save, prints ``ready`` and
waits for a line on stdin before closing: the other process in the
two-process tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from keep_game import GAME, script

from fabula.persistence import FlushPolicy, SaveFile


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("save", type=Path)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--hold", action="store_true")
    args = parser.parse_args()
    policy = FlushPolicy(every_turns=args.every, every_seconds=3600)
    if args.save.exists():
        save = SaveFile.open(args.save, GAME, policy=policy)
    else:
        save = SaveFile.new(args.save, GAME, seed=args.seed, policy=policy)
    print(f"ready {save.turn} {save.recovered}", flush=True)
    if args.hold:
        sys.stdin.readline()
        save.close()
        return 0
    with save.flush_on_signals():
        for text, actions in script(args.turns)[save.turn :]:
            save.play(text, actions)
            print(f"shown {save.turn}", flush=True)
        save.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
