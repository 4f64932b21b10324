"""A parser model's server failing below the words: error statuses, bodies
that are not completions, hang-ups, answers slower than the timeout, and a
model that stays down. The player gets the symbolic parser's own answer (or
the model parser's question), every turn completes, and the circuit
breaker's notice appears once when it opens and once when the model is back.
"""

from __future__ import annotations

import json

import pytest

from fabula.ai import ModelClient
from fabula.content import ContentGame
from tests.security.guard import CLARIFY, Sandbox, Turn
from tests.security.payloads import ENVELOPES, SAID, TransportCase, params
from tests.security.sessions import PARSER_TIMEOUT, Scenes, model_parser, parser_client, start
from tests.support.hostile_model import Answer, HostileModel

NOT_ANSWERING = "[The parser model is not answering"
BACK = "[The parser model is back.]"


def _fails_below_the_words(answer: Answer) -> bool:
    return answer.status != 200 or answer.hang_up or answer.delay > 0


def fell_back(turn: Turn) -> bool:
    """The player got the symbolic parser's own answer."""
    return not turn.played and turn.body == turn.symbolic


@pytest.mark.parametrize("case", params(ENVELOPES))
def test_a_broken_server_leaves_the_symbolic_answer(
    case: TransportCase,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    guard = start(game, sandbox, scenes, "boathouse", parser=model_parser(game, client))
    model.script(case.answer)
    asked = len(model.requests)
    turn = guard.play(SAID)
    # each request is bounded by the client's timeout; the turn by their number
    assert len(model.requests) - asked <= 2, "the turn kept asking a broken server"
    if _fails_below_the_words(case.answer):
        assert fell_back(turn), turn.reply.text[:300]
    else:  # a 200 the SDK could read: an empty or odd answer
        assert fell_back(turn) or turn.body.startswith(CLARIFY), turn.reply.text[:300]
    guard.play("take lantern")
    guard.finish()


def test_retries_are_bounded_and_the_turn_still_completes(
    game: ContentGame, sandbox: Sandbox, scenes: Scenes, model: HostileModel
) -> None:
    slept: list[float] = []
    client = parser_client(model.url, sleep=slept.append, retries=3, backoff=0.01)
    guard = start(game, sandbox, scenes, "boathouse", parser=model_parser(game, client))
    model.script(Answer(status=503), Answer(status=429), Answer(hang_up=True), Answer(status=500))
    turn = guard.play(SAID)
    assert fell_back(turn)
    assert len(model.requests) == 4  # the first try and three retries, no more
    assert len(slept) == 3
    guard.finish()


def test_a_4xx_is_not_retried(
    game: ContentGame, sandbox: Sandbox, scenes: Scenes, model: HostileModel
) -> None:
    client = parser_client(model.url, retries=3)
    guard = start(game, sandbox, scenes, "boathouse", parser=model_parser(game, client))
    model.script(Answer(status=400))
    assert fell_back(guard.play(SAID))
    assert len(model.requests) == 1
    guard.finish()


def test_the_outage_is_announced_once_and_the_return_once(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    now = [0.0]
    parser = model_parser(game, client, failures=3, clock=lambda: now[0])
    guard = start(game, sandbox, scenes, "boathouse", parser=parser)
    model.script(Answer(status=500), Answer(hang_up=True), Answer(status=429), Answer(status=503))
    turns = [guard.play(SAID) for _ in range(8)]
    notices = [t.reply.text for t in turns if t.reply.text.startswith("[")]
    assert len(notices) == 1, notices
    assert notices[0].startswith(NOT_ANSWERING)
    assert turns[2].reply.text.startswith(NOT_ANSWERING)  # when the third failure opens it
    assert all(fell_back(t) for t in turns)
    assert len(model.requests) == 3  # an open circuit does not ask

    now[0] += 61  # the cooldown passes: one trial, which fails quietly
    assert not guard.play(SAID).reply.text.startswith("[")
    assert len(model.requests) == 4
    assert not guard.play(SAID).reply.text.startswith("[")
    assert len(model.requests) == 4

    now[0] += 61  # the next trial succeeds: the return is announced once
    model.script(
        Answer(content=json.dumps({"actions": [{"action": "take", "item": "storm lantern"}]}))
    )
    back = guard.play(SAID)
    assert back.reply.text.startswith(BACK)
    assert back.played
    assert [o.ok for o in back.outcomes] == [True]
    model.script(Answer(content=json.dumps({"actions": [{"action": "take", "item": "tinderbox"}]})))
    assert not guard.play("pocket the tinderbox").reply.text.startswith("[")
    guard.finish()


def test_an_open_circuit_stops_waiting_on_a_slow_model(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    parser = model_parser(game, client, failures=2)
    guard = start(game, sandbox, scenes, "boathouse", parser=parser)
    model.script(Answer(delay=2 * PARSER_TIMEOUT, content='{"actions": []}'))
    slow = [guard.play(SAID) for _ in range(2)]
    assert slow[1].reply.text.startswith(NOT_ANSWERING + " (timed out)")
    asked = len(model.requests)
    fast = guard.play(SAID)
    assert len(model.requests) == asked, "an open circuit still asked the model"
    assert fell_back(fast)
    assert not fast.reply.text.startswith("[")
    guard.finish()


def test_the_first_request_is_cut_to_the_budget(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    guard = start(game, sandbox, scenes, "boathouse", parser=model_parser(game, client))
    model.script(Answer(content='{"actions": []}'))
    guard.play("frobnicate " * 100_000)  # a megabyte the symbolic parser cannot read
    budget = client.config.context_tokens * 4  # generously, four characters a token
    assert [len(r.user_text()) <= budget for r in model.requests] == [True]
    guard.finish()


def test_the_retry_request_is_cut_to_the_budget(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    guard = start(game, sandbox, scenes, "boathouse", parser=model_parser(game, client))
    flood = json.dumps({"actions": [{"action": "take", "item": "a" * 3_000_000}]})
    model.script(Answer(content=flood))
    guard.play(SAID)
    budget = client.config.context_tokens * 4
    sizes = [len(r.user_text()) for r in model.requests]
    guard.finish()
    assert all(size <= budget for size in sizes), sizes


def test_the_fake_model_answers_plain_and_streaming_requests(model: HostileModel) -> None:
    """A check of the fake itself: the same script serves both kinds of request."""
    model.script(Answer(content="plain"), Answer(content="streamed", pieces=3))
    client = parser_client(model.url)
    assert client.complete([{"role": "user", "content": "hi"}]).text == "plain"
    assert "".join(client.stream([{"role": "user", "content": "hi"}])) == "streamed"
    assert [r.stream for r in model.requests] == [False, True]
