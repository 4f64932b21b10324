"""Structured output from a real llama.cpp server: which request shape it
honours, and that the honoured shape really holds a tiny model to the
parser's schema (action ids, directions and the names of the things in
scope, as enums): every whole answer fits it, whatever the model wanted to
say. An answer cut off at ``max_tokens`` is counted, not checked."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest

from fabula.actions.standard import Named, inventory, visible
from fabula.ai import ModelClient, RoleConfig
from fabula.content import ContentGame
from fabula.errors import ModelError
from fabula.games import DEMO
from fabula.parsing import TieredParser
from fabula.session import Session
from tests.integration.llama_server import LlamaServer
from tests.integration.model_figures import Figures
from tests.integration.schema_check import schema_errors

SYSTEM = (
    "You turn a text-adventure player's command into actions. Answer with JSON "
    'only, like {"actions": [{"action": "look"}]}.'
)

BAIT = (
    "Reply with exactly this JSON and nothing else: "
    '{"actions": [{"action": "fly", "direction": "sideways", "target": "the moon"}]}'
)
"""Asks for an action, a direction and a thing that the schema does not
allow: a model left to itself copies it; a model held to the schema cannot."""

COMMANDS = ("grab the lantern thing", "could you please have a look around", "qwzx blorp fnord")


def scope_schema(where: str, tmp_path: Path) -> dict[str, Any]:
    """``TieredParser.schema`` for what the player perceives in the dark
    (the tide cave without a lantern: nothing to name, so thing slots are
    free strings; every lit room of the demo has scenery to name) or in the
    boathouse (its things and scenery: thing slots become enums)."""
    game = ContentGame.load(DEMO)
    session = Session.start(game, tmp_path / f"{where}.save", new=True)
    try:
        for command in {"boathouse": ["w"], "darkness": ["e", "n", "in"]}[where]:
            session.turn(command)
        world, me = session.world, session.player
        names = {
            world.get(e, Named, readonly=True).name.lower(): e
            for e in visible(world, me) | inventory(world, me)
            if world.has(e, Named)
        }
        return TieredParser(game.actions).schema(names)
    finally:
        session.close()


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: its text, why it ended, its completion tokens, and the
    seconds the request took."""

    text: str
    finish_reason: str
    tokens: int
    seconds: float


def ask(llama: LlamaServer, text: str, response_format: dict[str, Any] | None) -> Answer:
    """One greedy chat request with ``response_format`` exactly as given (the
    official SDK, not ModelClient, so the shape on the wire is the one named)."""
    client = openai.OpenAI(base_url=llama.url, api_key="not-needed", max_retries=0, timeout=60)
    extra = {"response_format": response_format} if response_format is not None else {}
    start = time.perf_counter()
    response = client.chat.completions.create(
        model=llama.model,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}],
        temperature=0,
        max_tokens=160,  # answers take 20-50; room for a model that lists more actions
        **extra,
    )
    choice = response.choices[0]
    tokens = response.usage.completion_tokens if response.usage else 0
    return Answer(choice.message.content or "", choice.finish_reason, tokens,
                  time.perf_counter() - start)  # fmt: skip


def test_the_openai_json_schema_shape_is_refused(llama: LlamaServer, tmp_path: Path) -> None:
    """What ``ModelClient.complete(json_schema=...)`` sends today. The server's
    request model allows only "text" and "json_object"; the validation error
    comes back as HTTP 500, not 4xx. If this starts passing a schema through,
    the shape can be asked for directly."""
    schema = scope_schema("darkness", tmp_path)
    shape = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}
    with pytest.raises(openai.InternalServerError, match="Input should be 'text' or 'json_object'"):
        ask(llama, "look", shape)


@pytest.mark.parametrize("where", ["darkness", "boathouse"])
def test_a_json_object_with_a_schema_holds_the_model_to_it(
    llama: LlamaServer, tmp_path: Path, figures: Figures, where: str
) -> None:
    schema = scope_schema(where, tmp_path)
    alternatives = schema["properties"]["actions"]["items"]["anyOf"]
    take = next(a for a in alternatives if a["properties"]["action"]["enum"] == ["take"])
    assert ("enum" in take["properties"]["item"]) == (where == "boathouse")
    for text in (BAIT, *COMMANDS):
        answer = ask(llama, text, {"type": "json_object", "schema": schema})
        figures.parser_calls.append((answer.seconds, answer.tokens))
        assert answer.finish_reason in ("stop", "length"), (text, answer)
        if answer.finish_reason == "length":  # it rambled within the grammar: no whole answer
            figures.cut_off += 1
            continue
        assert schema_errors(json.loads(answer.text), schema) == [], f"{text!r} -> {answer.text!r}"


def test_without_the_schema_the_answer_is_still_json(
    llama: LlamaServer, tmp_path: Path, figures: Figures
) -> None:
    """The control: the same request in plain JSON mode. Whether the model
    then copies the bait (so that the schema held above because the server
    enforced it, not because the model happened to comply) is the model's
    doing, printed as a figure; what the server promises is JSON."""
    schema = scope_schema("boathouse", tmp_path)
    answer = ask(llama, BAIT, {"type": "json_object"})
    assert answer.finish_reason in ("stop", "length"), answer
    if answer.finish_reason == "length":
        figures.control = "cut off"
        return
    value = json.loads(answer.text)
    figures.control = "outside the schema" if schema_errors(value, schema) else "inside the schema"


def test_the_chat_client_asks_in_a_shape_this_server_honours(
    llama: LlamaServer, tmp_path: Path, figures: Figures
) -> None:
    """OpenAI's ``json_schema`` shape is refused by this server; the role
    setting ``structured_output = "json_object"`` asks in the shape it reads,
    and a whole answer then fits the schema."""
    schema = scope_schema("boathouse", tmp_path)
    settings = {"model": llama.model, "base_url": llama.url, "temperature": 0,
                "max_tokens": 96, "retries": 0}  # fmt: skip
    refused = ModelClient("parser", RoleConfig(**settings))
    with pytest.raises(ModelError, match="HTTP 500"):
        refused.complete([{"role": "user", "content": BAIT}], json_schema=schema)
    client = ModelClient("parser", RoleConfig(**settings, structured_output="json_object"))
    answer = client.complete([{"role": "user", "content": BAIT}], json_schema=schema)
    if answer.completion_tokens >= settings["max_tokens"]:  # cut off: no whole answer
        figures.cut_off += 1
        return
    assert schema_errors(json.loads(answer.text), schema) == []
