"""Toggle: an action declared as the one flag it sets, as a game writes its own."""

from __future__ import annotations

from fabula.actions import ActionRegistry, Refusal, RuleContext, Rules, action
from fabula.actions.standard import (
    Actor,
    Health,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Room,
    SwitchOn,
    Target,
    Toggle,
    alive,
    in_reach,
)
from fabula.ecs import World, component


@component(name="lever")
class Lever:
    pulled: bool = False


@action("pull", description="Pull a lever.", verbs=("pull",))
class Pull(Toggle):
    component, flag, value = Lever, "pulled", True
    missing = ("NOT_A_LEVER", "there is nothing to pull.")
    already = ("ALREADY_PULLED", "it has been pulled.")


@action("pull", description="Pull a lever that is not jammed.", verbs=("pull",))
class PullUnlessJammed(Pull):
    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        refusal = super().validate(ctx, params)
        if refusal is None and ctx.world.has(params.item, Lockable):
            return Refusal("JAMMED", "it is jammed.", {"item": params.item})
        return refusal


def play(cls: type, *setup: object) -> tuple[World, Rules, int, int]:
    world = World(1)
    hall = world.spawn(Named("hall"), Room())
    player = world.spawn(Named("you"), Player(), Actor(), Health(3), Location(hall))
    lever = world.spawn(Named("lever"), Location(hall), *setup)
    actions = ActionRegistry()
    actions.register(cls)
    return world, Rules(world, actions), player, lever


def test_a_toggle_sets_its_flag_once() -> None:
    world, rules, player, lever = play(Pull, Lever())
    outcome = rules.attempt({"action": "pull", "actor": player, "params": {"item": lever}})
    assert outcome.ok
    assert world.get(lever, Lever).pulled is True
    again = rules.attempt({"action": "pull", "actor": player, "params": {"item": lever}})
    assert again.refusal == Refusal("ALREADY_PULLED", "it has been pulled.", {"item": lever})


def test_a_toggle_refuses_a_thing_without_its_component() -> None:
    _, rules, player, lever = play(Pull)
    outcome = rules.attempt({"action": "pull", "actor": player, "params": {"item": lever}})
    assert outcome.refusal == Refusal("NOT_A_LEVER", "there is nothing to pull.", {"item": lever})


def test_a_toggle_requires_the_standard_pair_and_checks_it_first() -> None:
    assert Pull.requires == (alive, in_reach("item")) == SwitchOn.requires
    world, rules, player, lever = play(Pull)  # no Lever: validate would refuse
    world.get(player, Health).hp = 0
    outcome = rules.attempt({"action": "pull", "actor": player, "params": {"item": lever}})
    assert outcome.refusal == Refusal("DEAD", "you are dead.")


def test_own_checks_come_after_the_toggles() -> None:
    world, rules, player, lever = play(PullUnlessJammed, Lever(pulled=True), Lockable())
    proposal = {"action": "pull", "actor": player, "params": {"item": lever}}
    assert rules.attempt(proposal).refusal.code == "ALREADY_PULLED"  # type: ignore[union-attr]
    world.get(lever, Lever).pulled = False
    assert rules.attempt(proposal).refusal.code == "JAMMED"  # type: ignore[union-attr]


def test_the_standard_toggles_share_the_shape() -> None:
    from fabula.actions.standard import Close, Lock, Open, SwitchOff, Unlock

    for cls in (Open, Close, Lock, Unlock, SwitchOn, SwitchOff):
        assert issubclass(cls, Toggle)
    assert (Open.component, Open.flag, Open.value) == (Openable, "open", True)
    assert (Unlock.component, Unlock.flag, Unlock.value) == (Lockable, "locked", False)
