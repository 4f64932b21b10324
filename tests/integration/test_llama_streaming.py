"""Streaming from a real llama.cpp server: the narrator's telling arrives
piece by piece, through the client, the model narrator, and a whole session
with both models, while the world stays exactly what the rules made it.

What a telling must be is asserted whatever the model says (what was shown
is what is returned, the accounting is journalled, a cut stream leaves the
server answering); how much the model says, and so how many pieces, is a
figure. A test about the model's own telling is skipped, saying why, when
the model said nothing and the template told the turn instead."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fabula.ai import ModelClient
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.narration import ModelNarrator, Telling
from fabula.parsing import TieredParser
from fabula.persistence import verify
from fabula.session import Session
from tests.integration.legality import assert_legal, journal_rows
from tests.integration.model_figures import Figures

ACCOUNT = "You take the storm lantern from its nail. It is heavier than it looks."
MESSAGES = [
    {
        "role": "system",
        "content": "You are the narrator of a text adventure. Retell what just happened "
        "in one or two vivid sentences, speaking to the player as 'you'.",
    },
    {"role": "user", "content": ACCOUNT},
]


def told_by_the_model(telling: Telling) -> None:
    """Skip the rest of a test about the model's own telling when the model
    did not tell it (it said nothing): what its telling must be cannot be
    checked then, and how much a model says is not ours to promise."""
    if telling.source != "model":
        pytest.skip(
            f"the template told it ({telling.use.error}): no telling of the model's to check"
        )


def test_a_stream_arrives_in_pieces(narrator_client: ModelClient) -> None:
    """The client reads a real server's event stream to its end (a stream
    that stops before its finish reason raises ``ModelError``), and yields
    only text. How many pieces the answer takes is the model's business."""
    pieces = list(narrator_client.stream(MESSAGES))
    assert all(isinstance(piece, str) and piece for piece in pieces), pieces


def test_the_model_narrator_streams_its_telling(
    narrator_client: ModelClient, figures: Figures
) -> None:
    shown: list[str] = []
    narrator = ModelNarrator(narrator_client, breaker=None, max_chars=4000)
    telling = narrator.tell(MESSAGES, ACCOUNT, prompt="", emit=shown.append)
    figures.telling(telling, len(shown))
    assert telling.use.model == narrator_client.config.model
    assert "".join(shown).rstrip() == telling.text != ""
    assert telling.notice is None  # one telling never opens the circuit
    if telling.source == "template":  # the model said nothing: the account, whole
        assert telling.text == ACCOUNT
        return
    assert telling.use.error == ""
    assert telling.first_token is not None
    assert 0 < telling.first_token <= telling.use.latency


def test_a_streamed_telling_reports_its_tokens(narrator_client: ModelClient) -> None:
    telling = ModelNarrator(narrator_client).tell(MESSAGES, ACCOUNT)
    told_by_the_model(telling)
    assert telling.use.completion_tokens > 0


def test_a_telling_cut_short_leaves_the_server_answering(narrator_client: ModelClient) -> None:
    """The narrator stops reading at ``max_chars`` and drops the stream
    part-way; the server must let go of it and serve the next request."""
    shown: list[str] = []
    telling = ModelNarrator(narrator_client, max_chars=40).tell(
        MESSAGES, ACCOUNT, emit=shown.append
    )
    assert "".join(shown) == telling.text
    list(narrator_client.stream(MESSAGES))  # the next stream is read to its end
    told_by_the_model(telling)
    assert len(telling.text) <= 41  # at most max_chars, and the ellipsis
    if telling.use.error != "cut at 40 characters":
        pytest.skip(f"the model said only {len(telling.text)} characters: nothing was cut")
    assert telling.text.endswith("…")


class Pieces:
    """An ``emit`` callback that keeps each piece with when it arrived."""

    def __init__(self) -> None:
        self.arrived: list[tuple[float, str]] = []

    def __call__(self, piece: str) -> None:
        self.arrived.append((time.perf_counter(), piece))

    @property
    def text(self) -> str:
        return "".join(piece for _, piece in self.arrived)


PLAY = (
    "w",
    "grab the lantern thing",  # to the parser model
    "take the tinderbox",
    "I'd like to go north now",  # to the parser model
    "light the lantern",
    "e",
)


def test_a_session_with_both_models_streams_and_stays_legal(
    parser_client: ModelClient, narrator_client: ModelClient, tmp_path: Path, figures: Figures
) -> None:
    """Whatever either model says, every reply is complete and is what was
    shown piece by piece, every played turn is told (by the model or, when
    it says nothing, by the template) and journalled with its accounting,
    and the save stays legal and replayable."""
    game = ContentGame.load(DEMO)
    model = narrator_client.config.model
    parser = TieredParser(game.actions, parser_client)
    session = Session.start(
        game,
        tmp_path / "both.save",
        new=True,
        parser=parser,
        narrator_model=ModelNarrator(narrator_client),
    )
    told = 0
    try:
        for text in PLAY:
            before = session.save.turn
            pieces = Pieces()
            start = time.perf_counter()
            reply = session.turn(text, emit=pieces)
            returned = time.perf_counter()
            use = reply.trace.uses.get("parser")
            figures.parser_use(use, played=reply.turn > before)
            assert reply.text.strip(), f"{text!r}: an empty reply"
            assert pieces.text == reply.text
            assert all(at <= returned for at, _ in pieces.arrived)
            if use is not None:
                assert reply.trace.roles["parser"]["parser"] == model
            if reply.turn > before:  # a turn was played, so the narrator model was asked
                told += 1
                info = reply.trace.roles["narrator"]
                assert info["narrator"] == model
                assert info["narrator_source"] in ("model", "template"), info
                row = journal_rows(session, before)[-1]
                assert row.models["narrator"] == model
                assert row.models["narrator_source"] == info["narrator_source"]
                assert "narrator_tokens" in row.models
                assert row.models["narrator_prompt"]  # which prompt version told it
                if use is not None:
                    assert row.models["parser"] == model
                    assert {a.source for a in row.actions} <= {"model", "implicit"}
                figures.narration(info, pieces.arrived[0][0] - start, len(pieces.arrived))
            assert_legal(session)
        played = session.save.turn
    finally:
        session.close()
    assert told == played >= 1  # "w" is read by the symbolic parser on any machine
    report = verify(tmp_path / "both.save", game)
    assert report.ok, report.problem or report.checks
