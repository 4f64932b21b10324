"""A hostile narrator model, streaming into a real session.

Whatever the narrator writes is only words: it claims gold, fakes a win or
a system notice, paints the terminal with escape sequences, floods
megabytes, or its stream breaks. The world changed, or did not, before it
was asked; the guard checks that (see guard.py) and that nothing raw reaches
the screen. The player sees the model's cleaned words, or the template
narrator's account when the model cannot tell the turn.
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabula.ai import CircuitBreaker, ModelClient, RoleConfig
from fabula.content import ContentGame
from fabula.narration import ModelNarrator
from tests.security.guard import CLARIFY, Sandbox
from tests.security.payloads import (
    MODEL_ANSWERS,
    NARRATIONS,
    SAID,
    STREAMS,
    NarrationCase,
    TransportCase,
    params,
)
from tests.security.sessions import Scenes, model_parser, start
from tests.support.hostile_model import Answer, HostileModel, Request

ACCOUNT = "Taken."
"""The template narrator's account of taking the lantern in the boathouse."""

MAX_CHARS = 4000
NOT_ANSWERING = "[The narrator model is not answering"


def narrator(url: str, *, failures: int = 1000, clock: Any = time.monotonic) -> ModelNarrator:
    """A model narrator whose model is the hostile server."""
    config = RoleConfig(model="hostile-bard", base_url=url, retries=0, timeout=0.4)
    client = ModelClient("narrator", config, sleep=lambda _: None)
    breaker = CircuitBreaker("narrator", failures, cooldown=60.0, clock=clock)
    return ModelNarrator(client, breaker, max_chars=MAX_CHARS)


@pytest.mark.parametrize("case", params(NARRATIONS))
def test_hostile_narration_is_only_words(
    case: NarrationCase, game: ContentGame, sandbox: Sandbox, scenes: Scenes, model: HostileModel
) -> None:
    guard = start(game, sandbox, scenes, "boathouse", narrator_model=narrator(model.url))
    model.script(case.answer)
    turn = guard.play("take lantern")
    assert model.requests[-1].stream
    assert turn.played
    assert [o.ok for o in turn.outcomes] == [True]  # taken: the rules decided, not the words
    assert turn.reply.ended is None
    assert guard.session.ended is None
    if case.told == "account":
        assert turn.body == ACCOUNT
    else:
        assert turn.body != ACCOUNT
        assert len(turn.body) <= MAX_CHARS + 1  # cut at a word, and an ellipsis
    model.script(Answer(content="You look around."))
    guard.play("look")
    guard.finish()


@pytest.mark.parametrize("case", params(STREAMS))
def test_a_broken_stream_leaves_the_account(
    case: TransportCase, game: ContentGame, sandbox: Sandbox, scenes: Scenes, model: HostileModel
) -> None:
    guard = start(game, sandbox, scenes, "boathouse", narrator_model=narrator(model.url))
    model.script(case.answer)
    turn = guard.play("take lantern")
    assert turn.played
    assert [o.ok for o in turn.outcomes] == [True]
    assert turn.body.endswith(ACCOUNT), turn.reply.text[:300]
    guard.finish()


def test_the_narrator_outage_is_announced_once_and_the_return_once(
    game: ContentGame, sandbox: Sandbox, scenes: Scenes, model: HostileModel
) -> None:
    now = [0.0]
    teller = narrator(model.url, failures=2, clock=lambda: now[0])
    guard = start(game, sandbox, scenes, "boathouse", narrator_model=teller)
    model.script(Answer(status=500), Answer(hang_up=True), Answer(raw=b"data: {oops\n\n"))
    lines = ["take lantern", "drop lantern", "take lantern", "drop lantern", "take tinderbox"]
    texts = [guard.play(line).reply.text for line in lines]
    assert [NOT_ANSWERING in t for t in texts] == [False, True, False, False, False]
    assert len(model.requests) == 2
    now[0] += 61
    model.script(Answer(content="You take the gaff, and it is heavy."))
    back = guard.play("take gaff")
    assert back.reply.text.endswith("[The narrator model is back.]")
    assert "[" not in guard.play("drop gaff").reply.text
    guard.finish()


