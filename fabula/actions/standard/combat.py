"""Fighting: ``attack X (with Y)``, and what happens when something dies.

Damage is ``weapon.damage + roll(0..weapon.spread)``, where the weapon is
the one named, else the best weapon to hand (:func:`best_weapon`: a weapon
held, or the attacker's own :class:`Weapon`, claws or a brawler's fists,
whichever hits harder; "kill crab" while holding the gaff strikes with the
gaff), else bare hands (1 + a roll of 0..1); less the ``protection`` of
every :class:`Armour` the target wears, never below zero. The roll comes
from ``world.rng`` in the executor, never in the validator, so replay
reproduces every blow.

When a target's health reaches zero the attack emits ``OnDeath``;
:func:`drop_loot` is the standard reaction, dropping what the dead carried.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor, Armour, Health, Location, Weapon
from fabula.actions.standard.preconditions import alive, held, in_reach
from fabula.actions.standard.scope import contents, room_of
from fabula.ecs import World, WorldView
from fabula.events import OnAttack, OnDamage, OnDeath

__all__ = ["Attack", "Strike", "best_weapon", "drop_loot", "protection"]


class Strike(BaseModel):
    """Parameters of ``attack``: the target and, optionally, the weapon."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: int
    weapon: int | None = None


def protection(world: World, entity: int) -> int:
    """The total protection of the armour ``entity`` wears."""
    total = 0
    for item in contents(world, entity):
        location = world.get(item, Location, readonly=True)
        armour = world.try_get(item, Armour, readonly=True)
        if armour is not None and location.how == "worn":
            total += armour.protection
    return total


def best_weapon(world: WorldView, actor: int) -> int | None:
    """What ``actor`` strikes with when it names no weapon: the weapon it
    holds (in hand, not worn) or its own :class:`Weapon` (claws), whichever
    hits harder on average; ties go to a held weapon, then the lowest handle,
    so the choice never depends on iteration order. ``None``: bare hands."""
    candidates: list[tuple[float, int, int]] = []
    for item in contents(world, actor):
        weapon = world.try_get(item, Weapon, readonly=True)
        if weapon is not None and world.get(item, Location, readonly=True).how == "held":
            candidates.append((weapon.damage + weapon.spread / 2, 1, -item))
    own = world.try_get(actor, Weapon, readonly=True)
    if own is not None:
        candidates.append((own.damage + own.spread / 2, 0, -actor))
    if not candidates:
        return None
    return -max(candidates)[2]


_WEAPON_HELD = held("weapon", satisfied_by=None)
"""Checked by the validator, not in ``requires``: a named weapon must be held,
but only once the target is known to be fair game (``NOT_A_TARGET`` and
``ALREADY_DEAD`` come first)."""


@action(
    "attack",
    description="Attack someone or something, bare-handed or with a weapon you hold.",
    verbs=("attack", "hit", "fight", "kill", "strike"),
    syntax=("{verb} {target}", "{verb} {target} with {weapon}"),
)
class Attack(Action):
    Params = Strike
    requires = (alive, in_reach("target"))

    def validate(self, ctx: RuleContext, params: Strike) -> Refusal | None:
        health = ctx.world.try_get(params.target, Health)
        if params.target == ctx.actor or health is None:
            return Refusal(
                "NOT_A_TARGET", "violence isn't the answer to that.", {"item": params.target}
            )
        if health.hp <= 0:
            return Refusal("ALREADY_DEAD", "it is already dead.", {"item": params.target})
        refusal = _WEAPON_HELD.check(ctx, params)  # passes when bare-handed
        if refusal is not None:
            return refusal
        if params.weapon is not None and not ctx.world.has(params.weapon, Weapon):
            return Refusal("NOT_A_WEAPON", "that is no weapon.", {"item": params.weapon})
        return None

    def execute(self, ctx: ActionContext, params: Strike) -> None:
        world = ctx.world
        source = params.weapon if params.weapon is not None else best_weapon(world, ctx.actor)
        wielded = None if source == ctx.actor else source  # claws are no item
        ctx.emit(OnAttack(actor=ctx.actor, target=params.target, weapon=wielded))
        weapon = None if source is None else world.try_get(source, Weapon, readonly=True)
        if weapon is None:
            damage = 1 + world.rng.randint(0, 1)
        else:
            damage = weapon.damage + world.rng.randint(0, weapon.spread)
        damage = max(0, damage - protection(world, params.target))
        health = world.get(params.target, Health)
        damage = min(damage, health.hp)
        health.hp -= damage
        ctx.emit(OnDamage(target=params.target, amount=damage, source=ctx.actor))
        if health.hp <= 0:
            ctx.emit(OnDeath(entity=params.target, killer=ctx.actor))


def drop_loot(world: World) -> Callable[[OnDeath], None]:
    """A handler for ``OnDeath``: whatever the dead carried falls where they lie.

    Subscribe it on the simulation's bus: ``bus.subscribe(OnDeath, drop_loot(world))``.
    """

    def handler(event: OnDeath) -> None:
        if event.entity not in world or not world.has(event.entity, Actor):
            return
        room = room_of(world, event.entity)
        if room is None:
            return
        for item in sorted(contents(world, event.entity)):
            world.insert(item, Location(room))

    return handler
