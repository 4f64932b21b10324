"""A small deterministic game for the persistence tests: a keeper in a field
who walks, forages, hunts critters that wander and breed, and rests.

It exercises every storage path: object and columnar components, a tag
component, inserts and removes, spawns and despawns (so slots are reused),
randomness through ``world.rng``, and systems that iterate in sorted order.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from fabula.actions import Action, ActionContext, ActionRegistry, Refusal, RuleContext, action
from fabula.ecs import ComponentRegistry, World, component
from fabula.simulation import Simulation
from fabula.systems import TickContext, system

SIZE = 20


@component(name="name")
class Name:
    text: str


@component(name="pos", columnar=True)
class Pos:
    x: int
    y: int


@component(name="hp", columnar=True)
class Hp:
    hp: float
    max: float = 10.0


@component(name="bag")
class Bag:
    items: list[str]


@component(name="critter")
class Critter:
    kind: str
    age: int = 0


@component(name="asleep")
class Asleep:
    pass


class WalkParams(BaseModel):
    dx: int = Field(ge=-1, le=1)
    dy: int = Field(ge=-1, le=1)


@action("walk", description="Take a step.")
class Walk(Action):
    Params = WalkParams

    def validate(self, ctx: RuleContext, params: WalkParams) -> Refusal | None:
        if ctx.world.has(ctx.actor, Asleep):
            return Refusal("ASLEEP", "you are asleep.")
        pos = ctx.world.get(ctx.actor, Pos)
        if not (0 <= pos.x + params.dx < SIZE and 0 <= pos.y + params.dy < SIZE):
            return Refusal("NO_EXIT", "the field ends there.")
        return None

    def execute(self, ctx: ActionContext, params: WalkParams) -> None:
        pos = ctx.world.get(ctx.actor, Pos)
        pos.x += params.dx
        pos.y += params.dy


@action("forage", description="Search the ground.")
class Forage(Action):
    def validate(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        if ctx.world.has(ctx.actor, Asleep):
            return Refusal("ASLEEP", "you are asleep.")
        return None

    def execute(self, ctx: ActionContext, params: BaseModel) -> None:
        world = ctx.world
        find = world.rng.choice(["berry", "stone", "feather", "egg"])
        if find == "egg":
            pos = world.get(ctx.actor, Pos, readonly=True)
            world.spawn(Critter("chick"), Pos(pos.x, pos.y), Hp(3.0, 3.0), Name("chick"))
        else:
            world.get(ctx.actor, Bag).items.append(find)


@action("hunt", description="Strike at a critter.")
class Hunt(Action):
    def validate(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        if not len(ctx.world.entities_with[Critter]):
            return Refusal("NOTHING", "there is nothing to hunt.")
        return None

    def execute(self, ctx: ActionContext, params: BaseModel) -> None:
        world = ctx.world
        target = world.rng.choice(sorted(world.entities_with[Critter]))
        hp = world.get(target, Hp)
        hp.hp -= world.rng.randint(1, 4)
        if hp.hp <= 0:
            world.despawn(target)
            world.get(ctx.actor, Bag).items.append("pelt")


@action("rest", description="Lie down, or get up.")
class Rest(Action):
    def validate(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        return None

    def execute(self, ctx: ActionContext, params: BaseModel) -> None:
        if ctx.world.has(ctx.actor, Asleep):
            ctx.world.remove(ctx.actor, Asleep)
        else:
            ctx.world.insert(ctx.actor, Asleep())


@system
def wander(ctx: TickContext) -> None:
    world = ctx.world
    for critter in sorted(world.entities_with[Critter]):
        pos = world.get(critter, Pos)
        pos.x = min(SIZE - 1, max(0, pos.x + world.rng.randint(-1, 1)))
        pos.y = min(SIZE - 1, max(0, pos.y + world.rng.randint(-1, 1)))
        world.get(critter, Critter).age += 1


@system(after=["wander"])
def breed(ctx: TickContext) -> None:
    world = ctx.world
    adults = [
        c
        for c in sorted(world.entities_with[Critter])
        if world.get(c, Critter, readonly=True).age > 4
    ]
    if adults and len(adults) < 12 and world.rng.random() < 0.3:
        parent = world.get(world.rng.choice(adults), Pos, readonly=True)
        world.spawn(Critter("chick"), Pos(parent.x, parent.y), Hp(3.0, 3.0), Name("chick"))


@system
def regen(ctx: TickContext) -> None:
    for _, (hp,) in ctx.world.query_columns(Hp):
        hp.hp = (hp.hp + 0.25).clip(max=hp.max)


class KeepGame:
    """The game object; saves record its id, ``keep``."""

    id = "keep"

    def __init__(self) -> None:
        self.components = ComponentRegistry()
        for ctype in (Name, Pos, Hp, Bag, Critter, Asleep):
            self.components.register(ctype)
        self.actions = ActionRegistry()
        for act in (Walk, Forage, Hunt, Rest):
            self.actions.register(act)

    def new_world(self, seed: int) -> World:
        world = World(seed)
        world.spawn(Name("keeper"), Pos(SIZE // 2, SIZE // 2), Hp(10.0), Bag([]))
        for i in range(3):
            world.spawn(
                Critter("hare", age=i),
                Pos(world.rng.randrange(SIZE), world.rng.randrange(SIZE)),
                Hp(4.0, 4.0),
                Name("hare"),
            )
        return world

    def simulation(self, world: World) -> Simulation:
        return Simulation(world, self.actions, [wander, breed, regen])


GAME = KeepGame()
PLAYER = 0


def script(turns: int, seed: int = 7) -> list[tuple[str, list[dict]]]:
    """A reproducible list of (input, actions) turns for the keeper."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(turns):
        roll = rng.random()
        if roll < 0.4:
            dx, dy = rng.choice([(1, 0), (-1, 0), (0, 1), (0, -1)])
            out.append(
                (
                    f"walk {dx} {dy}",
                    [{"action": "walk", "actor": PLAYER, "params": {"dx": dx, "dy": dy}}],
                )
            )
        elif roll < 0.65:
            out.append(("forage", [{"action": "forage", "actor": PLAYER}]))
        elif roll < 0.9:
            out.append(
                (
                    "hunt",
                    [{"action": "hunt", "actor": PLAYER}, {"action": "forage", "actor": PLAYER}],
                )
            )
        else:
            out.append(("rest", [{"action": "rest", "actor": PLAYER}]))
    return out
