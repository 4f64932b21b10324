"""A typed line played as Inform plays it: one command at a time.

A line may hold several commands ("take lantern. save foo. i", "w then e",
"open satchel, take flask"). Each is parsed only after the one before it has
run, so the scope, the pronouns and the room are those the player would see
if they typed the commands one by one; each that reaches the world is a turn
of its own, with its own account (each move shows its own room).

* A meta command (save, score, ...) works inside a line; ``undo``,
  ``restore`` and ``quit`` end it (what follows was typed for a game that is
  no longer there).
* A parser error or a question ends the line: what follows is not played,
  and the reply says so. A refused action is told and the line goes on, as
  in Inform.
* The end of the game ends the line.

``undo`` takes back a whole line, whatever it played (Inform's undo takes
back what the last input did): every turn after the first of a line is
journalled with ``models["line"] = "continued"`` (an explanation of the row;
replay never reads it), and :func:`line_turns` counts them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.parsing import Clarification, Meta, ParseError
from fabula.persistence import SaveFile
from fabula.session import meta
from fabula.session.meta import answer_meta
from fabula.session.reply import Reply

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = [
    "CONTINUED",
    "LINE_KEY",
    "MAX_COMMANDS",
    "NOT_PLAYED",
    "OVER",
    "line_turns",
    "play_line",
]

LINE_KEY = "line"
"""The journal row's ``models`` key that marks a turn as part of the line of
the turn before it."""

CONTINUED = "continued"

NOT_PLAYED = "(The rest of the line was not played.)"
"""Said when a parser error or a question ends a line early."""

OVER = 'The game is over. You can "undo", "restore" a save, or "quit".'

_ENDS_LINE = frozenset({"undo", "restore", "quit", "restart"})
"""Meta commands after which the rest of a line is not played."""

MAX_COMMANDS = 100
"""The most commands one line may hold (a walkthrough pasted whole fits; a
wall of "look. look. look." does not)."""

_LOOK_BACK = 200
"""The most journal rows one line is looked for in (a line of the longest
input could not play more turns than this)."""


def play_line(session: Session, text: str) -> Reply:
    """Play every command of ``text`` on ``session``, in order (see the module
    docstring); the reply holds everything shown, each command's part
    separated by a blank line."""
    commands = _split(session, text)
    if len(commands) > MAX_COMMANDS:
        session.put(f"That is too much for one line: at most {MAX_COMMANDS} commands at a time.")
        return Reply(session.shown, session.save.turn, trace=session.trace)
    first = session.save.turn
    ended: str | None = None
    quit = False
    for i, command in enumerate(commands):
        rest = i < len(commands) - 1
        with session.trace.stage("parse"):
            result = session.parser.parse(command, session.view, session.player)
        if result.model_use is not None:
            session.trace.roles["parser"] = result.model_use.journal()
            session.trace.uses["parser"] = result.model_use
        if result.notice:  # the parser model went away or came back: say so, once
            session.put(f"[{result.notice}]")
        if isinstance(result, Meta):
            session.put(answer_meta(session, result))
            if result.command in _ENDS_LINE:
                quit = result.command == "quit"
                break
            continue
        if isinstance(result, ParseError | Clarification):
            shown = result.message if isinstance(result, ParseError) else result.question
            session.put(shown)
            if rest:
                session.put(NOT_PLAYED)
            break
        if session.ended is not None:
            session.put(meta.game_over(session))
            break
        if not result.proposals:  # nothing to do: no turn passes
            session.put("I beg your pardon?")
            break
        typed = text if len(commands) == 1 else command
        ended = session.play(typed, result, continued=session.save.turn > first)
        if ended is not None:
            break
    return Reply(session.shown, session.save.turn, ended=ended, quit=quit, trace=session.trace)


def _split(session: Session, text: str) -> list[str]:
    split = getattr(session.parser, "split", None)
    commands = split(text) if split is not None else [text]
    return commands or [text]


def line_turns(save: SaveFile) -> int:
    """How many turns the last line played (at least 1): the last journal row
    and the rows before it that it continues.

    Raises:
        PersistenceError: the journal cannot be read.
    """
    if save.turn == 0:
        return 1
    records = save.records(max(0, save.turn - _LOOK_BACK))
    count = 1
    for record in reversed(records):
        if record.models.get(LINE_KEY) != CONTINUED:
            break
        count += 1
    return min(count, save.turn)
