"""The demo played through a real session with a real parser model behind
the symbolic parser: a tiny model, often wrong, and the rules hold whatever
it says.

What is asserted holds for any model, good, bad or silent; how often its
answers fit and were played is a figure, printed at the end, not asserted:

* every input gets a reply that is not empty, and the session never raises;
* what goes to the model is exactly what the symbolic parser could not read
  (the same parser, on the same state, asked before the turn) while the
  parser's circuit allows it, and the request carries the player's words;
* a turn the model's answer played is journalled as the model's, with its
  accounting; an input that played no turn leaves the world as it was;
* after every turn, the journal holds only registered actions whose
  parameters validate, and replays from turn 0 to the live state's digest;
* at the end, ``verify`` (what ``fabula replay`` runs) passes on the save.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fabula.ai import CircuitBreaker, Completion, ModelClient, ModelUse
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.parsing import FOR_THE_MODEL, ParseError, TieredParser
from fabula.persistence import state_digest, verify
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


class RecordingClient(ModelClient):
    """The parser role's client, keeping the messages of every request."""

    def __init__(self, client: ModelClient) -> None:
        super().__init__("parser", client.config)
        self.sent: list[list[dict[str, Any]]] = []

    def complete(self, messages: Sequence[Any], **kwargs: Any) -> Completion:
        self.sent.append([dict(m) for m in messages])
        return super().complete(messages, **kwargs)


def test_a_tiny_parser_model_cannot_break_the_rules(
    parser_client: ModelClient, tmp_path: Path, figures: Figures
) -> None:
    game = ContentGame.load(DEMO)
    client = RecordingClient(parser_client)
    # A clock that stands still: once the circuit opens it stays open, so
    # whether the model is asked never depends on how long a turn took.
    breaker = CircuitBreaker("parser", clock=lambda: 0.0)
    parser = TieredParser(game.actions, client, breaker)
    session = Session.start(game, tmp_path / "demo.save", new=True, parser=parser)
    name_of = game.components.name_of
    asked: list[str] = []
    try:
        for text in PLAY:
            before, sent = session.save.turn, len(client.sent)
            digest = state_digest(session.world, name_of)
            # what the symbolic parser makes of it now, without touching its state
            symbolic = copy.deepcopy(parser.symbolic).parse(text, session.view, session.player)
            unread = isinstance(symbolic, ParseError) and symbolic.code in FOR_THE_MODEL
            open_to_the_model = breaker.allows()

            reply = session.turn(text)

            assert reply.text.strip(), f"{text!r}: an empty reply"
            use: ModelUse | None = reply.trace.uses.get("parser")
            played = reply.turn > before
            assert (use is not None) == (unread and open_to_the_model), (text, symbolic, use)
            if use is None:
                assert len(client.sent) == sent, f"{text!r} went to the model: {client.sent[-1]}"
            else:
                asked.append(text)
                figures.parser_use(use, played=played)
                requests = client.sent[sent:]
                assert 1 <= len(requests) <= 2, f"{text!r}: {len(requests)} requests"
                said = [str(m["content"]) for m in requests[0] if m["role"] == "user"]
                assert any(text in content for content in said), (text, said)
            if played:  # its journal row says who parsed it
                row = journal_rows(session, before)[-1]
                sources = {a.source for a in row.actions} - {"implicit"}  # tried by Rules
                assert sources <= ({"model"} if use else {"player"}), (text, row.actions)
                if use is not None:
                    assert row.models["parser"] == parser_client.config.model
                    assert int(row.models["parser_answers"]) == len(use.answers)
            else:
                assert session.save.turn == before
                assert state_digest(session.world, name_of) == digest, (
                    f"{text!r} played no turn, yet the world changed"
                )
            assert_legal(session)
        played_turns = session.save.turn
    finally:
        session.close()
    # The opening input reaches the model on any machine: the state and the
    # circuit are the same before the first turn whatever the model says.
    assert asked[:1] == [PLAY[0]], asked
    report = verify(tmp_path / "demo.save", game)
    assert report.ok, report.problem or report.checks
    assert report.turns == played_turns
