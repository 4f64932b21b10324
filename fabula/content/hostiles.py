"""Hostile creatures attack: the one behaviour every game's creatures share,
run as a system each tick and played through the same rules as the
player's attacks (so it is refused, journalled and replayed like them)."""

from __future__ import annotations

from fabula.actions import Rules
from fabula.actions.standard import Health, Hostile, Player, room_of
from fabula.systems import TickContext, system

__all__ = ["hostiles_attack"]


def hostiles_attack(rules: Rules) -> object:
    """A system: each hostile creature sharing a room with the player attacks
    them once per tick, through the same rules as the player's attacks."""

    @system(name="hostiles_attack")
    def attack(ctx: TickContext) -> None:
        world = ctx.world
        players = sorted(world.entities_with[Player])
        for creature in sorted(world.entities_with[Hostile]):
            if world.get(creature, Health, readonly=True).hp <= 0:
                continue
            for player in players:
                if world.get(player, Health, readonly=True).hp <= 0:
                    continue
                if room_of(world, creature) == room_of(world, player):
                    rules.attempt(
                        {"action": "attack", "actor": creature, "params": {"target": player},
                         "source": "npc"}
                    )  # fmt: skip

    return attack
