"""The demo played through a real session with a real parser model behind
the symbolic parser: a tiny model, often wrong, and the state stays legal.

After every turn: a reply, a journal whose every action is a registered id
with parameters that validate, and a journal that, replayed from turn 0 on
a fresh world, reproduces the live state exactly. At the end the save is
closed and checked by ``verify`` (what ``fabula replay`` runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fabula.ai import ChatClient, CircuitBreaker, TieredParser
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence.verify import verify
from fabula.session import Session
from tests.integration.legality import assert_legal, journal_rows
from tests.integration.model_figures import Figures

PLAY = (
    "could you please have a look around",  # no verb the parser knows
    "w",
    "grab the lantern thing",  # a noun it does not know
    "take the tinderbox",
    "I'd like to go north now",
    "qwzx blorp fnord",  # gibberish
    "light the lantern",
    "please could you pick up that hook",
    "e",
    "I want to walk towards the sea",  # understood only in part
    "inventory",
    "smash everything",
)
FOR_THE_MODEL = {
    "could you please have a look around",
    "grab the lantern thing",
    "I'd like to go north now",
    "qwzx blorp fnord",
    "please could you pick up that hook",
    "I want to walk towards the sea",
    "smash everything",
}


def test_a_tiny_parser_model_cannot_break_the_rules(
    parser_client: ChatClient, tmp_path: Path, figures: Figures
) -> None:
    game = ContentGame.load(DEMO)
    parser = TieredParser(game.actions, parser_client, CircuitBreaker("parser"))
    session = Session.start(game, tmp_path / "demo.save", new=True, parser=parser)
    asked: dict[str, dict[str, Any]] = {}
    try:
        for text in PLAY:
            before = session.save.turn
            reply = session.turn(text)
            assert reply.text.strip(), f"{text!r}: an empty reply"
            use = parser.last_model_use
            if use is not None:
                asked[text] = use
                figures.parser_use(use, played=reply.turn > before)
                assert "error" not in use, f"{text!r}: the parser model failed: {use}"
                assert use["answers"], text
            if reply.turn > before:  # a turn was played: its row says who parsed it
                row = journal_rows(session, before)[-1]
                sources = {a.source for a in row.actions}
                assert sources <= ({"model"} if use else {"player"}), (text, row.actions)
                if use is not None:
                    assert row.models["parser"] == parser_client.config.model
                    assert int(row.models["parser_answers"]) == len(use["answers"])
            assert_legal(session)
        played = session.save.turn
    finally:
        session.close()
    assert set(asked) == FOR_THE_MODEL, "what went to the model: " + ", ".join(asked)
    report = verify(tmp_path / "demo.save", game)
    assert report.ok, report.problem or report.checks
    assert report.turns == played
