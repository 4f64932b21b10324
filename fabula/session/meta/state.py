"""What the meta commands remember between inputs: the player's
preferences and a question awaiting its answer.

None of it is game state. It lives on the :class:`~fabula.session.Session`
for as long as the game is being played, never in the world (so it is
neither journalled, undone nor part of the state digest) and never in the
save: a player's choice of BRIEF or NOTIFY OFF, like Inform's, lasts until
they quit, and a restored or restarted game keeps it. The visited rooms used
by BRIEF are read from the world where the rules record them
(``Room.visited``), together with the rooms this session has shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from fabula.session.meta.transcript import Transcript

__all__ = ["MetaState", "Mode"]

Mode = Literal["verbose", "brief", "superbrief"]
"""How rooms are described when the player arrives: VERBOSE always in full
(Inform 7's default), BRIEF in full on the first visit only, SUPERBRIEF never
in full (LOOK always describes the room in full)."""


@dataclass(slots=True)
class MetaState:
    """The meta commands' memory for one session.

    Attributes:
        notify: whether score changes are announced ("[Your score has gone
            up by 5 points.]").
        mode: the room description mode (:data:`Mode`).
        pending: the question awaiting a yes or no (``"restart"``), if any:
            the next input answers it.
        transcript: the open transcript, if SCRIPT is on.
        hints: per hint topic (by its place in the game's list), how many
            of its hints have been shown.
        shown_rooms: rooms this session has described in full.
    """

    notify: bool = True
    mode: Mode = "verbose"
    pending: str | None = None
    transcript: Transcript | None = None
    hints: dict[int, int] = field(default_factory=dict)
    shown_rooms: set[int] = field(default_factory=set)