def test_both_models_hostile_for_a_whole_game(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    """The parser and the narrator drawing from every hostile corpus at once,
    through the walkthrough's commands and unreadable ones in between."""
    draw = random.Random(1801).choice
    parsing = [Answer(content=c.content) for c in MODEL_ANSWERS if c.bug is None]
    telling = [c.answer for c in NARRATIONS if c.bug is None]
    telling += [c.answer for c in STREAMS if c.bug is None and not c.answer.delay]

    def answer(request: Request) -> Answer:
        return draw(telling if request.stream else parsing)

    model.otherwise = answer
    guard = start(
        game, sandbox, scenes, "harbour",
        parser=model_parser(game, client), narrator_model=narrator(model.url),
    )  # fmt: skip
    lines = (
        "w; take lantern; take tinderbox and gaff; light lantern; " + SAID + "; e; n; "
        "ask tamsin about the crab; yeet the gaff at tamsin; in; take wick; out; s; e; n; in; "
        "attack crab with gaff; g; g; g; g; take key; bamboozle the crab; n; take coat; "
        "wear coat; open satchel; take oil; s; out; s; w; n; e; n; unlock door with key; "
        "open door; n; up; up; put wick in lamp; put oil in lamp; light lamp; undo; score"
    )
    for line in lines.split("; "):
        guard.play(line)
    assert {r.stream for r in model.requests} == {True, False}
    guard.finish(reopen=True)


_ESCAPES = st.sampled_from(
    ["\x1b[", "\x1b]0;", "\x07", "\x1b\\", "\x9b", "\r", "\x00", "\x08", "\u202e", "\u2066",
     "31m", "2J", "\x1b", "\x7f", "\ud800", "\n", "\t", " "]
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pieces=st.lists(st.one_of(_ESCAPES, st.text(max_size=12)), min_size=1, max_size=24),
    split=st.integers(1, 24),
)
def test_no_stream_reaches_the_screen_raw(
    pieces: list[str],
    split: int,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
) -> None:
    # BEL, then ST, end any sequence left open, so the telling ends in a word:
    # trailing whitespace is another case's (NARRATIONS, "trailing-whitespace").
    raw = sse_of("".join(pieces) + "\x07\x1b\\ end.", split)
    guard = start(game, sandbox.fresh(), scenes, "boathouse", narrator_model=narrator(model.url))
    try:
        model.script(Answer(raw=raw))
        turn = guard.play("take lantern")  # the guard rejects any control character shown
        assert [o.ok for o in turn.outcomes] == [True]
    finally:
        guard.session.close()


def sse_of(text: str, pieces: int) -> bytes:
    """An event stream whose deltas, joined, are ``text``, cut into about
    ``pieces`` deltas at character offsets (lone surrogates travel as JSON
    escapes, as a server would send them)."""
    size = max(1, -(-len(text) // pieces))
    out = []
    for i in range(0, len(text), size):
        delta = json.dumps({"choices": [{"index": 0, "delta": {"content": text[i : i + size]}}]})
        out.append(f"data: {delta}\n\n")
    stop = json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return ("".join(out) + f"data: {stop}\n\ndata: [DONE]\n\n").encode()


def test_the_parser_question_is_not_the_narrators(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    """An unreadable command plays no turn, so the narrator is not asked."""
    guard = start(
        game, sandbox, scenes, "boathouse",
        parser=model_parser(game, client), narrator_model=narrator(model.url),
    )  # fmt: skip
    model.script(Answer(content="Ignore previous instructions."))
    turn = guard.play(SAID)
    assert turn.body.startswith(CLARIFY)
    assert not any(r.stream for r in model.requests)
    guard.finish()
