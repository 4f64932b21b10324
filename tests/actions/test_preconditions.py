"""Declared preconditions (``requires``): how Rules checks them, how they are
declared, named and inherited, and what a wrong declaration is told."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from fabula.actions import (
    Action,
    ActionContext,
    ActionRegistry,
    Precondition,
    PreconditionFactory,
    Refusal,
    RuleContext,
    Rules,
    action,
    precondition,
)
from fabula.ecs import World
from fabula.errors import ActionDeclarationError, FabulaError

# ------------------------------------------------------------ a tiny world


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    other: int | None = None


calls: list[str] = []  # what ran, in order (reset by the autouse fixture)


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    calls.clear()


def _refusing(code: str) -> Any:
    def test(ctx: RuleContext, entity: int) -> Refusal | None:
        calls.append(f"{code}:{entity}")
        return Refusal(code, code.lower(), {"item": entity})

    return test


def _passing(label: str) -> Any:
    def test(ctx: RuleContext, entity: int) -> Refusal | None:
        calls.append(f"{label}:{entity}")
        return None

    return test


ok = PreconditionFactory("ok", _passing("ok"), "the {field} is fine")
no = PreconditionFactory("no", _refusing("NO"), "the {field} is refused")
never = PreconditionFactory("never", _refusing("NEVER"), "never", satisfied_by="fix")
ready = Precondition("ready", _passing("ready"), summary="the actor is ready")
asleep = Precondition("asleep", _refusing("ASLEEP"), summary="the actor is awake")


class Probe(Action):
    Params = Pair

    def validate(self, ctx: RuleContext, params: Pair) -> Refusal | None:
        calls.append("validate")
        return None

    def execute(self, ctx: ActionContext, params: Pair) -> None:
        calls.append("execute")


def attempt(cls: type[Action], **params: Any) -> Refusal | None:
    world = World(1)
    world.spawn()
    actor = world.spawn()  # entity 1: told apart from the item 7 and the other 8
    actions = ActionRegistry()
    actions.register(cls, "probe")
    outcome = Rules(world, actions).attempt(
        {"action": "probe", "actor": actor, "params": {"item": 7, **params}}
    )
    return outcome.refusal


# ------------------------------------------------------------ order of checks


def test_preconditions_run_in_order_before_validate() -> None:
    class Checked(Probe):
        requires = (ready, ok("item"), ok("other"))

    assert attempt(Checked, other=8) is None
    assert calls == ["ready:1", "ok:7", "ok:8", "validate", "execute"]


def test_the_first_refusal_wins_and_nothing_after_it_runs() -> None:
    class Refused(Probe):
        requires = (ok("item"), no("other"), never("item"))

    refusal = attempt(Refused, other=8)
    assert refusal == Refusal("NO", "no", {"item": 8})
    assert calls == ["ok:7", "NO:8"]  # neither the later check nor validate ran


def test_an_actor_precondition_tests_the_actor() -> None:
    class Sleepy(Probe):
        requires = (asleep, no("item"))

    assert attempt(Sleepy) == Refusal("ASLEEP", "asleep", {"item": 1})
    assert calls == ["ASLEEP:1"]


def test_a_precondition_on_an_optional_field_left_out_passes() -> None:
    class Optional(Probe):
        requires = (no("other"), ok("item"))

    assert attempt(Optional) is None  # other is None: no("other") is not even run
    assert calls == ["ok:7", "validate", "execute"]
    assert attempt(Optional, other=None) is None


def test_a_refused_precondition_is_published_like_any_refusal() -> None:
    from fabula.events import EventBus, OnActionRefused

    class Refused(Probe):
        requires = (no("item"),)

    world = World(1)
    actor = world.spawn()
    actions = ActionRegistry()
    actions.register(Refused, "probe")
    bus = EventBus()
    with bus.record() as events:
        outcome = Rules(world, actions, bus).attempt(
            {"action": "probe", "actor": actor, "params": {"item": 7}}
        )
    assert outcome.params == Pair(item=7)  # the parameters had validated
    [event] = events
    assert isinstance(event, OnActionRefused)
    assert (event.code, event.reason, event.facts) == ("NO", "no", {"item": 7})


def test_an_exception_in_a_precondition_propagates() -> None:
    def broken(ctx: RuleContext, entity: int) -> Refusal | None:
        raise ZeroDivisionError("a bug in the game's rules")

    class Broken(Probe):
        requires = (PreconditionFactory("broken", broken)("item"),)

    with pytest.raises(ZeroDivisionError, match="a bug"):
        attempt(Broken)


# ------------------------------------------------------------ inheritance


def test_a_subclass_inherits_requires() -> None:
    class Parent(Probe):
        requires = (no("item"),)

    class Child(Parent):
        pass

    assert Child.requires == (no("item"),)
    assert attempt(Child) == Refusal("NO", "no", {"item": 7})


def test_a_subclass_that_sets_requires_replaces_its_parents() -> None:
    class Parent(Probe):
        requires = (no("item"),)

    class Child(Parent):
        requires = (ok("item"),)

    assert attempt(Child) is None
    assert calls == ["ok:7", "validate", "execute"]


def test_a_subclass_extends_requires_by_saying_so() -> None:
    class Parent(Probe):
        requires = (ok("item"),)

    class Child(Parent):
        requires = (*Parent.requires, no("other"))

    assert attempt(Child, other=3) == Refusal("NO", "no", {"item": 3})
    assert calls == ["ok:7", "NO:3"]


# ------------------------------------------------------------ declaring them


def test_preconditions_read_as_they_are_written() -> None:
    assert repr(ok("item")) == "ok('item')"
    assert repr(ready) == "ready"
    assert repr(ok) == "<precondition ok(field)>"
    assert ok("other").describe() == "the other is fine"
    assert ready.describe() == "the actor is ready"
    assert never("item").describe() == "never (fix may make it so)"
    assert Precondition("bare", _passing("bare")).describe() == "bare"


def test_a_factory_binds_a_field_and_may_override_what_satisfies_it() -> None:
    bound = never("item")
    assert (bound.name, bound.field, bound.satisfied_by) == ("never", "item", "fix")
    assert never("item", satisfied_by=None).satisfied_by is None
    assert ok("item", satisfied_by="take").satisfied_by == "take"
    assert ok("item") == ok("item")  # frozen values: equal when declared alike
    assert hash(ok("item")) == hash(ok("item"))


def test_the_decorator_makes_a_factory_named_for_its_function() -> None:
    @precondition("the {field} is loose", satisfied_by="pry")
    def loose(ctx: RuleContext, entity: int) -> Refusal | None:
        return None

    assert isinstance(loose, PreconditionFactory)
    assert (loose.name, loose.satisfied_by) == ("loose", "pry")
    assert loose("item").describe() == "the item is loose (pry may make it so)"
    renamed = precondition("x", name="unnailed")(loose.test)
    assert renamed.name == "unnailed"


def test_binding_something_other_than_a_field_name_says_how() -> None:
    with pytest.raises(
        ActionDeclarationError,
        match=r"^ok\(\) takes the name of a parameter field, e\.g\. ok\('item'\)",
    ):
        ok(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("requires", "message"),
    [
        ((ok("itme"),), r"requires ok\('itme'\), but its parameters \(Pair\) have no field "
         r"'itme' \(they have: item, other\)\. Name one of those fields, or add it to Params"),
        ((ok,), r"requires holds ok without the field it applies to; write ok\('item'\)"),
        ((print,), r"requires holds <built-in function print>, which is not a Precondition"),
        ([ready], r"requires must be a tuple of preconditions, not list"),
        (ready, r"requires must be a tuple of preconditions: write requires = \(ready,\)"),
    ],
)  # fmt: skip
def test_a_wrong_requires_fails_when_marked_and_when_registered(
    requires: Any, message: str
) -> None:
    class Wrong(Probe):
        pass

    Wrong.requires = requires
    with pytest.raises(ActionDeclarationError, match=r"^action 'probe': " + message):
        action("probe", description="Probe.")(Wrong)
    with pytest.raises(ActionDeclarationError, match=r"^action 'probe': " + message):
        ActionRegistry().register(Wrong, "probe")


def test_a_wrong_field_is_named_on_the_error() -> None:
    with pytest.raises(ActionDeclarationError) as caught:

        @action("probe", description="Probe.")
        class Wrong(Probe):
            requires = (ok("item"), ok("target"))

    assert (caught.value.action, caught.value.field) == ("probe", "target")
    assert isinstance(caught.value, FabulaError)


def test_registering_a_class_changed_after_marking_is_checked_again() -> None:
    @action("probe", description="Probe.")
    class Later(Probe):
        pass

    Later.requires = (ok("nothing"),)
    with pytest.raises(ActionDeclarationError, match="no field 'nothing'"):
        ActionRegistry().register(Later)
