"""``fabula tour``: a guided tour of the world engine.

It shows what the engine does underneath a game: a small world of rooms and
things held in the ECS, the field index answering "what is here" as things
move, stale handles caught, and a simulation of many bodies.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from fabula.cli.sim import run_simulation
from fabula.ecs import World, component
from fabula.errors import DespawnedEntityError

__all__ = ["run_tour"]


@component
class Named:
    """What a thing is called, and how it looks."""

    name: str
    description: str = ""


@component
class Located:
    """Which room (an entity) a thing is in."""

    room: int


@component
class Room:
    """Marks an entity as a place."""

    title: str


def _describe(world: World, room: int) -> str:
    here = world.index(Located, "room")[room]
    things = sorted(world.get(e, Named, readonly=True).name for e in here)
    title = world.get(room, Room, readonly=True).title
    listing = ", ".join(things) if things else "nothing"
    return f"[bold]{title}[/bold]: {listing}"


def run_tour(seed: int, console: Console | None = None) -> int:
    """Walk through a tiny world, then run a short simulation."""
    console = console or Console()
    console.print(
        Panel.fit(
            "This is the world engine underneath every game. To play the bundled "
            "adventure instead, run: fabula play",
            title="fabula",
        )
    )
    world = World(seed=seed)
    hall = world.spawn(Room("The Hall"), Named("hall"))
    cellar = world.spawn(Room("The Cellar"), Named("cellar"))
    lamp = world.spawn(Named("brass lamp", "A dented brass lamp."), Located(hall))
    rope = world.spawn(Named("rope", "Twenty feet of rope."), Located(hall))
    world.spawn(Named("barrel", "A barrel of something sour."), Located(cellar))

    console.print("\n[dim]Rooms and what the field index says is in them:[/dim]")
    for room in (hall, cellar):
        console.print("  " + _describe(world, room))

    console.print("\n[dim]The lamp is carried down to the cellar (one component written):[/dim]")
    world.get(lamp, Located).room = cellar
    for room in (hall, cellar):
        console.print("  " + _describe(world, room))

    console.print("\n[dim]The rope is destroyed; its old handle is now stale:[/dim]")
    world.despawn(rope)
    world.spawn(Named("candle"), Located(hall))  # may reuse the rope's slot
    try:
        world.get(rope, Named)
    except DespawnedEntityError as exc:
        console.print(f"  [yellow]{exc}[/yellow]")
    console.print("  " + _describe(world, hall))

    table = Table(title="\nThe world", title_justify="left")
    table.add_column("entities", justify="right")
    table.add_column("archetypes", justify="right")
    table.add_column("things with a location", justify="right")
    located = len(world.entities_with[Located])
    table.add_row(str(len(world)), str(len(world.archetypes)), str(located))
    console.print(table)

    console.print("\n[dim]And a simulation of many bodies on the same engine:[/dim]")
    return run_simulation(entities=100_000, ticks=100, seed=seed, console=console)
