"""Conditions as expressions: what they may name, what they read, and how
they fail (always a ContentError naming the file and the field)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.content import ContentGame
from fabula.content.expressions import FUNCTIONS, VALUES, Bindings, compile_expression
from fabula.errors import ContentError
from fabula.games import demo


@pytest.fixture(scope="module")
def game() -> ContentGame:
    return demo()


def judge(game: ContentGame, source: str, **variables: object) -> object:
    world = game.new_world(1)
    scope = Bindings(world.view(), game.ids(world), game.player(world), variables=variables)
    expression = compile_expression(source, file="rules.toml", path="rule[1].if",
                                    variables=variables)  # fmt: skip
    return expression.value(scope)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("here('harbour')", True),
        ("here('boathouse')", False),
        ("location == 'harbour'", True),
        ("holding('lantern')", False),
        ("at('lantern', 'boathouse')", True),
        ("within('gaff', 'boathouse')", True),
        ("within('gaff', 'harbour')", False),
        ("state('satchel', 'closed')", True),
        ("is_open('satchel')", False),
        ("lit('lantern') or dead('crab')", False),
        ("alive('crab') and not gone('crab')", True),
        ("gone('no-such-thing')", True),
        ("turn == 0 and score == 0", True),
    ],
)
def test_an_expression_reads_the_world(game: ContentGame, source: str, expected: bool) -> None:
    assert judge(game, source) is expected


def test_variables_are_names(game: ContentGame) -> None:
    assert judge(game, "disturbed + 1 >= 2", disturbed=1) is True


def test_the_ids_passed_as_literals_are_collected() -> None:
    expression = compile_expression(
        "holding('cloak') and state('hook', 'open') and at('x', 'y')", file="f", path="p"
    )
    assert expression.ids == {"cloak", "hook", "x", "y"}


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("holding(cloak", "is not an expression"),
        ("disturbed > 1", "names disturbed, which is not known"),
        ("range(10)", "names range"),
        ("lipsum()", "names lipsum"),
    ],
)
def test_a_bad_expression_is_refused_before_play(source: str, said: str) -> None:
    with pytest.raises(ContentError) as caught:
        compile_expression(source, file="rules.toml", path="rule[3].if")
    assert caught.value.problems[0][:2] == ("rules.toml", "rule[3].if")
    assert said in str(caught.value)


@pytest.mark.parametrize(
    "source",
    ["''.__class__", "holding('a', 'b')", "'x' * 10 ** 9", "score.__class__.__mro__"],
)
def test_what_fails_at_play_is_a_content_error(game: ContentGame, source: str) -> None:
    with pytest.raises(ContentError) as caught:
        judge(game, source)
    assert caught.value.problems[0][:2] == ("rules.toml", "rule[1].if")


names = st.sampled_from([*FUNCTIONS, *VALUES, "and", "or", "not", "(", ")", "'lamp'", "1", ">"])


@given(st.lists(names, max_size=8).map(" ".join))
def test_any_text_compiles_or_is_a_content_error(source: str) -> None:
    problems: list[tuple[str, str, str]] = []
    try:
        compile_expression(source, file="f", path="p")
    except ContentError as exc:
        problems = exc.problems
    assert all(problem[:2] == ("f", "p") for problem in problems)
