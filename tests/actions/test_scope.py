"""Scope: what an actor sees, reaches and carries, by the standard rules."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fabula.actions.standard import (
    Actor,
    Container,
    Door,
    Exits,
    LightSource,
    Location,
    Named,
    Openable,
    Player,
    Room,
    Supporter,
    inventory,
    is_lit,
    reachable,
    room_of,
    visible,
)
from fabula.ecs import World


@dataclass
class Cellar:
    """A hall, a dark cellar below it, and their things."""

    world: World
    hall: int
    cellar: int
    door: int
    player: int
    lamp: int
    chest: int
    coin: int
    jar: int
    bead: int
    table: int
    cup: int
    troll: int
    axe: int
    rat: int


@pytest.fixture
def cellar() -> Cellar:
    w = World(1)
    hall = w.spawn(Named("hall"), Room())
    cellar = w.spawn(Named("cellar"), Room(dark=True))
    door = w.spawn(Named("trapdoor"), Door((hall, cellar)), Openable(open=True))
    w.insert(hall, Exits({"down": door}))
    w.insert(cellar, Exits({"up": door}))
    player = w.spawn(Named("you"), Player(), Actor(), Location(hall))
    lamp = w.spawn(Named("brass lamp"), LightSource(lit=False), Location(hall))
    chest = w.spawn(Named("chest"), Container(), Openable(open=False), Location(hall))
    coin = w.spawn(Named("gold coin"), Location(chest))
    jar = w.spawn(Named("glass jar"), Container(transparent=True), Openable(), Location(hall))
    bead = w.spawn(Named("bead"), Location(jar))
    table = w.spawn(Named("table"), Supporter(), Location(hall))
    cup = w.spawn(Named("cup"), Location(table, "on"))
    troll = w.spawn(Named("troll"), Actor(), Location(hall))
    axe = w.spawn(Named("axe"), Location(troll, "held"))
    rat = w.spawn(Named("rat"), Actor(), Location(cellar))
    return Cellar(
        w, hall, cellar, door, player, lamp, chest, coin, jar, bead, table, cup, troll, axe, rat
    )


def test_the_room_is_found_through_holders(cellar: Cellar) -> None:
    c = cellar
    assert room_of(c.world, c.player) == c.hall
    assert room_of(c.world, c.coin) == c.hall  # in the chest, in the hall
    assert room_of(c.world, c.hall) == c.hall
    assert room_of(c.world, c.door) is None  # doors are between rooms


def test_a_lit_room_shows_everything_but_closed_opaque_contents(cellar: Cellar) -> None:
    c = cellar
    seen = visible(c.world, c.player)
    assert {c.lamp, c.chest, c.jar, c.bead, c.table, c.cup, c.troll, c.axe, c.door} <= seen
    assert c.coin not in seen  # in the closed chest
    assert c.player not in seen
    assert c.rat not in seen  # another room


def test_reach_stops_at_closed_containers_and_other_actors(cellar: Cellar) -> None:
    c = cellar
    touch = reachable(c.world, c.player)
    assert {c.lamp, c.chest, c.jar, c.table, c.cup, c.troll, c.door} <= touch
    assert c.bead not in touch  # seen through the closed glass jar
    assert c.axe not in touch  # the troll holds it
    assert c.coin not in touch


def test_opening_a_container_brings_its_contents_into_scope(cellar: Cellar) -> None:
    c = cellar
    c.world.get(c.chest, Openable).open = True
    assert c.coin in visible(c.world, c.player)
    assert c.coin in reachable(c.world, c.player)


def test_a_dark_room_shows_only_what_is_carried_until_a_light_is_lit(cellar: Cellar) -> None:
    c = cellar
    w = c.world
    w.insert(c.lamp, Location(c.player, "held"))
    w.insert(c.player, Location(c.cellar))
    assert not is_lit(w, c.cellar, c.player)
    assert visible(w, c.player) == {c.lamp}
    assert reachable(w, c.player) == {c.lamp}
    w.get(c.lamp, LightSource).lit = True
    assert is_lit(w, c.cellar, c.player)
    assert {c.rat, c.door, c.lamp} <= visible(w, c.player)


def test_a_lit_light_lying_in_a_dark_room_lights_it_unless_shut_away(cellar: Cellar) -> None:
    c = cellar
    w = c.world
    w.get(c.lamp, LightSource).lit = True
    w.insert(c.lamp, Location(c.cellar))
    assert is_lit(w, c.cellar)
    w.insert(c.lamp, Location(c.chest))  # the closed chest is still in the hall
    w.insert(c.chest, Location(c.cellar))
    assert not is_lit(w, c.cellar)


def test_inventory_is_what_the_actor_carries(cellar: Cellar) -> None:
    c = cellar
    assert inventory(c.world, c.player) == frozenset()
    c.world.insert(c.cup, Location(c.player, "held"))
    assert inventory(c.world, c.player) == {c.cup}
    assert inventory(c.world, c.troll) == {c.axe}


def test_a_holder_cycle_is_nowhere_not_a_hang(cellar: Cellar) -> None:
    c = cellar
    w = c.world
    w.insert(c.chest, Location(c.jar))
    w.insert(c.jar, Location(c.chest))
    assert room_of(w, c.coin) is None


def test_the_auto_loader_finds_every_standard_component() -> None:
    from fabula.actions.standard import components
    from fabula.ecs import ComponentRegistry

    registry = ComponentRegistry()
    found = registry.discover("fabula.actions.standard.components")
    exported = (getattr(components, n) for n in components.__all__)
    classes = {c for c in exported if isinstance(c, type)}
    assert set(found) == classes
    assert registry.get("location") is Location
    assert registry.validate("named", {"name": "brass lamp", "aliases": ["lamp"]}) == Named(
        "brass lamp", ("lamp",)
    )
