"""A session with a parser model behind the symbolic parser: the model's
reading is played and journalled with what it cost; a model that goes away
is announced once and the game goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fabula.ai import CircuitBreaker, ModelClient, RoleConfig
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.narration import ModelNarrator
from fabula.parsing import TieredParser
from fabula.persistence import journal
from fabula.session import Session
from tests.support.scripted_model import Script, chunks, completion


def test_the_model_reads_what_the_symbolic_parser_cannot(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    game = ContentGame.load(DEMO)
    client = ModelClient("parser", RoleConfig(model="tiny", base_url=url, retries=0),
                        sleep=lambda _: None)  # fmt: skip
    parser = TieredParser(game.actions, client, CircuitBreaker("parser", failures_to_open=1))
    session = Session.start(game, tmp_path / "s.save", new=True, parser=parser)
    assert session.turn("w").text.startswith("Boathouse")  # no model needed
    assert script.requests == []

    answer: dict[str, Any] = {"actions": [{"action": "take", "item": "storm lantern"}]}
    script.answers = [(200, completion(json.dumps(answer)))]
    assert session.turn("nick that lantern off its nail").text == "Taken."
    rows = list(journal.read(session.save._db()))
    models = dict(rows[-1].models)
    assert int(models.pop("parser_ms")) >= 0
    assert models.pop("parser_prompt").startswith("parser@1#")  # id, version, content hash
    assert models == {"parser": "tiny", "parser_tokens": "11+3", "parser_answers": "1"}
    assert rows[-1].actions[0].source == "model"

    script.answers = [(503, None)]
    reply = session.turn("yeet the gaff")
    assert reply.text.startswith("[The parser model is not answering (HTTP 503)")
    again = session.turn("yeet the gaff")
    assert not again.text.startswith("[")  # said once; the circuit is open
    assert len(script.requests) == 2
    session.close()


def narrated_session(url: str, tmp_path: Path, failures: int = 3) -> Session:
    game = ContentGame.load(DEMO)
    client = ModelClient("narrator", RoleConfig(model="bard", base_url=url, retries=0),
                        sleep=lambda _: None)  # fmt: skip
    teller = ModelNarrator(client, CircuitBreaker("narrator", failures_to_open=failures))
    return Session.start(game, tmp_path / "s.save", new=True, narrator_model=teller)


def test_the_narrator_model_retells_the_turn_as_it_streams(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    session = narrated_session(url, tmp_path)
    session.turn("w")  # the boathouse
    script.answers = [(200, chunks(["You unhook", " the lantern;", " it swings, cold."]))]
    shown: list[str] = []
    reply = session.turn("take lantern", emit=shown.append)
    assert shown[:3] == ["You unhook", " the lantern;", " it swings, cold."]
    assert "".join(shown) == reply.text == "You unhook the lantern; it swings, cold."

    system, user = script.requests[-1]["messages"]
    assert system["role"] == "system"
    assert "The Light at Gull's End" in system["content"]
    told = user["content"]
    assert "take (item: the storm lantern): done" in told  # the verdict
    assert "Taken." in told  # the account it must stay faithful to
    assert "Boathouse" in told
    assert "tinderbox" in told
    assert "satchel" not in told
    assert "lamp oil" not in told
    assert told.rstrip().endswith("take lantern")
    assert "Relight the great lamp" in told  # the player's goals, from game.toml

    row = list(journal.read(session.save._db()))[-1]
    assert row.models["narrator"] == "bard"
    assert row.models["narrator_tokens"] == "9+3"
    assert row.models["narrator_prompt"].startswith("narrator@2#")  # the newest version
    assert reply.trace.roles["narrator"]["narrator_source"] == "model"
    assert {"parse", "rules", "account", "context", "narrate"} <= set(reply.trace.stages)
    assert "narrator bard" in reply.trace.line()
    session.close()


def test_without_the_narrator_model_the_account_is_told_and_that_is_said_once(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    session = narrated_session(url, tmp_path, failures=1)
    script.answers = [(503, None)]
    first = session.turn("w")
    assert first.text.startswith("Boathouse")  # the template narrator's account
    assert first.text.endswith("using the template narrator until it is back.]")
    second = session.turn("take lantern")
    assert second.text == "Taken."  # quietly: the circuit is open
    assert len(script.requests) == 1
    rows = list(journal.read(session.save._db()))
    assert rows[0].models["narrator_error"] == "HTTP 503"
    assert rows[1].models["narrator_error"] == "circuit open"
    session.close()
