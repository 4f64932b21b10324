"""Warnings about a sound game that a player could still never finish as
written: rooms no exit leads to from the start, and things that lie in them.

They are warnings, not errors (``fabula validate`` prints them and still
calls the game sound): a game's own Python may move the player somewhere
no exit leads, and a room may be reached by a rule.
"""

from __future__ import annotations

from collections import deque

from fabula.content.loader import GameFiles
from fabula.content.schema import ExitSpec

__all__ = ["reachable_rooms", "unreachable"]


def reachable_rooms(files: GameFiles) -> set[str]:
    """Every room some chain of exits leads to from the start room (an exit
    with a condition counts: it may open; one that only refuses does not)."""
    seen = {files.game.start}
    queue = deque([files.game.start])
    while queue:
        room = files.rooms.get(queue.popleft())
        if room is None:
            continue
        for exit_ in room.exits.values():
            target = exit_.to if isinstance(exit_, ExitSpec) else exit_
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _room_of(files: GameFiles, location: str, depth: int = 0) -> str | None:
    holder = location.partition(":")[2]
    if not holder:
        return location
    if holder == "player":
        return files.game.start
    if depth > 64:
        return None
    if holder in files.npcs:
        return files.npcs[holder].location
    item = files.items.get(holder)
    return None if item is None else _room_of(files, item.location, depth + 1)


def unreachable(files: GameFiles) -> list[tuple[str, str, str]]:
    """``(file, field, warning)`` for each room no exit leads to from the
    start, and each item or person that is in one."""
    reached = reachable_rooms(files)
    found: list[tuple[str, str, str]] = []
    for ident in sorted(set(files.rooms) - reached):
        found.append(
            (files.origin.get(ident, "?"), f"rooms.{ident}",
             f"no exit leads to {ident!r} from the start room {files.game.start!r}")
        )  # fmt: skip
    for kind, things in (("items", files.items), ("npcs", files.npcs)):
        for ident in sorted(things):
            location = things[ident].location
            room = _room_of(files, location)
            if room is not None and room in files.rooms and room not in reached:
                found.append(
                    (files.origin.get(ident, "?"), f"{kind}.{ident}.location",
                     f"{ident!r} is in {room!r}, which no exit leads to, so nothing can reach it")
                )  # fmt: skip
    return found
