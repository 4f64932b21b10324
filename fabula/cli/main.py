"""Argument parsing and dispatch for the ``fabula`` command.

Each subcommand lives in its own module; this one only wires them up, so
``fabula --help`` is the map of what the engine can do from a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fabula import __version__
from fabula.cli.boundary import guarded

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``fabula`` argument parser with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="fabula",
        description="fabula: a neurosymbolic engine for AI-narrated text games.",
    )
    parser.add_argument("--version", action="version", version=f"fabula {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sim = commands.add_parser(
        "sim",
        help="run a world simulation and report its speed",
        description="Spawn a world of moving bodies and run its systems for a number of ticks.",
    )
    sim.add_argument("--entities", type=_count, default=200_000, help="bodies to simulate")
    sim.add_argument("--ticks", type=_count, default=200, help="ticks to run")
    sim.add_argument("--seed", type=int, default=7, help="seed of the world's RNG")

    play = commands.add_parser(
        "play",
        help="play a game (without GAME: the demo, The Light at Gull's End)",
        description="Play a game folder in the terminal. It autosaves after every turn.",
    )
    play.add_argument(
        "game", type=Path, nargs="?", help="the game folder (with game.toml); default: the demo"
    )
    play.add_argument("--save", type=Path, help="the save file (default: one per game)")
    play.add_argument("--new", action="store_true", help="start over, replacing the save")
    play.add_argument("--seed", type=int, help="seed of a new game's randomness")
    play.add_argument("--script", type=Path, help="read commands from FILE, one per line")
    play.add_argument(
        "--config", type=Path, help="model settings (TOML with [parser] and [narrator])"
    )
    play.add_argument("--parser-model", help="the parser model's name (enables the model tier)")
    play.add_argument("--parser-url", help="the parser model's OpenAI-compatible endpoint")
    play.add_argument(
        "--narrator-model", help="the narrator model's name (retells each turn in the game's voice)"
    )
    play.add_argument("--narrator-url", help="the narrator model's OpenAI-compatible endpoint")
    play.add_argument(
        "--debug",
        action="store_true",
        help="after each reply, show where the turn's time and tokens went",
    )

    tour = commands.add_parser(
        "tour",
        help="a guided tour of the world engine (ECS, indexes, a big simulation)",
        description="Show what the world engine does, step by step.",
    )
    tour.add_argument("--seed", type=int, default=7, help="seed of the world's RNG")

    new = commands.add_parser(
        "new",
        help="create a small playable game to start from",
        description="Write a new game folder: game.toml, world files, and empty folders for "
        "actions, components, templates and lore.",
    )
    new.add_argument("name", type=Path, help="the new game's folder")

    validate = commands.add_parser(
        "validate",
        help="check a game's files and report every problem at once",
        description="Load a game folder, check every file and reference, and list all problems.",
    )
    validate.add_argument("game", type=Path, help="the game folder (with game.toml)")

    replay = commands.add_parser(
        "replay",
        help="check that a save's journal reproduces its state",
        description=(
            "Rebuild the save's game from its seed, replay every journalled turn through the "
            "game's rules (no model is asked anything) and compare with the stored state. "
            "Exit status: 0 reproduced, 1 diverged, 2 could not be checked."
        ),
    )
    replay.add_argument("save", type=Path, help="the save file")
    replay.add_argument(
        "--game",
        help="the game, if it is not installed: a game folder or package.module:attribute "
        "(default: the installed game with the id the save records)",
    )
    replay.add_argument(
        "--recover-to",
        type=Path,
        metavar="NEW",
        help="rebuild a damaged save into the new file NEW from the journal it still holds "
        "(the damaged save is not changed)",
    )
    return parser


def _count(text: str) -> int:
    """A whole number of at least zero, for argparse (which reports the rest)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fabula`` command; return its exit status.

    Every command runs inside :func:`~fabula.cli.boundary.guarded`: an error
    fabula reports is one message and exit status 2, anything unexpected a
    crash report and 70, Ctrl-C 130; never a traceback on the screen.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    given = list(sys.argv[1:] if argv is None else argv)
    return guarded(args.command, lambda: _dispatch(args), given)


def _dispatch(args: argparse.Namespace) -> int:
    """Run the command ``args`` names."""
    if args.command == "sim":
        from fabula.cli.sim import run_simulation

        return run_simulation(entities=args.entities, ticks=args.ticks, seed=args.seed)
    if args.command == "play":
        from fabula.cli.play import run_play
        from fabula.games import DEMO

        flags = {
            "parser": {"model": args.parser_model, "base_url": args.parser_url},
            "narrator": {"model": args.narrator_model, "base_url": args.narrator_url},
        }
        return run_play(
            args.game or DEMO,
            save=args.save,
            new=args.new,
            seed=args.seed,
            script=args.script,
            config=args.config,
            flags=flags,
            debug=args.debug,
        )
    if args.command == "tour":
        from fabula.cli.tour import run_tour

        return run_tour(seed=args.seed)
    if args.command == "new":
        from fabula.content import scaffold

        folder = scaffold(args.name)
        print(f"Created {folder}. Play it with: fabula play {folder}")
        print(f"Check it after each change with: fabula validate {folder}")
        return 0
    if args.command == "validate":
        from fabula.cli.validate import run_validate

        return run_validate(args.game)
    if args.command == "replay":
        from fabula.cli.replay import run_replay

        return run_replay(args.save, args.game, recover_to=args.recover_to)
    raise AssertionError(f"no handler for the command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
