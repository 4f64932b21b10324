"""``save``, ``restore`` and ``undo``: meta commands that work on the save.

They never reach the world's rules: they use
:meth:`~fabula.persistence.SaveFile.undo`,
:meth:`~fabula.persistence.SaveFile.save_as` and
:meth:`~fabula.persistence.SaveFile.restore_from`, and answer with text for
a reply that plays no turn.

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

from fabula.errors import PersistenceError

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = ["cap", "restore", "rewound", "save", "slot_name", "slot_path", "undo"]


def slot_path(session: Session, name: str) -> Path:
    """The file of save slot ``name``: beside the save, whatever the name
    (letters, digits, ``-`` and ``_`` only, at most 40 of them)."""
    words = "-".join(name.lower().split())
    slot = "".join(c for c in words if c.isascii() and (c.isalnum() or c in "-_"))
    return session.save.path.with_name(f"{session.game.id}-{slot[:40] or 'saved'}.save")


def slot_name(session: Session, path: Path) -> str:
    """The slot name a player types for ``path``."""
    return path.stem.removeprefix(session.game.id + "-")


def undo(session: Session) -> str:
    """Take back the last turn (also after the game has ended)."""
    try:
        from fabula.session.lines import line_turns  # the line is the unit of undo

        session.save.undo(line_turns(session.save))
    except PersistenceError as exc:
        return cap(str(exc).split(": ", 1)[-1])
    return rewound(session, "Undone.")


def save(session: Session, name: str) -> str:
    """Copy the game into slot ``name``."""
    target = slot_path(session, name)
    if target.resolve() == session.save.path.resolve():
        return "That is the game you are playing; it is saved after every turn."
    try:
        session.save.save_as(target)
    except (PersistenceError, OSError) as exc:
        return f"Not saved: {exc}"
    return f"Saved as {slot_name(session, target)!r}."


def restore(session: Session, name: str) -> str:
    """Replace the game with the one in slot ``name``."""
    source = slot_path(session, name)
    if not source.exists():
        return f"There is no save called {slot_name(session, source)!r}."
    if source.resolve() == session.save.path.resolve():
        return "That is the game you are playing; nothing to restore."
    try:
        session.save = session.save.restore_from(source)
    except (PersistenceError, OSError) as exc:
        return f"Not restored: {exc}"
    return rewound(session, "Restored.")


def rewound(session: Session, done: str) -> str:
    """After an undo, a restore or a restart: the conversation forgotten,
    memory brought back in line with the save, and the reply (what was done,
    where the player is, and memory's notice if it failed)."""
    session.parser.reset()
    brain = session.brain
    notice = brain.rewound(session.save, session.narrator) if brain is not None else None
    text = f"{done}\n\n{session.narrator.describe_room(session.view, session.player)}"
    return f"{text}\n\n[{notice}]" if notice else text


def cap(text: str) -> str:
    """``text`` with its first letter capitalised."""
    return text[:1].upper() + text[1:]
