"""Text that follows the world: which of an author's descriptions is true now.

A world file gives a thing one ``description`` and, optionally, variants by
state (``descriptions = { open = "...", "lit and held" = "..." }``), the same
for its room paragraph (``listing``/``listings``), and an ``initial``
appearance shown until the thing is first taken. Nothing is rewritten when
the world changes: the text is *chosen* each time it is read, from the state
the standard components already hold, so it can never go stale, and replay
and undo need nothing of their own.

The states (:data:`fabula.content.schema.STATES`), for a thing ``t``:

* ``open`` / ``closed``: ``t`` is openable and open / closed;
* ``locked`` / ``unlocked``: ``t`` has a lock, locked / not;
* ``lit`` / ``unlit``: ``t`` is a light source, lit / not;
* ``worn``: someone wears ``t``; ``held``: someone carries or wears it;
* ``dead`` / ``alive``: ``t`` has health, at zero / above it;
* ``visited`` / ``unvisited``: ``t`` is a room the player has / has not been
  in before the present stay (:class:`~fabula.content.components.Visits`);
* ``handled`` / ``unhandled``: ``t`` has / has not been taken yet;
* ``empty``: ``t`` holds nothing (a container or supporter).

A key may join states with `` and ``: ``"open and empty"``. The first key
that holds, in the order written, wins; none holding leaves the plain text.

The two reactions that keep ``handled`` and ``visited`` are :func:`mark_handled`
(on ``OnTake``) and :func:`count_visits` (on ``OnMove``); the game subscribes
them, so they run inside the action that caused them and are journalled with
it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fabula.actions.standard import (
    Container,
    Description,
    Health,
    LightSource,
    Location,
    Lockable,
    Openable,
    Player,
    Room,
    Supporter,
    condition_holds,
    contents,
)
from fabula.content.components import Appearance, Handled, Scenery, Unlisted, Visits
from fabula.ecs import World, WorldView
from fabula.events import OnMove, OnTake

__all__ = [
    "appearance_from",
    "count_visits",
    "current_description",
    "current_listing",
    "is_dead",
    "is_listed",
    "is_scenery",
    "mark_handled",
    "state_holds",
]


def _openable(world: WorldView, e: int) -> Openable | None:
    return world.try_get(e, Openable, readonly=True)  # type: ignore[no-any-return]


def _lock(world: WorldView, e: int) -> Lockable | None:
    return world.try_get(e, Lockable, readonly=True)  # type: ignore[no-any-return]


def _light(world: WorldView, e: int) -> LightSource | None:
    return world.try_get(e, LightSource, readonly=True)  # type: ignore[no-any-return]


def _how(world: WorldView, e: int) -> str | None:
    location = world.try_get(e, Location, readonly=True)
    return None if location is None else location.how


def _visits(world: WorldView, e: int) -> int:
    visits = world.try_get(e, Visits, readonly=True)
    return 0 if visits is None else visits.count


def is_dead(world: WorldView, entity: int) -> bool:
    """Whether ``entity`` has health and none left."""
    health = world.try_get(entity, Health, readonly=True)
    return health is not None and health.hp <= 0


def is_scenery(world: WorldView, entity: int) -> bool:
    """Whether ``entity`` is scenery (examinable, never listed or taken)."""
    return entity in world and world.has(entity, Scenery)


def is_listed(world: WorldView, entity: int) -> bool:
    """Whether a room description may list ``entity``: not scenery, and not
    a thing the room's text tells (``listed = false``) that was never taken."""
    if entity not in world or world.has(entity, Scenery):
        return False
    return not world.has(entity, Unlisted) or world.has(entity, Handled)


