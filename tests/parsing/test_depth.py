"""Parser depth: lines split into commands, ordinals and numbers, places
("from Y"), pronouns by gender and number, orders, the implied listener,
topics, and errors that say how far they understood."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.content import ContentGame
from fabula.ecs import World
from fabula.games import demo
from fabula.parsing import Clarification, Parsed, ParseError, SymbolicParser, lore_subjects
from fabula.parsing.ordinals import count_of
from fabula.parsing.words import split_commands, tokenize

COUNTING = Path(__file__).parents[1] / "conformance" / "games" / "cmdline"


@pytest.fixture(scope="module")
def counting() -> ContentGame:
    return ContentGame.load(COUNTING)


@pytest.fixture
def world(counting: ContentGame) -> World:
    return counting.new_world(counting.files.game.seed)


@pytest.fixture
def parser(counting: ContentGame) -> SymbolicParser:
    return SymbolicParser(counting.actions)


def ids(game: ContentGame, world: World) -> dict[str, int]:
    return dict(game.ids(world.view()))


def parsed(parser: SymbolicParser, text: str, world: World, game: ContentGame) -> Parsed:
    result = parser.parse(text, world.view(), game.player(world.view()))
    assert isinstance(result, Parsed), result
    return result


def test_a_line_splits_into_commands_each_parsed_alone(parser: SymbolicParser) -> None:
    assert parser.split("take coin. drop it then i; look") == ["take coin", "drop it", "i", "look"]
    assert parser.split("take coin, drop coin") == ["take coin", "drop coin"]
    assert parser.split("take coin, key") == ["take coin, key"]  # one command, given back whole
    assert parser.split("jonas, give me the marble") == ["jonas, give me the marble"]


@given(st.text(max_size=80))
def test_splitting_never_fails_and_keeps_every_word(text: str) -> None:
    tokens = tokenize(text)
    pieces = split_commands(tokens, {"take", "drop", "i"})
    kept = [t for piece in pieces for t in piece if t != ","]
    assert kept == [t for t in tokens if t not in {".", ";", "then", ","}]


def test_counting_words() -> None:
    assert (count_of("two"), count_of("both"), count_of("7"), count_of("coin")) == (2, 2, 7, None)


def test_ordinals_pick_in_a_stable_order(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    known = ids(counting, world)
    first = parsed(parser, "take first key", world, counting).proposals[0]
    second = parsed(parser, "take second key", world, counting).proposals[0]
    assert first.params["item"] == known["brass-key"]
    assert second.params["item"] == known["iron-key"]


def test_numbers_take_that_many_and_say_when_there_are_fewer(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    two = parsed(parser, "take two coins", world, counting)
    assert len(two.proposals) == 2
    assert two.each
    few = parser.parse("take five coins", world.view(), counting.player(world.view()))
    assert isinstance(few, ParseError)
    assert few.message == "Only three of those are available."


def test_from_names_what_a_place_holds(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    known = ids(counting, world)
    marble = parsed(parser, "take marble from box", world, counting).proposals[0]
    assert marble.params["item"] == known["marble"]
    cup = parsed(parser, "take all off the table", world, counting).proposals
    assert [p.params["item"] for p in cup] == [known["cup"]]
    wrong = parser.parse("take cup from box", world.view(), counting.player(world.view()))
    if isinstance(wrong, Parsed):  # a game with an action of its own for it: its rules refuse
        assert wrong.proposals[0].action != "take"
    else:
        assert wrong.message == "You can't see any such thing."  # type: ignore[union-attr]


def test_pronouns_follow_gender_and_number(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    known = ids(counting, world)
    parsed(parser, "x jonas", world, counting)
    parsed(parser, "x box", world, counting)
    parsed(parser, "x scissors", world, counting)
    assert parsed(parser, "x him", world, counting).proposals[0].params["item"] == known["jonas"]
    assert parsed(parser, "x it", world, counting).proposals[0].params["item"] == known["box"]
    them = parsed(parser, "x them", world, counting).proposals[0]
    assert them.params["item"] == known["scissors"]
    parsed(parser, "take brass key and iron key", world, counting)
    assert len(parsed(parser, "drop them", world, counting).proposals) == 2


def test_orders_are_the_persons_own_actions(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    known = ids(counting, world)
    order = parsed(parser, "jonas, give me the marble", world, counting).proposals[0]
    assert (order.action, order.actor, order.source) == ("give", known["jonas"], "order")
    assert order.params == {"item": known["marble"], "target": counting.player(world.view())}
    box = parser.parse("box, wait", world.view(), counting.player(world.view()))
    assert isinstance(box, ParseError)
    assert "animate" in box.message


def test_ask_about_implies_the_one_person_here(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    known = ids(counting, world)
    ask = parsed(parser, "ask about coins", world, counting).proposals[0]
    assert ask.params == {"target": known["jonas"], "topic": "coins"}


def test_topics_match_what_the_words_name(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    """Jonas has replies about "coins" and "marble": "glass" names the glass
    marble, and "ledger" a lore subject tagged "coins"."""
    known = ids(counting, world)
    parser.subjects = ((("counting", "ledger"), ("ledger", "coins")),)
    for asked, key in [("glass", "marble"), ("the ledger", "coins"), ("coins", "coins")]:
        ask = parsed(parser, f"ask jonas about {asked}", world, counting).proposals[0]
        assert ask.params == {"target": known["jonas"], "topic": key}


def test_lore_subjects_are_read_from_a_games_lore() -> None:
    subjects = dict(lore_subjects(demo().files.lore))
    assert "ship" in subjects[("morwenna",)]


def test_errors_say_how_far_they_understood(
    parser: SymbolicParser, world: World, counting: ContentGame
) -> None:
    me = counting.player(world.view())
    result = parser.parse("x box xyzzy", world.view(), me)
    assert isinstance(result, ParseError)
    assert result.message == "I only understood you as far as wanting to examine the wooden box."
    assert isinstance(parser.parse("take", world.view(), me), Clarification)
    nothing = parser.parse("drop all", world.view(), me)
    assert isinstance(nothing, ParseError)
    assert nothing.message == "There are none at all available!"
