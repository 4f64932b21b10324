"""Meta commands: about the game, not in it.

``save``, ``restore``, ``undo``, ``restart``, ``help``, ``score``, ``full
score``, ``notify``, ``hint``, ``transcript``, ``verbose``/``brief``/
``superbrief`` and ``quit`` never reach the world's rules: they work on the
save, read the state or change the session's preferences, and answer with
text for a reply that plays no turn. They live apart from the turn pipeline
(:mod:`fabula.session.session`) because they share nothing with it but the
session they act on; the pipeline calls in here at four points only:
:func:`answer_meta` for a meta command, :func:`answer_pending` before
parsing (a pending yes/no question), :func:`after_turn` for what follows a
played turn (score notice, the ending and the question after it) and
:func:`record` for the transcript. ``again`` and ``oops`` are the parser's.

Modules: :mod:`~.slots` (save, restore, undo), :mod:`~.scoring`,
:mod:`~.hints`, :mod:`~.restart`, :mod:`~.modes` (verbose, brief),
:mod:`~.transcript`, and :mod:`~.state` (what they remember).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.actions import action_info
from fabula.parsing import Meta
from fabula.session.meta import hints, modes, restart, scoring, slots
from fabula.session.meta.scoring import score_line
from fabula.session.meta.slots import slot_path
from fabula.session.meta.state import MetaState
from fabula.session.meta.transcript import Transcript, transcript_path

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = [
    "GAME_OVER",
    "MetaState",
    "after_turn",
    "answer_meta",
    "answer_pending",
    "closing",
    "game_over",
    "record",
    "score_line",
    "slot_path",
]

GAME_OVER = (
    "Would you like to RESTART, RESTORE a saved game, UNDO the last command, "
    "give the FULL score for that game or QUIT?"
)
"""Inform's question once the game has ended; each of those commands works."""


def answer_meta(session: Session, meta: Meta) -> str:
    """Carry out a meta command on ``session``; return what to tell the
    player (an unknown command is said to be unavailable)."""
    command, argument = meta.command, meta.argument
    session.meta.pending = None
    if command == "full" or (command == "score" and argument.startswith("full")):
        return scoring.full_score(session)
    handlers = {
        "help": lambda: _help(session),
        "score": lambda: score_line(session),
        "notify": lambda: scoring.notify(session, argument),
        "hint": lambda: hints.hint(session, argument),
        "undo": lambda: slots.undo(session),
        "save": lambda: slots.save(session, argument),
        "restore": lambda: slots.restore(session, argument),
        "restart": lambda: restart.ask(session),
        "transcript": lambda: _transcript(session, argument),
        "unscript": lambda: _transcript(session, "off"),
        "verbose": lambda: modes.set_mode(session, "verbose"),
        "brief": lambda: modes.set_mode(session, "brief"),
        "superbrief": lambda: modes.set_mode(session, "superbrief"),
        "quit": lambda: _quit(session),
    }
    handler = handlers.get(command)
    return handler() if handler is not None else f'"{command}" is not available here.'


def answer_pending(session: Session, text: str) -> str | None:
    """If a yes/no question is pending, the reply when ``text`` answers it;
    ``None`` when nothing was pending or ``text`` is a command to play."""
    if session.meta.pending is None:
        return None
    return restart.answer(session, text)


def after_turn(session: Session, points_before: int) -> list[str]:
    """What follows a played turn's narration: the score notice, and once
    the game has ended, its message, the score and the final question."""
    parts = [scoring.score_notice(session, points_before)]
    found = session.game.ending_message(session.view)
    if found is not None:
        ending, message = found
        default = "You have won" if ending == "won" else "You have lost"
        parts.append(f"*** {message or default} ***")
        parts.append(score_line(session))
        parts.append(GAME_OVER)
    return [part for part in parts if part]


def game_over(session: Session) -> str:
    """What a command to play gets once the game has ended, and what a
    finished save says when it is opened again."""
    found = session.game.ending_message(session.view)
    message = f"*** {found[1]} ***\n\n" if found is not None and found[1] else ""
    return f"The game is over.\n\n{message}{GAME_OVER}"


def record(session: Session, command: str, reply: str) -> None:
    """Add an input and its reply to the transcript, if SCRIPT is on (a
    transcript that cannot be written is closed; the game goes on)."""
    transcript = session.meta.transcript
    if transcript is None:
        return
    try:
        transcript.write(command, reply)
    except OSError:
        transcript.close()
        session.meta.transcript = None


def _transcript(session: Session, argument: str) -> str:
    """SCRIPT / SCRIPT ON starts the transcript, SCRIPT OFF (UNSCRIPT) ends it."""
    words = argument.split()
    current = session.meta.transcript
    if words and words[0] == "off":
        if current is None:
            return "There is no transcript to stop."
        current.close("End of transcript.")
        session.meta.transcript = None
        return f"End of transcript (it is in {current.path.name}, beside the save)."
    if words and words[0] != "on":
        return 'Say "transcript on" or "transcript off".'
    if current is not None:
        return f"A transcript is already being written, to {current.path.name}."
    path = transcript_path(session.save.path)
    try:
        session.meta.transcript = Transcript.open(path, session.game.title)
    except OSError as exc:
        return f"The transcript could not be started: {exc.strerror or exc}."
    return f"Start of a transcript of {session.game.title}, written to {path.name} beside the save."


def closing(session: Session) -> None:
    """The session is closing: end the transcript, if one is open."""
    if session.meta.transcript is not None:
        session.meta.transcript.close("End of transcript.")
        session.meta.transcript = None


def _quit(session: Session) -> str:
    closing(session)
    return "Goodbye. Your game is saved."


def _help(session: Session) -> str:
    lines = ["You can type commands such as:"]
    for name, action in sorted(session.game.actions.items()):
        info = action_info(action)
        verb = info.verbs[0] if info.verbs else name
        lines.append(f"  {verb:<12} {info.description}")
    lines.append("Directions: n, s, e, w, ne, nw, se, sw, up, down, in, out.")
    lines.append(
        "Also: again (g), oops WORD, undo, save [NAME], restore [NAME], restart, score, "
        "full score, notify, hint, transcript on/off, verbose, brief, superbrief, quit."
    )
    return "\n".join(lines)
