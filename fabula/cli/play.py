"""``fabula play GAME``: the game in a terminal.

At a terminal it reads commands with prompt_toolkit: line editing, history
kept beside the save, and tab completion of command words and of the things
in view. From a pipe or ``--script FILE`` it reads one command per line and
echoes each, so games can be demonstrated and tested non-interactively. The
game autosaves after every turn; at the prompt Ctrl-C clears the line (as
in a shell), and Ctrl-D or ``quit`` saves and leaves.

With a narrator model configured, its telling is shown as it streams, word
by word. ``--debug`` adds one dim line after each reply: the time each stage
of the turn took, and each model's tokens, latency and prompt version.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape

from fabula.ai import CircuitBreaker, ModelClient, ModelConfig, load_config
from fabula.cli.boundary import printable
from fabula.cli.stream import Wrapper
from fabula.content import ContentGame
from fabula.errors import ArgumentError, FabulaError
from fabula.narration import Brain, ModelNarrator, open_memory
from fabula.parsing import TieredParser
from fabula.prompts import PromptLibrary
from fabula.session import Session, clean_input, default_save_path

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
    debug: bool = False,
) -> int:
    """Play the game in ``game_dir``; return the exit status.

    Model settings come from ``config`` (or ``fabula.toml`` in the game
    folder), the environment and ``flags``; with a parser model configured,
    input the symbolic parser cannot read goes to it. Every model client and
    the memory opened for the game are closed when it ends, however it ends.
    """
    console = console or Console(highlight=False)
    with ExitStack() as opened:
        try:
            game = ContentGame.load(game_dir)
            default = Path(game_dir) / "fabula.toml"
            models = load_config(config or (default if default.is_file() else None), None, flags)
            save = save or default_save_path(game.id)
            if script is not None:
                _readable(script)
            parser, narrator, brain, notice = _roles(game, models, save, console, opened)
            session = Session.start(
                game, save, new=new, seed=seed, parser=parser, narrator_model=narrator,
                brain=brain,
            )  # fmt: skip
        except FabulaError as exc:  # what the player must fix; the rest is the boundary's
            console.print(
                f"[bold red]Cannot start the game:[/] {escape(printable(str(exc)))}", soft_wrap=True
            )
            return 2
        opened.callback(session.close)
        if notice:
            console.print(f"[dim]{escape(notice)}[/]")
        console.print(escape(printable(session.opening())))
        try:
            _play(session, console, script, debug)
        except (KeyboardInterrupt, EOFError):
            console.print("\nGoodbye. Your game is saved.")
    return 0


def _roles(
    game: ContentGame, models: ModelConfig, save: Path, console: Console, opened: ExitStack
) -> tuple[TieredParser | None, ModelNarrator | None, Brain | None, str | None]:
    """The model roles the settings ask for: the parser, the narrator and its
    brain (with memory, or a notice saying why there is none). What is opened
    is closed by ``opened``.

    Raises:
        PromptError: a prompt file of the game has problems.
    """
    # One library for both roles: the built-in prompts, then the game's own.
    prompts = PromptLibrary.load(game.files.prompts)
    parser = narrator = brain = None
    notice: str | None = None
    if models.parser.enabled:
        parser = TieredParser(
            game.actions,
            opened.enter_context(ModelClient("parser", models.parser)),
            CircuitBreaker("parser", models.parser.failures_to_open, models.parser.cooldown),
            prompt=prompts.get("parser", models.parser.prompt or None),
        )
    if models.narrator.enabled:
        narrator = ModelNarrator(
            opened.enter_context(ModelClient("narrator", models.narrator)),
            CircuitBreaker("narrator", models.narrator.failures_to_open, models.narrator.cooldown),
        )
        with console.status("Opening the game's memory…"):
            store, notice = open_memory(models.memory, game, save)
        brain = Brain(game, models, memory=store, prompts=prompts)
        opened.callback(brain.close)  # the session closes it too; closing twice is harmless
    return parser, narrator, brain, notice


def _play(session: Session, console: Console, script: Path | None, debug: bool) -> None:
    """Read commands and show the replies until the player quits or input ends."""
    interactive = script is None and sys.stdin.isatty()
    with session.save.flush_on_signals():
        for line in _lines(script, interactive, session):
            if not interactive:  # the echo: never a control character, never a wall
                console.print(f"\n[bold]> {escape(clean_input(line))}[/]")
            if session.narrator_model is not None:  # show the telling as it streams
                wrapper = Wrapper(_writer(console), console.width)
                reply = session.turn(line, emit=wrapper.feed)
                wrapper.finish()
            else:
                reply = session.turn(line)
                console.print(escape(printable(reply.text)))  # a game's text drives no terminal
            if debug:
                console.print(f"[dim]{escape(reply.trace.line())}[/]", soft_wrap=True)
            console.file.flush()  # a program driving us through a pipe sees each reply
            if reply.quit:
                break


def _writer(console: Console) -> Callable[[str], None]:
    """Write streamed text straight to the console's file, flushing each piece."""

    def write(text: str) -> None:
        console.file.write(text)
        console.file.flush()

    return write


def _lines(script: Path | None, interactive: bool, session: Session) -> Iterator[str]:
    if script is not None:
        yield from _script(script)
        return
    if not interactive:
        yield from _piped(sys.stdin)
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
        try:
            line = prompt.prompt("\n> ").strip()
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell
            continue
        if line:
            yield line


def _readable(script: Path) -> None:
    """Refuse a ``--script`` file that cannot be read, before the save is touched.

    Raises:
        ArgumentError: the file is missing or unreadable (the message names it).
    """
    try:
        with script.open("rb"):
            pass
    except OSError as exc:
        raise ArgumentError(
            f"{script}: the --script file cannot be read ({exc.strerror or exc}); check the path."
        ) from exc


def _script(script: Path) -> Iterator[str]:
    """The commands of a ``--script`` file: bytes that are not UTF-8 become
    U+FFFD, whatever the locale, so no file can stop the game with a
    decoding error."""
    data = script.read_bytes()
    for line in data.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            yield line.strip()


def _piped(stream: IO[str]) -> Iterator[str]:
    """Lines from a pipe, read as bytes and decoded as UTF-8 with undecodable
    bytes replaced (``sys.stdin`` decodes strictly under a UTF-8 locale). A
    stream without bytes underneath (a test's ``StringIO``) is read as text."""
    raw: IO[bytes] | None = getattr(stream, "buffer", None)
    lines: Iterable[str] = (
        (line.decode("utf-8", errors="replace") for line in raw) if raw is not None else stream
    )
    for line in lines:
        if line.strip():
            yield line.strip()
