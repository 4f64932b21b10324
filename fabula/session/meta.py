"""Meta commands: about the game, not in it.

``save``, ``restore``, ``undo``, ``help``, ``score`` and ``quit`` never reach
the world's rules: they work on the save (:meth:`~fabula.persistence.SaveFile.undo`,
:meth:`~fabula.persistence.SaveFile.save_as`,
:meth:`~fabula.persistence.SaveFile.restore_from`) or read the state, and
answer with text for a reply that plays no turn. They live
apart from the turn pipeline (:mod:`fabula.session.session`) because they
share nothing with it but the session they act on. ``again`` and ``oops``
are the parser's (they replay or correct a command, which then plays as
one).

After an undo or a restore the conversation is forgotten (the parser's
pronouns, ``again``, a pending question) and memory is brought back in line
with the save (:meth:`~fabula.narration.Brain.rewound`), whose notice, if
memory failed, ends the reply.

Save slots are files beside the save, named from the slot name reduced to
letters, digits, ``-`` and ``_`` (at most 40), so a name can never reach
another folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fabula.actions import action_info
from fabula.actions.standard import Score
from fabula.errors import PersistenceError
from fabula.parsing import Meta

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = ["answer_meta", "score_line", "slot_path"]


def answer_meta(session: Session, meta: Meta) -> str:
    """Carry out a meta command on ``session``; return what to tell the
    player (an unknown command is said to be unavailable)."""
    if meta.command == "help":
        return _help(session)
    if meta.command == "score":
        return score_line(session)
    if meta.command == "undo":
        return _undo(session)
    if meta.command == "save":
        return _save(session, meta.argument)
    if meta.command == "restore":
        return _restore(session, meta.argument)
    if meta.command == "quit":
        return "Goodbye. Your game is saved."
    return f'"{meta.command}" is not available here.'


def score_line(session: Session) -> str:
    """ "Your score is 5 out of 25, in 12 turns." """
    score = session.view.get(session.player, Score)
    return f"Your score is {score.points} out of {score.possible}, in {session.save.turn} turns."


def slot_path(session: Session, name: str) -> Path:
    """The file of save slot ``name``: beside the save, whatever the name
    (letters, digits, ``-`` and ``_`` only, at most 40 of them)."""
    words = "-".join(name.lower().split())
    slot = "".join(c for c in words if c.isascii() and (c.isalnum() or c in "-_"))
    return session.save.path.with_name(f"{session.game.id}-{slot[:40] or 'saved'}.save")


def _help(session: Session) -> str:
    lines = ["You can type commands such as:"]
    for name, action in sorted(session.game.actions.items()):
        info = action_info(action)
        verb = info.verbs[0] if info.verbs else name
        lines.append(f"  {verb:<12} {info.description}")
    lines.append("Directions: n, s, e, w, ne, nw, se, sw, up, down, in, out.")
    lines.append("Also: again (g), oops WORD, undo, save [NAME], restore [NAME], score, quit.")
    return "\n".join(lines)


def _undo(session: Session) -> str:
    from fabula.session.lines import line_turns  # the line is the unit of undo

    try:
        session.save.undo(line_turns(session.save))
    except PersistenceError as exc:
        return _cap(str(exc).split(": ", 1)[-1])
    return _rewound(session, "Undone.")


def _save(session: Session, name: str) -> str:
    target = slot_path(session, name)
    if target.resolve() == session.save.path.resolve():
        return "That is the game you are playing; it is saved after every turn."
    try:
        session.save.save_as(target)
    except (PersistenceError, OSError) as exc:
        return f"Not saved: {exc}"
    return f"Saved as {_slot_name(session, target)!r}."


def _restore(session: Session, name: str) -> str:
    source = slot_path(session, name)
    if not source.exists():
        return f"There is no save called {_slot_name(session, source)!r}."
    if source.resolve() == session.save.path.resolve():
        return "That is the game you are playing; nothing to restore."
    try:
        session.save = session.save.restore_from(source)
    except (PersistenceError, OSError) as exc:
        return f"Not restored: {exc}"
    return _rewound(session, "Restored.")


def _rewound(session: Session, done: str) -> str:
    """After an undo or a restore: the conversation forgotten, memory brought
    back in line with the save, and the reply (what was done, where the
    player is, and memory's notice if it failed)."""
    session.parser.reset()
    brain = session.brain
    notice = brain.rewound(session.save, session.narrator) if brain is not None else None
    text = f"{done}\n\n{session.narrator.describe_room(session.view, session.player)}"
    return f"{text}\n\n[{notice}]" if notice else text


def _slot_name(session: Session, path: Path) -> str:
    return path.stem.removeprefix(session.game.id + "-")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
