"""Event types: frozen, slotted dataclasses under one base; the built-ins the
turn pipeline publishes."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import fabula.events as events_pkg
from fabula.events import (
    Event,
    OnActionProposed,
    OnActionRefused,
    OnActionSuccess,
    OnAttack,
    OnDamage,
    OnDeath,
    OnDrop,
    OnInput,
    OnMove,
    OnNarration,
    OnTake,
    OnTick,
)

BUILT_INS = [
    OnInput,
    OnActionProposed,
    OnActionRefused,
    OnActionSuccess,
    OnMove,
    OnTake,
    OnDrop,
    OnAttack,
    OnDamage,
    OnDeath,
    OnTick,
    OnNarration,
]


@pytest.mark.parametrize("event_type", BUILT_INS, ids=lambda t: t.__name__)
def test_built_ins_are_frozen_slotted_documented_events(event_type: type[Event]) -> None:
    assert issubclass(event_type, Event)
    assert dataclasses.is_dataclass(event_type)
    assert event_type.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert "__slots__" in vars(event_type)
    assert "published" in inspect.getdoc(event_type).lower()  # says when it is published


def test_the_base_declares_no_fields() -> None:
    assert dataclasses.fields(Event) == ()
    assert Event() == Event()


def test_built_ins_carry_what_the_pipeline_fills_in() -> None:
    refused = OnActionRefused(
        actor=1, action="go", code="LOCKED", reason="it is locked", facts={"room": 2}
    )
    assert (refused.code, refused.facts) == ("LOCKED", {"room": 2})
    assert OnActionRefused(actor=None, action=None, code="MALFORMED").facts == {}
    assert OnActionSuccess(actor=1, action="go", params=None).action == "go"
    assert OnActionProposed(proposal={"action": "go"}).proposal == {"action": "go"}
    assert OnInput("look").turn == 0
    assert OnMove(actor=1, from_room=2, to_room=3).to_room == 3
    assert OnTake(actor=1, item=4).room is None
    assert OnDrop(actor=1, item=4, room=2).room == 2
    assert OnAttack(actor=1, target=5).weapon is None
    assert OnDamage(target=5, amount=3).source is None
    assert OnDeath(entity=5, killer=1).killer == 1
    assert OnTick(tick=7).tick == 7
    assert OnNarration("The door creaks.", turn=2).text == "The door creaks."


def test_events_are_immutable_and_slotted() -> None:
    event = OnDamage(target=5, amount=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.amount = 100  # type: ignore[misc]
    assert not hasattr(event, "__dict__")
    assert event == OnDamage(target=5, amount=3)
    assert hash(event) == hash(OnDamage(target=5, amount=3))


def test_game_authors_define_events_by_subclassing() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class OnDoorOpened(Event):
        actor: int
        door: int

    event = OnDoorOpened(actor=1, door=9)
    assert isinstance(event, Event)
    assert repr(event).endswith("OnDoorOpened(actor=1, door=9)")


def test_a_mutable_event_subclass_is_refused_at_class_creation() -> None:
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @dataclasses.dataclass
        class OnMutable(Event):
            value: int


def test_exported_members_match_all() -> None:
    public = {
        name
        for name, obj in vars(events_pkg).items()
        if not name.startswith("_") and not inspect.ismodule(obj)
    }
    assert public == set(events_pkg.__all__)
    assert events_pkg.__all__ == sorted(events_pkg.__all__)
