"""fabula, esper and tcod-ecs behind one small interface, each used the documented way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import esper
from tcod.ecs import Registry

from benchmarks.ecs.components import (
    DX,
    DY,
    MARK,
    STUN,
    Health,
    Marked,
    Position,
    Stunned,
    Velocity,
)
from fabula.ecs import World

# --- the libraries, each used the documented way ----------------------------------


def make_rows(n: int, position: type = Position, velocity: type = Velocity) -> list[tuple]:
    """Fresh component instances of the standard world, one tuple per entity."""
    return [
        (position(x=float(i), y=0.0), velocity(dx=DX, dy=DY))
        if i % 2 == 0
        else (position(x=float(i), y=0.0), velocity(dx=DX, dy=DY), Health(hp=100))
        for i in range(n)
    ]


class FabulaLibrary:
    """fabula's World."""

    name = "fabula"

    def __init__(self) -> None:
        self.world = World()

    def reset(self) -> None:
        self.world = World()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        spawn = self.world.spawn
        return [spawn(*row) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for _, (p, v) in self.world.query(position, velocity):
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        has, insert, remove = self.world.has, self.world.insert, self.world.remove
        for e in handles:
            if has(e, Marked):
                remove(e, Marked)
            else:
                insert(e, MARK)

    def lookup(self, handle: Any) -> tuple[int, bool]:
        found = self.world.entities_with[Health]
        return len(found), handle in found

    def churn(self, handles: Sequence[Any]) -> None:
        insert, remove = self.world.insert, self.world.remove
        for e in handles:
            insert(e, STUN)
        for e in handles:
            remove(e, Stunned)

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = self.world.get(handle, position, readonly=True)
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(self.world.entities_with[ctype])


class EsperLibrary:
    """esper's module-global world."""

    name = "esper"

    def __init__(self) -> None:
        esper.clear_database()

    def reset(self) -> None:
        esper.clear_database()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        create = esper.create_entity
        return [create(*row) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for _, (p, v) in esper.get_components(position, velocity):
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        has, add, remove = esper.has_component, esper.add_component, esper.remove_component
        for e in handles:
            if has(e, Marked):
                remove(e, Marked)
            else:
                add(e, MARK)

    def lookup(self, handle: Any) -> tuple[int, bool]:
        return len(esper.get_component(Health)), esper.has_component(handle, Health)

    def churn(self, handles: Sequence[Any]) -> None:
        add, remove = esper.add_component, esper.remove_component
        for e in handles:
            add(e, STUN)
        for e in handles:
            remove(e, Stunned)

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = esper.component_for_entity(handle, position)
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(esper.get_component(ctype))


class TcodLibrary:
    """A tcod-ecs Registry, components keyed by their type."""

    name = "tcod-ecs"

    def __init__(self) -> None:
        self.registry = Registry()

    def reset(self) -> None:
        self.registry = Registry()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        new = self.registry.new_entity
        return [new({type(c): c for c in row}) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for p, v in self.registry.Q[position, velocity]:
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        for e in handles:
            components = e.components
            if Marked in components:
                del components[Marked]
            else:
                components[Marked] = MARK

    def lookup(self, handle: Any) -> tuple[int, bool]:
        found = self.registry.Q.all_of(components=[Health]).get_entities()
        return len(found), handle in found

    def churn(self, handles: Sequence[Any]) -> None:
        for e in handles:
            e.components[Stunned] = STUN
        for e in handles:
            del e.components[Stunned]

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = handle.components[position]
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(self.registry.Q.all_of(components=[ctype]).get_entities())


ENGINES: dict[str, Callable[[], Any]] = {
    "fabula": FabulaLibrary,
    "esper": EsperLibrary,
    "tcod-ecs": TcodLibrary,
}
"""Library name -> adapter class. An adapter spawns rows of instances, ticks,
toggles ``Marked``, looks up ``Health``, churns ``Stunned``, reads a position
and counts entities with a type, each the way that library's docs show."""
