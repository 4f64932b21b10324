"""One game being played: the turn pipeline from the player's text to the
narration, with autosave, undo and save slots.

:class:`Session` plays the turns (:mod:`fabula.session.session`); each input
gets a :class:`Reply` with its :class:`Trace` (:mod:`fabula.session.reply`);
the meta commands live in :mod:`fabula.session.meta`. :class:`Parser` and
:class:`Narrator` are what the session asks of the parser and of the
narrator that tells each turn plainly.
"""

from fabula.session.reply import Reply, Trace
from fabula.session.session import (
    MAX_INPUT,
    Narrator,
    Parser,
    Session,
    clean_input,
    default_save_path,
)

__all__ = [
    "MAX_INPUT",
    "Narrator",
    "Parser",
    "Reply",
    "Session",
    "Trace",
    "clean_input",
    "default_save_path",
]
