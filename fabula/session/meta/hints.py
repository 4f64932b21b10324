"""HINT: the game's hint topics (``hints.toml``), one more hint each time.

Only the topics that fit the moment are offered: a topic's ``when`` must
hold and its ``until`` must not (:func:`~fabula.content.holds`, the same
judge as the endings), so a player who has the key is not offered hints
about the crab. HINT lists them, numbered; HINT 2 (or HINT CRAB) gives the
next hint of that topic, with the ones already seen; with one topic
offered, HINT goes straight to it. Hints cost nothing and change nothing
in the world; how far each topic has been read is session state
(:class:`~fabula.session.meta.state.MetaState`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.content import HintSpec, holds

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = ["hint", "offered"]


def offered(session: Session) -> list[tuple[int, HintSpec]]:
    """The topics that fit the moment, with their place in the game's list."""
    view, player = session.view, session.player
    ids = session.game.ids(view)
    out = []
    for number, spec in enumerate(session.game.files.hints):
        if spec.when is not None and not holds(view, spec.when, ids, player):
            continue
        if any(holds(view, c, ids, player) for c in spec.until):
            continue
        out.append((number, spec))
    return out


def hint(session: Session, argument: str) -> str:
    """HINT, HINT <number>, HINT <words of a topic>."""
    if not session.game.files.hints:
        return "Sorry, this game has no hints."
    if session.ended is not None:
        return "The game is over; there is nothing left to hint at."
    topics = offered(session)
    if not topics:
        return "There is nothing you need a hint for just now. Look around, and try things."
    chosen = _choose(topics, argument)
    if chosen is None:
        if argument.strip():
            return f'There is no hint about "{argument}" just now.\n\n{_menu(topics)}'
        return _menu(topics)
    number, spec = chosen
    seen = min(session.meta.hints.get(number, 0) + 1, len(spec.hints))
    session.meta.hints[number] = seen
    lines = [spec.topic]
    lines.extend(f"  ({i}/{len(spec.hints)}) {text}" for i, text in enumerate(spec.hints[:seen], 1))
    if seen < len(spec.hints):
        place = [n for n, _ in topics].index(number) + 1
        again = "HINT" if len(topics) == 1 else f"HINT {place}"
        lines.append(f"For another, type {again} again.")
    else:
        lines.append("That is the last hint for this.")
    return "\n".join(line for line in lines if line)


def _choose(topics: list[tuple[int, HintSpec]], argument: str) -> tuple[int, HintSpec] | None:
    words = argument.lower().split()
    if not words:
        return topics[0] if len(topics) == 1 else None
    if words[0].isdigit():
        place = int(words[0])
        return topics[place - 1] if 1 <= place <= len(topics) else None
    for topic in topics:
        asked = set(topic[1].topic.lower().replace("?", " ").split())
        if all(word in asked for word in words):
            return topic
    return None


def _menu(topics: list[tuple[int, HintSpec]]) -> str:
    lines = ["Hints for where you are stuck:"]
    lines.extend(f"  {place}. {spec.topic}" for place, (_, spec) in enumerate(topics, 1))
    lines.append("Type HINT and a number (HINT 1) for a hint; each time, you get one more.")
    return "\n".join(lines)
