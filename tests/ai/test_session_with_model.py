"""A session with a parser model behind the symbolic parser: the model's
reading is played and journalled with what it cost; a model that goes away
is announced once and the game goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripted_server import Script, completion

from fabula.ai import ChatClient, CircuitBreaker, RoleConfig, TieredParser
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import journal
from fabula.session import Session


def test_the_model_reads_what_the_symbolic_parser_cannot(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    game = ContentGame.load(DEMO)
    client = ChatClient("parser", RoleConfig(model="tiny", base_url=url, retries=0),
                        sleep=lambda _: None)  # fmt: skip
    parser = TieredParser(game.actions, client, CircuitBreaker("parser", failures_to_open=1))
    session = Session.start(game, tmp_path / "s.save", new=True, parser=parser)
    assert session.turn("w").text.startswith("Boathouse")  # no model needed
    assert script.requests == []

    answer: dict[str, Any] = {"actions": [{"action": "take", "item": "storm lantern"}]}
    script.answers = [(200, completion(json.dumps(answer)))]
    assert session.turn("nick that lantern off its nail").text == "Taken."
    rows = list(journal.read(session.save._db()))
    assert rows[-1].models == {"parser": "tiny", "parser_tokens": "11+3", "parser_answers": "1"}
    assert rows[-1].actions[0].source == "model"

    script.answers = [(503, None)]
    reply = session.turn("yeet the gaff")
    assert reply.text.startswith("[The parser model is not answering (HTTP 503)")
    again = session.turn("yeet the gaff")
    assert not again.text.startswith("[")  # said once; the circuit is open
    assert len(script.requests) == 2
    session.close()
