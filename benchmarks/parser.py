"""The symbolic parser with many things in scope: time per command.

``python -m benchmarks.parser [--sizes 1000,10000] [--repeats 200]``

A lit hall holds N portable things with names drawn from 16 adjectives and
16 nouns (so words are shared by many things, as "key" or "coin" are), a
brass lamp, and a person, Mira; the player stands among them, so all
N + 2 things are in scope. Each command of :data:`COMMANDS` is parsed
``repeats`` times against that world and the median time is reported; every
parse is checked to give the result it must (a benchmark that measures a
wrong answer measures nothing). The budget is 1 ms per command at N = 10,000
(issue 13): parsing finds a phrase's candidates through the word index
(:mod:`fabula.parsing.lexicon`) and checks only those against scope
(:class:`fabula.parsing.scope.Scope`), so the time hardly grows with N.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from fabula.actions import ActionRegistry
from fabula.actions.standard import Actor, Location, Named, Player, Portable, Room
from fabula.ecs import World
from fabula.parsing import Parsed, ParseError, SymbolicParser

__all__ = ["COMMANDS", "Figure", "build", "main", "measure"]

_ADJECTIVES = (
    "red", "blue", "green", "old", "new", "small", "large", "brass",
    "iron", "wooden", "glass", "tin", "copper", "silver", "golden", "dusty",
)  # fmt: skip
_NOUN_LIST = (
    "pebble", "shell", "coin", "key", "box", "cup", "stone", "feather",
    "button", "bead", "ring", "nail", "bottle", "rope", "card", "leaf",
)  # fmt: skip

COMMANDS: tuple[tuple[str, str], ...] = (
    ("take lantern", "take"),
    ("x the brass lamp", "examine"),
    ("x mira", "examine"),
    ("x her", "examine"),
    ("take lamp. drop it", "take"),
    ("drop lantern", "drop"),
    ("take red shell 16", "take"),
    ("look", "look"),
    ("n", "go"),
    ("i", "inventory"),
    ("x xyzzy", "error"),
    ("take fifth lamp", "error"),
)
"""Commands, and the action each must parse to first (``error``: a parse error)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """The median time to parse one command with ``size`` things in scope."""

    size: int
    command: str
    median_ms: float


def build(size: int) -> tuple[World, int, SymbolicParser]:
    """The world of ``size`` things around the player, the player, a parser."""
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    world = World()
    hall = world.spawn(Named("hall"), Room())
    me = world.spawn(Named("you"), Actor(), Player(), Location(hall))
    for i in range(size):
        name = f"{_ADJECTIVES[i % 16]} {_NOUN_LIST[(i // 16) % 16]} {i}"
        world.spawn(Named(name), Portable(), Location(hall))
    world.spawn(Named("brass lamp", ("lantern", "lamp")), Portable(), Location(hall))
    world.spawn(Named("Mira", proper=True), Actor(), Location(hall))
    return world, me, SymbolicParser(actions)


def measure(size: int, repeats: int) -> list[Figure]:
    """Parse every command ``repeats`` times with ``size`` things in scope.

    Raises:
        AssertionError: a command parsed to something it must not.
    """
    world, me, parser = build(size)
    view = world.view()
    parser.parse("x mira", view, me)  # "her" refers to Mira from here on
    figures = []
    for command, expected in COMMANDS:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = parser.parse(command, view, me)
            times.append((time.perf_counter() - started) * 1000)
        if expected == "error":
            assert isinstance(result, ParseError), (command, result)
        else:
            assert isinstance(result, Parsed), (command, result)
            assert result.proposals[0].action == expected, (command, result)
        figures.append(Figure(size, command, statistics.median(times)))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    """Print the median parse time of each command at each size."""
    options = argparse.ArgumentParser(prog="python -m benchmarks.parser")
    options.add_argument("--sizes", default="1000,10000", help="things in scope, comma-separated")
    options.add_argument("--repeats", type=int, default=200, help="parses per command")
    args = options.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.repeats)
        print(f"\n{size:,} things in scope (median of {args.repeats} parses)")
        for figure in figures:
            print(f"  {figure.command:<22} {figure.median_ms:7.3f} ms")
        worst = max(f.median_ms for f in figures)
        print(f"  worst command: {worst:.3f} ms (budget 1 ms)")


if __name__ == "__main__":
    main()
