"""Rule dispatch cost: ``python -m benchmarks.rules [--rules 1000] [--turns 2000]``.

Plays the same cycle of turns of the demo (go west, take the lantern, drop
it, look, go east: every kind of action the walkthrough starts with) on two
copies of the game: the anchor with no ``rules.toml``, and one with
``--rules`` author rules loaded that mostly do not match (spread over every
action and over before / instead / after, each with an ``if`` that is false,
plus a few every-turn rules). The figure is milliseconds per turn, the best
of ``repeats`` runs (garbage collection paused while timing); the overhead
is the difference, the target under 1 ms per turn.

The turn is the simulation's (rules, the tick, the events), without the
parser, the narrator or the save, which rules do not touch.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from fabula.content import ContentGame
from fabula.games import GAMES

__all__ = ["main", "rules_toml", "run"]

STAGES = ("before", "instead", "after")


def rules_toml(count: int, actions: Sequence[str]) -> str:
    """``count`` rules that never apply: spread over ``actions`` and the
    stages, each with a false ``if``; one in a hundred is an every-turn rule."""
    out = []
    for i in range(count):
        if i % 100 == 99:
            out.append(f'[[rule]]\nid = "r{i}"\nwhen = "every_turn"\nif = "turn < 0"\n')
            continue
        action = actions[i % len(actions)]
        when = STAGES[(i // len(actions)) % len(STAGES)]
        out.append(
            f'[[rule]]\nid = "r{i}"\nwhen = "{when}"\naction = "{action}"\n'
            f'if = "turn < 0 and holding(\'lantern\')"\nsay = "Never."\n'
        )
    return "\n".join(out)


def _turns(game: ContentGame, turns: int, repeats: int) -> tuple[float, int]:
    """Best milliseconds per turn over ``repeats`` runs, and the turns played
    that succeeded (the same on every copy: a check the rules changed nothing)."""
    best, succeeded = float("inf"), 0
    for _ in range(repeats):
        world = game.new_world(game.files.game.seed)
        simulation = game.simulation(world)
        ids, player = game.ids(world.view()), game.player(world.view())
        lantern = ids["lantern"]
        cycle: list[dict[str, Any]] = [
            {"action": "go", "actor": player, "params": {"direction": "west"}},
            {"action": "take", "actor": player, "params": {"item": lantern}},
            {"action": "drop", "actor": player, "params": {"item": lantern}},
            {"action": "look", "actor": player},
            {"action": "go", "actor": player, "params": {"direction": "east"}},
        ]
        ok = 0
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for turn in range(turns):
                outcomes = simulation.play([cycle[turn % len(cycle)]])
                ok += outcomes[0].ok
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
        succeeded = ok
    return best / turns * 1e3, succeeded


def run(rules: int = 1000, turns: int = 2000, repeats: int = 3) -> dict[str, Any]:
    """Milliseconds per turn with no rules (the anchor) and with ``rules``."""
    anchor = ContentGame.load(GAMES / "gulls_end")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "gulls_end"
        shutil.copytree(GAMES / "gulls_end", root)
        (root / "rules.toml").write_text(rules_toml(rules, anchor.actions.names()))
        ruled = ContentGame.load(root)
    assert ruled.rulebook is not None
    assert len(ruled.rulebook.set.rules) == rules
    base_ms, base_ok = _turns(anchor, turns, repeats)
    ruled_ms, ruled_ok = _turns(ruled, turns, repeats)
    return {
        "rules": rules,
        "turns": turns,
        "anchor_ms": base_ms,
        "ruled_ms": ruled_ms,
        "overhead_ms": ruled_ms - base_ms,
        "ratio": ruled_ms / base_ms,
        "same_outcomes": base_ok == ruled_ok,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rules", description=__doc__)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    result = run(args.rules, args.turns, args.repeats)
    table = Table(title=f"A turn of the demo, {result['turns']:,} turns, best of {args.repeats}")
    table.add_column("game")
    table.add_column("ms / turn", justify="right")
    table.add_column("x anchor", justify="right")
    table.add_row("no rules (anchor)", f"{result['anchor_ms']:.3f}", "1.00")
    table.add_row(
        f"{result['rules']:,} rules, none applying",
        f"{result['ruled_ms']:.3f}",
        f"{result['ratio']:.2f}",
    )
    console = Console()
    console.print(table)
    console.print(
        f"Overhead: {result['overhead_ms']:.3f} ms per turn (target < 1 ms); "
        f"same outcomes: {result['same_outcomes']}."
    )


if __name__ == "__main__":
    main()
