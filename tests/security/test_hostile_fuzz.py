"""Random hostility: hypothesis writes the parser model's answers and the
player's input, and the guard checks every turn (see guard.py).

The answers are JSON shaped like the schema the model was given (real
action ids and thing names among impossible ones, every kind of value in
every slot), arbitrary JSON, and either of them cut short. The inputs are
random bytes as a terminal would decode them, random text, and random
sentences of the game's own words and the parser's meta words.

Known bugs are kept out of the draws so that a failure here is news: values
that are lists or objects where the model parser expects an action id or a
thing (payloads.UNHASHABLE), input made only of command separators
(payloads.SEPARATORS), and lone surrogates (payloads.SURROGATE) each have
their own xfail case.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fabula.ai import ModelClient
from fabula.content import ContentGame
from fabula.parsing.words import split_commands, tokenize
from tests.security.guard import Sandbox
from tests.security.payloads import MODEL_ANSWERS, SAID, SCENES
from tests.security.sessions import Scenes, model_parser, start
from tests.support.hostile_model import Answer, HostileModel

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ACTION_IDS = [
    "attack", "close", "drink", "drop", "eat", "examine", "give", "go", "inventory", "lock",
    "look", "open", "put", "switch_off", "switch_on", "take", "take_off", "talk", "unlock",
    "use", "wait", "wear",
]  # fmt: skip
THINGS = [
    "storm lantern", "tinderbox", "gaff hook", "workbench", "lighthouse key", "giant crab",
    "heap of bright things", "tamsin", "lighthouse door", "great lamp", "you", "player",
]  # fmt: skip
SLOTS = ["item", "target", "key", "weapon", "direction", "topic", "how", "actor", "source"]

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=24),
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
_item = st.fixed_dictionaries(
    {"action": st.one_of(st.sampled_from([*ACTION_IDS, "set_score", "", "__import__"]), _scalars)},
    optional={
        slot: st.one_of(st.sampled_from([*THINGS, "north", "up", "in", "on", "xyzzy"]), _scalars)
        for slot in SLOTS
    },
)
_shaped = st.lists(st.one_of(_item, _json), max_size=6).map(lambda items: {"actions": items})
_answers = st.one_of(
    _shaped.map(json.dumps),
    _json.map(json.dumps),
    st.tuples(_shaped.map(json.dumps), st.floats(0, 1)).map(
        lambda t: t[0][: int(len(t[0]) * t[1])]
    ),
    st.text(max_size=200),
)

_WORDS = [
    *ACTION_IDS, *[w for thing in THINGS for w in thing.split()], "all", "it", "them", "and",
    "with", "in", "on", "to", "about", "from", "n", "s", "e", "w", "up", "down", "out", ".",
    ",", ";", "then", "g", "again", "oops", "undo", "save", "restore", "score", "help", "?",
    "the", "a", "me", "x", "l", "i", "z", "../..", "/etc/passwd", "%s", "{0}", "{{ x }}",
]  # fmt: skip
_inputs = st.one_of(
    st.binary(max_size=120).map(lambda b: b.decode("utf-8", "replace")),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=10).map(" ".join),
)


def _readable(text: str) -> bool:
    """Not made only of command separators (payloads.SEPARATORS' case)."""
    tokens = tokenize(text)
    return not tokens or bool(split_commands(tokens))


@FUZZ
@given(answer=_answers, scene=st.sampled_from(sorted(SCENES)))
def test_random_model_answers_never_break_the_rules(
    answer: str,
    scene: str,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    guard = start(game, sandbox.fresh(), scenes, scene, parser=model_parser(game, client))
    try:
        model.script(Answer(content=answer))
        guard.play(SAID, payloads=[answer])
        guard.play("look")
    finally:
        guard.session.close()


_SURVIVED = [Answer(content=case.content) for case in MODEL_ANSWERS if case.bug is None]


@FUZZ
@given(
    lines=st.lists(_inputs, min_size=1, max_size=4),
    parser=st.sampled_from(["symbolic", "model"]),
    seed=st.integers(0, 2**16),
)
def test_random_input_never_breaks_the_rules(
    lines: list[str],
    parser: str,
    seed: int,
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    model: HostileModel,
    client: ModelClient,
) -> None:
    assume(all(_readable(line) for line in lines))
    options: dict[str, Any] = {}
    if parser == "model":
        draw = random.Random(seed).choice
        model.otherwise = lambda _: draw(_SURVIVED)
        options["parser"] = model_parser(game, client)
    box = sandbox.fresh()
    guard = start(game, box, scenes, "boathouse", **options)
    try:
        for line in lines:
            guard.play(line)
    finally:
        guard.session.close()
    assert box.strays(game.id) == []
