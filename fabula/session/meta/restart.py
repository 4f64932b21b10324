"""RESTART, with Inform's confirmation, and the answer to it.

A restart asks first ("Are you sure you want to restart? (y/n)"); the next
input answers it (:func:`answer`): yes restarts, no keeps playing, and
anything else is taken as no and played as the command it is. Once the game
has ended, RESTART needs no confirmation (Inform offers it in its final
question).

A restart starts a new game *in the same save*, from the game's files and
the save's seed, so the save's journal begins again at turn 0 and replay,
undo and recovery stay consistent with it. Nothing is lost: the game being
left is first copied to the save slot ``before-restart`` (RESTORE
BEFORE-RESTART brings it back), replacing the previous such copy. The
session's preferences (notify, brief, transcript) carry on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.errors import PersistenceError
from fabula.persistence import SaveFile
from fabula.session.meta.slots import rewound, slot_path

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = ["BACKUP", "QUESTION", "answer", "ask", "restart"]

QUESTION = "Are you sure you want to restart? (y/n)"
BACKUP = "before-restart"
"""The save slot the game left behind by a restart is kept in."""

_YES = frozenset({"y", "yes", "yeah", "yep", "sure", "ok", "okay"})
_NO = frozenset({"n", "no", "nope", "cancel"})


def ask(session: Session) -> str:
    """RESTART: ask first, unless the game is over already."""
    if session.ended is not None:
        return restart(session)
    session.meta.pending = "restart"
    return QUESTION


def answer(session: Session, text: str) -> str | None:
    """The answer to a pending question: the reply if ``text`` answered it,
    or ``None`` (the question dropped) if ``text`` is a command to play."""
    pending, session.meta.pending = session.meta.pending, None
    if pending != "restart":
        return None
    words = text.lower().strip(" .!").split()
    if words and words[0] in _YES:
        return restart(session)
    if words and words[0] in _NO:
        return "Then let's carry on."
    return None


def restart(session: Session) -> str:
    """Start the game again in the same save, the old one kept in a slot."""
    old = session.save
    backup = slot_path(session, BACKUP)
    try:
        if old.turn > 0:
            old.save_as(backup)
    except (PersistenceError, OSError) as exc:
        return f"Not restarted: the game could not be kept first ({exc})."
    path, seed, policy, durability = old.path, old.seed, old.policy, old.durability
    old.close()
    try:
        session.save = SaveFile.new(
            path, session.game, seed=seed, replace=True, policy=policy, durability=durability
        )
    except PersistenceError as exc:  # the old game is still in the slot
        session.save = SaveFile.open(path, session.game, policy=policy, durability=durability)
        return f"Not restarted: {exc}"
    session.meta.hints.clear()
    session.meta.shown_rooms.clear()
    f = session.game.files.game
    kept = ""
    if old.turn:
        kept = f" (The game you left is kept: RESTORE {BACKUP.upper()} brings it back.)"
    opening = "\n\n".join(p for p in (f.title.upper(), session.game.intro) if p)
    return rewound(session, f"Restarted.{kept}\n\n{opening}")
