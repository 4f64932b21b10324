"""The tiered parser: symbolic first, the model for what it cannot read,
constrained to what exists, checked, asked once more, and never trusted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import Actor, Location, Named, Portable, Room
from fabula.ai.breaker import CircuitBreaker
from fabula.ai.client import ModelClient
from fabula.ai.config import RoleConfig
from fabula.ecs import World
from fabula.parsing import Clarification, Parsed, ParseError, TieredParser
from fabula.persistence import state_digest
from tests.support.scripted_model import Script, completion

ACTIONS = ActionRegistry()
ACTIONS.discover("fabula.actions.standard")


def answer(*actions: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return 200, completion(json.dumps({"actions": list(actions)}))


@pytest.fixture
def scene(server: tuple[str, Script]) -> Iterator[dict[str, Any]]:
    url, script = server
    world = World(1)
    hall = world.spawn(Named("hall"), Room())
    me = world.spawn(Named("you"), Actor(), Location(hall))
    lamp = world.spawn(Named("brass lamp"), Portable(), Location(hall))
    vault = world.spawn(Named("vault"), Room())
    world.spawn(Named("golden idol"), Portable(), Location(vault))  # hidden
    client = ModelClient("parser", RoleConfig(model="tiny", base_url=url, retries=0),
                        sleep=lambda _: None)  # fmt: skip
    breaker = CircuitBreaker("parser", failures_to_open=2)
    parser = TieredParser(ACTIONS, client, breaker)
    with client:
        yield {"world": world, "me": me, "lamp": lamp, "parser": parser, "script": script}


def test_what_the_symbolic_parser_reads_never_reaches_the_model(scene: dict[str, Any]) -> None:
    result = scene["parser"].parse("take lamp", scene["world"], scene["me"])
    assert isinstance(result, Parsed)
    assert scene["script"].requests == []


def test_unreadable_input_goes_to_the_model_within_a_schema_of_what_exists(
    scene: dict[str, Any],
) -> None:
    scene["script"].answers = [answer({"action": "take", "item": "brass lamp"})]
    result = scene["parser"].parse("yoink that shiny thing", scene["world"], scene["me"])
    assert isinstance(result, Parsed)
    (proposal,) = result.proposals
    assert (proposal.action, proposal.params, proposal.source) == (
        "take", {"item": scene["lamp"]}, "model",
    )  # fmt: skip
    request = scene["script"].requests[0]
    schema = request["response_format"]["json_schema"]["schema"]
    alternatives = {
        a["properties"]["action"]["enum"][0]: a
        for a in schema["properties"]["actions"]["items"]["anyOf"]
    }
    assert set(alternatives) == set(ACTIONS.names())  # one per action, nothing else
    take = alternatives["take"]
    assert take["properties"]["item"]["enum"] == ["brass lamp"]  # the idol is hidden
    assert set(take["required"]) == {"action", "item"}
    assert take["additionalProperties"] is False  # no other action's parameters
    attack = alternatives["attack"]["properties"]
    assert attack["weapon"]["anyOf"][1] == {"type": "null"}  # optional: nullable
    system = request["messages"][0]["content"]  # the versioned parser prompt
    assert "take: " in system
    assert "Things here: brass lamp" in system
    assert "golden idol" not in system
    assert result.model_use is not None
    assert result.model_use.prompt.startswith("parser@1#")


def test_a_wrong_answer_is_asked_again_once_then_the_player_is_asked(
    scene: dict[str, Any],
) -> None:
    script = scene["script"]
    script.answers = [answer({"action": "take", "item": "golden idol"}),
                      answer({"action": "take"})]  # fmt: skip
    result = scene["parser"].parse("nab teh idl", scene["world"], scene["me"])
    assert isinstance(result, Clarification)
    assert len(script.requests) == 2
    retry = script.requests[1]["messages"][-1]["content"]
    assert "'golden idol' is not one of the things here" in retry


def test_several_steps_come_back_in_order(scene: dict[str, Any]) -> None:
    scene["script"].answers = [answer({"action": "take", "item": "brass lamp"},
                                      {"action": "switch_on", "item": "brass lamp"})]  # fmt: skip
    result = scene["parser"].parse("grab the lamp and fire it up", scene["world"], scene["me"])
    assert isinstance(result, Parsed)
    assert [p.action for p in result.proposals] == ["take", "switch_on"]


def test_whatever_the_model_proposes_the_rules_decide(scene: dict[str, Any]) -> None:
    scene["script"].answers = [answer({"action": "drop", "item": "brass lamp"})]
    result = scene["parser"].parse("chuck the lamp away lol", scene["world"], scene["me"])
    assert isinstance(result, Parsed)
    before = state_digest(scene["world"])
    outcome = Rules(scene["world"], ACTIONS).attempt(result.proposals[0])
    assert outcome.refusal is not None
    assert state_digest(scene["world"]) == before


def test_a_model_that_is_down_falls_back_and_says_so_once(scene: dict[str, Any]) -> None:
    parser, script = scene["parser"], scene["script"]
    script.answers = [(503, None), (503, None)]
    for _ in range(2):
        result = parser.parse("frobnicate the lamp", scene["world"], scene["me"])
        assert isinstance(result, ParseError)  # the symbolic answer stands
    assert "parser model is not answering (HTTP 503)" in (result.notice or "")
    result = parser.parse("frobnicate the lamp", scene["world"], scene["me"])
    assert result.notice is None
    assert len(script.requests) == 2  # the circuit is open: not even tried


def test_without_a_model_it_is_the_symbolic_parser() -> None:
    world = World(1)
    me = world.spawn(Named("you"), Actor(), Location(world.spawn(Named("hall"), Room())))
    result = TieredParser(ACTIONS).parse("frobnicate", world, me)
    assert isinstance(result, ParseError)
    assert result.code == "UNKNOWN_VERB"
