"""talk (topics, greetings), give, switch on/off, and the generic use."""

from __future__ import annotations

from typing import Any

import pytest

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import (
    Actor,
    Health,
    LightSource,
    Location,
    Named,
    Persona,
    Player,
    Portable,
    Room,
    Topics,
    reply_to,
)
from fabula.ecs import World
from fabula.events import EventBus, OnTalk


@pytest.fixture
def scene() -> dict[str, Any]:
    w = World(3)
    room = w.spawn(Named("kitchen"), Room())
    player = w.spawn(Named("you"), Player(), Actor(), Location(room))
    cook = w.spawn(
        Named("cook"),
        Actor(),
        Persona(greeting="Mind the soup.", default_reply="The cook shrugs."),
        Topics({"soup": "It needs salt.", "cellar key": "Under the mat, dear."}),
        Location(room),
    )
    ghost = w.spawn(Named("ghost"), Actor(), Health(0, 5), Persona("Boo."), Location(room))
    pot = w.spawn(Named("pot"), Location(room))
    salt = w.spawn(Named("salt"), Portable(), Location(player, "held"))
    lamp = w.spawn(Named("lamp"), Portable(), LightSource(), Location(player, "held"))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    bus = EventBus()
    rules = Rules(w, actions, bus)

    def code(action: str, **params: Any) -> str | None:
        refusal = rules.attempt({"action": action, "actor": player, "params": params}).refusal
        return None if refusal is None else refusal.code

    return {
        "w": w,
        "bus": bus,
        "code": code,
        "player": player,
        "cook": cook,
        "ghost": ghost,
        "pot": pot,
        "salt": salt,
        "lamp": lamp,
    }


def test_replies_come_from_topics_then_persona(scene: dict[str, Any]) -> None:
    w, cook = scene["w"], scene["cook"]
    assert reply_to(w, cook, None) == "Mind the soup."
    assert reply_to(w, cook, "soup") == "It needs salt."
    assert reply_to(w, cook, "the KEY") == "Under the mat, dear."
    assert reply_to(w, cook, "weather") == "The cook shrugs."
    assert reply_to(w, scene["pot"], "soup") is None


def test_talk_tells_the_reply_in_an_event(scene: dict[str, Any]) -> None:
    with scene["bus"].record() as events:
        assert scene["code"]("talk", target=scene["cook"], topic="soup") is None
    (talk,) = [e for e in events if isinstance(e, OnTalk)]
    assert talk.reply == "It needs salt."
    assert scene["code"]("talk", target=scene["pot"]) == "NO_REPLY"
    assert scene["code"]("talk", target=scene["ghost"]) == "NO_REPLY"  # dead


def test_give_hands_things_over_to_the_living(scene: dict[str, Any]) -> None:
    code, w = scene["code"], scene["w"]
    assert code("give", item=scene["salt"], target=scene["pot"]) == "NOT_A_PERSON"
    assert code("give", item=scene["salt"], target=scene["ghost"]) == "ALREADY_DEAD"
    # not held: taken first, and the pot will not come (Inform's implicit take)
    assert code("give", item=scene["pot"], target=scene["cook"]) == "NOT_PORTABLE"
    assert code("give", item=scene["salt"], target=scene["cook"]) is None
    assert w.get(scene["salt"], Location) == Location(scene["cook"], "held")


def test_lights_switch_on_and_off(scene: dict[str, Any]) -> None:
    code, w = scene["code"], scene["w"]
    assert code("switch_off", item=scene["lamp"]) == "ALREADY_OFF"
    assert code("switch_on", item=scene["lamp"]) is None
    assert w.get(scene["lamp"], LightSource).lit
    assert code("switch_on", item=scene["lamp"]) == "ALREADY_ON"
    assert code("switch_on", item=scene["pot"]) == "NOT_A_LIGHT"
    assert code("switch_off", item=scene["lamp"]) is None


def test_the_standard_use_changes_nothing(scene: dict[str, Any]) -> None:
    assert scene["code"]("use", item=scene["salt"], target=scene["pot"]) == "NOTHING_HAPPENS"
