"""Scope asked thing by thing agrees with scope computed whole, everywhere
the demo's walkthrough goes (dark rooms, closed and open containers, things
held by others, doors), and in a world whose first entity is the room."""

from __future__ import annotations

from pathlib import Path

from fabula.actions.standard import Actor, Door, Exits, Location, Named, Player, Room
from fabula.ecs import World, WorldView
from fabula.games import demo, walkthrough
from fabula.parsing.scope import Scope
from fabula.session import Session


def agrees(world: WorldView, actor: int) -> None:
    asked = Scope(world, actor)
    everything = set().union(*(world.entities_with[t] for t in (Named, Location, Door)))
    one_by_one = {e for e in everything if e in asked}
    assert one_by_one == Scope(world, actor).whole()


def test_scope_agrees_at_every_step_of_the_walkthrough(tmp_path: Path) -> None:
    session = Session.start(demo(), tmp_path / "scope.save", new=True)
    try:
        agrees(session.view, session.player)
        for command in walkthrough():
            session.turn(command)
            agrees(session.view, session.player)
    finally:
        session.close()


def test_a_door_of_the_first_room_made_is_in_scope() -> None:
    world = World()
    hall = world.spawn(Named("hall"), Room())  # entity 0: a room id that is falsy
    cellar = world.spawn(Named("cellar"), Room())
    door = world.spawn(Named("oak door"), Door((hall, cellar)))
    world.insert(hall, Exits({"down": door}))
    me = world.spawn(Named("you"), Player(), Actor(), Location(hall))
    assert hall == 0
    assert door in Scope(world, me)
    agrees(world, me)
