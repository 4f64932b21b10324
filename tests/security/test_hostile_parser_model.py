"""A jailbroken parser model, answering through real HTTP into a real session.

Each case of :data:`payloads.MODEL_ANSWERS` is the model's answer to every
request of one turn (so the parser's second try meets it again). The player
types something only a model could read; whatever comes back, the guard
checks the turn (see guard.py), and the player gets what the case expects:
the model parser's question, the symbolic parser's own answer, or a played
turn whose forbidden actions were refused by the rules.
"""

from __future__ import annotations

import pytest

from fabula.ai import ModelClient
from fabula.content import ContentGame
from tests.security.guard import CLARIFY, Sandbox, Turn
from tests.security.payloads import MODEL_ANSWERS, SAID, ModelCase, params
from tests.security.sessions import Scenes, model_parser, start
from tests.support.hostile_model import Answer, HostileModel


def judge(case: ModelCase, turn: Turn) -> None:
    """Check the player got what ``case`` expects (the guard checked the rest)."""
    if case.expect == "clarify":
        assert not turn.played, f"a turn was played: {turn.reply.text[:200]!r}"
        assert turn.body.startswith(CLARIFY), turn.reply.text[:300]
    elif case.expect == "fallback":
        assert not turn.played, f"a turn was played: {turn.reply.text[:200]!r}"
        assert turn.body == turn.symbolic, turn.reply.text[:300]
    elif case.expect == "refused":
        assert turn.refused, f"not refused: {turn.reply.text[:200]!r}"
        assert tuple(turn.codes) == case.codes
    elif case.expect == "played":
        assert turn.played, turn.reply.text[:300]
        assert tuple(turn.codes) == case.codes
    if not turn.played and case.expect == "any":
        assert turn.body.startswith(CLARIFY) or turn.body == turn.symbolic, turn.reply.text[:300]


@pytest.mark.parametrize("case", params(MODEL_ANSWERS, lambda c: f"{c.category}-{c.id}"))
def test_a_hostile_answer_gets_a_refusal_never_a_change(
    case: ModelCase,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    guard = start(game, sandbox, scenes, case.scene, parser=model_parser(game, client))
    model.script(Answer(content=case.content))
    turn = guard.play(SAID, payloads=[case.content])
    assert model.requests, "the model was never asked"
    judge(case, turn)
    guard.play("look")  # the game goes on
    guard.finish()
