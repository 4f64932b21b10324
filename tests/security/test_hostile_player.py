"""A hostile player: injection, SQL, format strings, Jinja, megabytes,
unicode tricks, control characters, path traversal, undo and again abuse.

Each case of :data:`payloads.PLAYER_INPUTS` is played twice: through the
symbolic parser alone, and through the tiered parser with the hostile model
behind it, whose every answer is drawn (with a seed fixed by the case) from
the hostile answers of :data:`payloads.MODEL_ANSWERS` that the engine
survives today. The guard checks every turn (see guard.py).
"""

from __future__ import annotations

import random
import zlib

import pytest

from fabula.ai import ModelClient
from fabula.content import ContentGame
from tests.security.guard import Sandbox
from tests.security.payloads import MODEL_ANSWERS, PLAYER_INPUTS, PlayerCase
from tests.security.sessions import Scenes, model_parser, start
from tests.support.hostile_model import Answer, HostileModel

_SURVIVED = [Answer(content=case.content) for case in MODEL_ANSWERS if case.bug is None]
_SURVIVED += [Answer(status=500), Answer(status=429), Answer(hang_up=True)]
"""What the hostile model draws from: every answer the engine survives
today, and quick failures of the transport."""


def _cases() -> list[object]:
    return [
        pytest.param(
            case,
            parser,
            id=f"{parser}-{case.category}-{case.id}",
            marks=[pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else [],
        )
        for case in PLAYER_INPUTS
        for parser in ("symbolic", "model")
    ]


def test_the_corpus_is_big_enough() -> None:
    assert len(PLAYER_INPUTS) >= 60
    assert len({case.id for case in PLAYER_INPUTS}) == len(PLAYER_INPUTS)


@pytest.mark.parametrize(("case", "parser"), _cases())
def test_a_hostile_player_gets_an_answer_never_a_change(
    case: PlayerCase,
    parser: str,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    if parser == "model":
        if case.bug:
            # The symbolic parser's answer, so the bug shows the same way.
            model.script(Answer(content='{"actions": []}'))
        else:
            draw = random.Random(zlib.crc32(case.id.encode())).choice
            model.otherwise = lambda _: draw(_SURVIVED)
        guard = start(game, sandbox, scenes, case.scene, parser=model_parser(game, client))
    else:
        guard = start(game, sandbox, scenes, case.scene)
    for line in case.lines:
        guard.play(line)
    guard.play("look")  # the game goes on
    guard.finish()
