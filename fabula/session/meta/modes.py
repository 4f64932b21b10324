"""VERBOSE, BRIEF and SUPERBRIEF: how a room is described on arrival.

The mode is the player's preference, kept in the session
(:class:`~fabula.session.meta.state.MetaState`), not in the world or the
save: it changes what is *shown*, never what happened. The narrator's plain
account of a turn (which memory keeps and rebuilds by replay) is always the
full one; :func:`abridge` leaves the room's description paragraph out of the
text shown, after a move into a room already seen (BRIEF) or into any room
(SUPERBRIEF). The room's name, what is in it and its exits stay. LOOK always
describes in full, as in Inform.

A model narrator's retelling is shown as it streams, so the mode shapes only
the plain account (the offline game).

A room counts as seen if it is the start room, if the rules marked it
visited (``Room.visited``) before the turn, or if this session has described
it in full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.actions.standard import Description, Room, room_of

if TYPE_CHECKING:
    from fabula.session.meta.state import Mode
    from fabula.session.session import Session

__all__ = ["MESSAGES", "abridge", "set_mode", "visited"]

MESSAGES: dict[str, str] = {
    "verbose": 'Fabula is now in its "verbose" mode, which always gives long descriptions '
    "of locations (even if you've been there before).",
    "brief": 'Fabula is now in its "brief" printing mode, which gives long descriptions '
    "of places never before visited and short descriptions otherwise.",
    "superbrief": 'Fabula is now in its "superbrief" mode, which always gives short '
    "descriptions of locations (even if you haven't been there before).",
}
"""What each mode says when chosen (Inform's wording)."""


def set_mode(session: Session, mode: Mode) -> str:
    """VERBOSE, BRIEF or SUPERBRIEF."""
    session.meta.mode = mode
    return MESSAGES[mode]


def visited(session: Session) -> frozenset[int]:
    """The rooms seen so far: the start room (the opening describes it),
    those marked visited in the world, and those this session has shown in
    full (read before a turn is played)."""
    view = session.view
    marked = {r for r in view.entities_with[Room] if view.get(r, Room, readonly=True).visited}
    start = session.game.ids(view).get(session.game.files.game.start)
    if start is not None:
        marked.add(start)
    return frozenset(marked | session.meta.shown_rooms)


def abridge(session: Session, text: str, before: int | None, seen: frozenset[int]) -> str:
    """``text`` (a turn's account) as the mode shows it: if the player moved
    from room ``before`` into a room in ``seen`` (BRIEF) or into any room
    (SUPERBRIEF), without its description paragraph. Rooms described in
    full are remembered as seen."""
    view, player = session.view, session.player
    room = room_of(view, player)
    if room is None or room == before:
        return text
    mode = session.meta.mode
    if mode == "verbose" or (mode == "brief" and room not in seen):
        session.meta.shown_rooms.add(room)
        return text
    described = view.try_get(room, Description, readonly=True)
    if described is None or not described.text:
        return text
    return text.replace("\n" + described.text, "", 1)
