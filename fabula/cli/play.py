"""``fabula play GAME``: the game in a terminal.

At a terminal it reads commands with prompt_toolkit: line editing, history
kept beside the save, and tab completion of command words and of the things
in view. From a pipe or ``--script FILE`` it reads one command per line and
echoes each, so games can be demonstrated and tested non-interactively. The
game autosaves after every turn; Ctrl-C or Ctrl-D saves and leaves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from fabula.ai import ChatClient, CircuitBreaker, TieredParser, load_config
from fabula.content import ContentGame
from fabula.errors import ConfigError, ContentError, PersistenceError
from fabula.session import Session

__all__ = ["run_play"]


def run_play(
    game_dir: Path,
    *,
    save: Path | None = None,
    new: bool = False,
    seed: int | None = None,
    script: Path | None = None,
    config: Path | None = None,
    flags: dict[str, dict[str, object]] | None = None,
    console: Console | None = None,
) -> int:
    """Play the game in ``game_dir``; return the exit status.

    Model settings come from ``config`` (or ``fabula.toml`` in the game
    folder), the environment and ``flags``; with a parser model configured,
    input the symbolic parser cannot read goes to it.
    """
    console = console or Console(highlight=False)
    try:
        game = ContentGame.load(game_dir)
        default = Path(game_dir) / "fabula.toml"
        models = load_config(config or (default if default.is_file() else None), None, flags)
        parser = None
        if models.parser.enabled:
            parser = TieredParser(
                game.actions,
                ChatClient("parser", models.parser),
                CircuitBreaker("parser", models.parser.failures_to_open, models.parser.cooldown),
            )
        session = Session.start(game, save, new=new, seed=seed, parser=parser)
    except (ContentError, PersistenceError, ConfigError) as exc:
        console.print(f"[bold red]Cannot start the game:[/] {escape(str(exc))}")
        return 2
    interactive = script is None and sys.stdin.isatty()
    console.print(escape(session.opening()))
    try:
        with session.save.flush_on_signals():
            for line in _lines(script, interactive, session):
                if not interactive:
                    console.print(f"\n[bold]> {escape(line)}[/]")
                reply = session.turn(line)
                console.print(escape(reply.text))
                console.file.flush()  # a program driving us through a pipe sees each reply
                if reply.quit:
                    break
    except (KeyboardInterrupt, EOFError):
        console.print("\nGoodbye. Your game is saved.")
    finally:
        if not session.save.closed:
            session.close()
    return 0


def _lines(script: Path | None, interactive: bool, session: Session) -> Iterator[str]:
    if script is not None:
        yield from (line.strip() for line in script.read_text().splitlines() if line.strip())
        return
    if not interactive:
        yield from (line.strip() for line in sys.stdin if line.strip())
        return
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from fabula.cli.completion import GameCompleter

    history = session.save.path.with_suffix(".history")
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(history)),
        completer=GameCompleter(session),
        complete_while_typing=False,
    )
    while True:
        line = prompt.prompt("\n> ").strip()
        if line:
            yield line