_TESTS: Mapping[str, Callable[[WorldView, int], bool]] = {
    "open": lambda w, e: (o := _openable(w, e)) is not None and o.open,
    "closed": lambda w, e: (o := _openable(w, e)) is not None and not o.open,
    "locked": lambda w, e: (k := _lock(w, e)) is not None and k.locked,
    "unlocked": lambda w, e: (k := _lock(w, e)) is not None and not k.locked,
    "lit": lambda w, e: (s := _light(w, e)) is not None and s.lit,
    "unlit": lambda w, e: (s := _light(w, e)) is not None and not s.lit,
    "worn": lambda w, e: _how(w, e) == "worn",
    "held": lambda w, e: _how(w, e) in ("held", "worn"),
    "dead": is_dead,
    "alive": lambda w, e: w.has(e, Health) and not is_dead(w, e),
    "visited": lambda w, e: w.has(e, Room) and _visits(w, e) > 1,
    "unvisited": lambda w, e: w.has(e, Room) and _visits(w, e) <= 1,
    "handled": lambda w, e: w.has(e, Handled),
    "unhandled": lambda w, e: not w.has(e, Handled),
    "empty": lambda w, e: (w.has(e, Container) or w.has(e, Supporter)) and not contents(w, e),
}


def state_holds(world: WorldView, entity: int, state: str) -> bool:
    """Whether every state named in ``state`` ("open", "open and empty")
    holds for ``entity``. An unknown state never holds (the loader refuses
    them in world files)."""
    for word in state.split(" and "):
        test = _TESTS.get(word.strip())
        if test is None or not test(world, entity):
            return False
    return True


def _first(world: WorldView, entity: int, variants: tuple[tuple[str, str], ...]) -> str | None:
    for state, text in variants:
        if "(" in state:  # an expression (schema.is_expression_key), judged by the world's judge
            if condition_holds(world, state):
                return text
        elif state_holds(world, entity, state):
            return text
    return None


def current_description(world: WorldView, entity: int) -> str | None:
    """What examining ``entity`` shows now: the first description variant
    whose state holds, else its plain description (``None`` if it has none).

    A dead creature whose author wrote no ``dead`` variant is not described
    busy and alive: it reads "<Name> is dead."
    """
    appearance = world.try_get(entity, Appearance, readonly=True)
    if appearance is not None:
        text = _first(world, entity, appearance.descriptions)
        if text is not None:
            return text
    if is_dead(world, entity) and not world.has(entity, Player):
        return None
    description = world.try_get(entity, Description, readonly=True)
    return None if description is None else description.text


def current_listing(world: WorldView, entity: int) -> str:
    """``entity``'s own paragraph in a room description now, or ``""`` (then
    it is listed plainly): its initial appearance while it has never been
    taken, else the first ``listings`` variant whose state holds, else its
    ``listing``. Scenery has none; a dead creature's living ``listing`` is
    never used."""
    if is_scenery(world, entity):
        return ""
    appearance = world.try_get(entity, Appearance, readonly=True)
    if appearance is not None:
        if appearance.initial and not world.has(entity, Handled):
            return appearance.initial
        text = _first(world, entity, appearance.listings)
        if text is not None:
            return text
    if is_dead(world, entity):
        return ""
    description = world.try_get(entity, Description, readonly=True)
    return "" if description is None else description.listing


def appearance_from(
    descriptions: Mapping[str, str],
    listings: Mapping[str, str] | None = None,
    initial: str = "",
    reflow: Callable[[str], str] = lambda text: text,
) -> Appearance | None:
    """The :class:`Appearance` a world file's tables ask for, or ``None`` if
    they ask for nothing (most things)."""
    listings = listings or {}
    if not descriptions and not listings and not initial:
        return None
    return Appearance(
        tuple((state, reflow(text)) for state, text in descriptions.items()),
        tuple((state, reflow(text)) for state, text in listings.items()),
        reflow(initial),
    )


def mark_handled(world: World) -> Callable[[OnTake], None]:
    """A reaction to ``OnTake``: the item taken is *handled* from now on, so
    its initial appearance gives way to a plain listing."""

    def handler(event: OnTake) -> None:
        if event.item in world and not world.has(event.item, Handled):
            world.insert(event.item, Handled())

    return handler


def count_visits(world: World) -> Callable[[OnMove], None]:
    """A reaction to ``OnMove``: count the player's arrivals in each room."""

    def handler(event: OnMove) -> None:
        if event.actor not in world or not world.has(event.actor, Player):
            return
        if event.to_room not in world:
            return
        visits = world.try_get(event.to_room, Visits)
        if visits is None:
            world.insert(event.to_room, Visits(1))
        else:
            visits.count += 1

    return handler
