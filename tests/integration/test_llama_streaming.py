"""Streaming from a real llama.cpp server: the narrator's telling arrives
piece by piece, through the client, the model narrator, and a whole session
with both models, while the world stays exactly what the rules made it."""

from __future__ import annotations

import time
from pathlib import Path

from fabula.ai import ChatClient, TieredParser
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.narration.model import ModelNarrator
from fabula.persistence.verify import verify
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


def test_a_stream_arrives_in_pieces(narrator_client: ChatClient) -> None:
    pieces = list(narrator_client.stream(MESSAGES))
    assert len(pieces) > 1, pieces
    assert "".join(pieces).strip()


def test_the_model_narrator_streams_its_telling(
    narrator_client: ChatClient, figures: Figures
) -> None:
    shown: list[str] = []
    narrator = ModelNarrator(narrator_client, breaker=None, max_chars=4000)
    telling = narrator.tell(MESSAGES, ACCOUNT, prompt="", emit=shown.append)
    figures.telling(telling, len(shown))
    assert telling.source == "model", telling.error
    assert telling.error == ""
    assert telling.model == narrator_client.config.model
    assert len(shown) > 1
    assert "".join(shown).rstrip() == telling.text != ""
    assert telling.first_token is not None
    assert 0 < telling.first_token <= telling.latency
    assert narrator.take_notice() is None  # nothing went wrong, nothing to announce


def test_a_streamed_telling_reports_its_tokens(narrator_client: ChatClient) -> None:
    telling = ModelNarrator(narrator_client).tell(MESSAGES, ACCOUNT)
    assert telling.source == "model"
    assert telling.completion_tokens > 0


def test_a_telling_cut_short_leaves_the_server_answering(narrator_client: ChatClient) -> None:
    """The narrator stops reading at ``max_chars`` and drops the stream
    part-way; the server must let go of it and serve the next request."""
    shown: list[str] = []
    telling = ModelNarrator(narrator_client, max_chars=40).tell(
        MESSAGES, ACCOUNT, emit=shown.append
    )
    assert telling.source == "model"
    assert telling.error == "cut at 40 characters"
    assert telling.text.endswith("…")
    assert len(telling.text) <= 41
    assert "".join(shown) == telling.text
    assert "".join(narrator_client.stream(MESSAGES)).strip()


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
    parser_client: ChatClient, narrator_client: ChatClient, tmp_path: Path, figures: Figures
) -> None:
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
            use = parser.last_model_use
            figures.parser_use(use, played=reply.turn > before)
            assert reply.text.strip(), f"{text!r}: an empty reply"
            assert pieces.text == reply.text
            assert all(at <= returned for at, _ in pieces.arrived)
            if use is not None:
                assert "error" not in use, f"{text!r}: the parser model failed: {use}"
                assert reply.trace.roles["parser"]["parser"] == model
            if reply.turn > before:  # a turn was played, so the narrator model told it
                told += 1
                info = reply.trace.roles["narrator"]
                assert info["narrator"] == model
                assert info["narrator_source"] == "model", info
                first, last = pieces.arrived[0][0], pieces.arrived[-1][0]
                assert len(pieces.arrived) > 1, f"{text!r}: told in one piece"
                assert first < last  # shown as it came, not all at once at the end
                row = journal_rows(session, before)[-1]
                assert row.models["narrator"] == model
                assert row.models["narrator_source"] == "model"
                assert "narrator_tokens" in row.models
                assert row.models["narrator_prompt"]  # which prompt version told it
                if use is not None:
                    assert row.models["parser"] == model
                    assert {a.source for a in row.actions} <= {"model"}
                figures.narration(info, first - start, len(pieces.arrived))
            assert_legal(session)
    finally:
        session.close()
    assert told >= 4  # w, take, light, e: read by the symbolic parser, told by the model
    report = verify(tmp_path / "both.save", game)
    assert report.ok, report.problem or report.checks
