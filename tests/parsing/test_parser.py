"""The symbolic parser, by table: input -> expected actions or error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.actions import ActionRegistry
from fabula.actions.standard import (
    Actor,
    Container,
    Exits,
    LightSource,
    Location,
    Named,
    Openable,
    Persona,
    Player,
    Portable,
    Room,
    Supporter,
)
from fabula.ecs import World
from fabula.parsing import Clarification, Meta, Parsed, ParseError, SymbolicParser
from fabula.parsing.words import DIRECTIONS
from fabula.persistence import state_digest

ACTIONS = ActionRegistry()
ACTIONS.discover("fabula.actions.standard")


@dataclass
class Scene:
    world: World
    parser: SymbolicParser
    ids: dict[str, int]

    def parse(self, text: str) -> Any:
        return self.parser.parse(text, self.world, self.ids["me"])

    def actions(self, text: str) -> list[tuple[str, dict[str, Any]]]:
        result = self.parse(text)
        assert isinstance(result, Parsed), result
        return [(p.action, p.params) for p in result.proposals]


@pytest.fixture
def scene() -> Scene:
    w = World(1)
    ids: dict[str, int] = {}
    ids["hall"] = hall = w.spawn(Named("hall"), Room())
    ids["yard"] = yard = w.spawn(Named("yard"), Room())
    w.insert(hall, Exits({"north": yard}))
    ids["me"] = w.spawn(Named("you"), Player(), Actor(), Location(hall))
    ids["brass key"] = w.spawn(Named("brass key"), Portable(), Location(hall))
    ids["iron key"] = w.spawn(Named("iron key"), Portable(), Location(hall))
    ids["lamp"] = w.spawn(
        Named("brass lamp", ("lantern",)), Portable(), LightSource(), Location(hall)
    )
    ids["box"] = w.spawn(Named("wooden box"), Container(), Openable(True), Location(hall))
    ids["coin"] = w.spawn(Named("gold coin"), Portable(), Location(ids["box"]))
    ids["table"] = w.spawn(Named("table"), Supporter(), Location(hall))
    ids["troll"] = w.spawn(Named("troll", ("old-timer",)), Actor(), Persona("Grr."), Location(hall))
    ids["sword"] = w.spawn(Named("sword"), Portable(), Location(ids["me"], "held"))
    ids["dragon"] = w.spawn(Named("red dragon"), Actor(), Location(yard))  # out of sight
    return Scene(w, SymbolicParser(ACTIONS), ids)


CASES = [
    ("look", [("look", {})]),
    ("l", [("look", {})]),
    ("i", [("inventory", {})]),
    ("inventory", [("inventory", {})]),
    ("wait", [("wait", {})]),
    ("z", [("wait", {})]),
    ("n", [("go", {"direction": "north"})]),
    ("north", [("go", {"direction": "north"})]),
    ("go north", [("go", {"direction": "north"})]),
    ("walk sw", [("go", {"direction": "southwest"})]),
    ("go up", [("go", {"direction": "up"})]),
    ("take lantern", [("take", {"item": "lamp"})]),
    ("get the brass lamp", [("take", {"item": "lamp"})]),
    ("pick up the lamp", [("take", {"item": "lamp"})]),
    ("pick lamp up", [("take", {"item": "lamp"})]),
    ("TAKE LAMP!", [("take", {"item": "lamp"})]),
    ("take gold coin", [("take", {"item": "coin"})]),
    ("x lamp", [("examine", {"item": "lamp"})]),
    ("look at the table", [("examine", {"item": "table"})]),
    ("examine me", [("examine", {"item": "me"})]),
    ("drop sword", [("drop", {"item": "sword"})]),
    ("put sword down", [("drop", {"item": "sword"})]),
    ("put the sword in the box", [("put", {"item": "sword", "target": "box"})]),
    ("put sword into wooden box", [("put", {"item": "sword", "target": "box"})]),
    ("put sword on table", [("put", {"item": "sword", "target": "table", "how": "on"})]),
    ("open box", [("open", {"item": "box"})]),
    ("shut the box", [("close", {"item": "box"})]),
    ("unlock box with sword", [("unlock", {"item": "box", "key": "sword"})]),
    ("lock the box with the sword", [("lock", {"item": "box", "key": "sword"})]),
    ("attack troll", [("attack", {"target": "troll"})]),
    ("hit the troll with the sword", [("attack", {"target": "troll", "weapon": "sword"})]),
    ("talk to troll", [("talk", {"target": "troll"})]),
    ("ask troll about the weather", [("talk", {"target": "troll", "topic": "weather"})]),
    ("give sword to troll", [("give", {"item": "sword", "target": "troll"})]),
    ("give troll the sword", [("give", {"item": "sword", "target": "troll"})]),
    ("light lamp", [("switch_on", {"item": "lamp"})]),
    ("turn on the lantern", [("switch_on", {"item": "lamp"})]),
    ("turn lantern off", [("switch_off", {"item": "lamp"})]),
    ("put out the lamp", [("switch_off", {"item": "lamp"})]),
    ("wear sword", [("wear", {"item": "sword"})]),
    ("take sword off", [("take_off", {"item": "sword"})]),
    ("use sword on box", [("use", {"item": "sword", "target": "box"})]),
    ("eat lamp", [("eat", {"item": "lamp"})]),
    ("take lamp and iron key", [("take", {"item": "lamp"}), ("take", {"item": "iron key"})]),
    ("take lamp, iron key", [("take", {"item": "lamp"}), ("take", {"item": "iron key"})]),
    (
        "take all",
        [("take", {"item": k}) for k in ("brass key", "iron key", "lamp", "coin")],
    ),
    ("take all except lamp", [("take", {"item": k}) for k in ("brass key", "iron key", "coin")]),
    ("take everything but the keys", [("take", {"item": k}) for k in ("lamp", "coin")]),
    ("drop all", [("drop", {"item": "sword"})]),
    ("take lamp then go north", [("take", {"item": "lamp"}), ("go", {"direction": "north"})]),
    ("n. e. take lamp", [("go", {"direction": "north"}), ("go", {"direction": "east"}),
                         ("take", {"item": "lamp"})]),
    ("take lamp, n", [("take", {"item": "lamp"}), ("go", {"direction": "north"})]),
    ("hit the troll again", [("attack", {"target": "troll"})]),
    ("head towards the north", [("go", {"direction": "north"})]),
    ("enter", [("go", {"direction": "in"})]),
    ("leave", [("exit", {})]),  # Inform: exiting, which goes out where it can
    ("climb", [("go", {"direction": "up"})]),
    ("climb down", [("go", {"direction": "down"})]),
    ("give sword to the old-timer", [("give", {"item": "sword", "target": "troll"})]),
    ("give the troll the sword", [("give", {"item": "sword", "target": "troll"})]),
]  # fmt: skip


def _named(scene: Scene, expected: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    out = []
    for action, params in expected:
        resolved = {
            k: (scene.ids[v] if k in {"item", "target", "key", "weapon"} else v)
            for k, v in params.items()
        }
        out.append((action, resolved))
    return out


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_commands_parse_to_actions(scene: Scene, text: str, expected: Any) -> None:
    assert scene.actions(text) == _named(scene, expected)


ERRORS = [
    ("", "EMPTY", "I beg your pardon?"),
    ("xyzzy", "UNKNOWN_VERB", 'I don\'t know the word "xyzzy"'),
    ("take", None, "What do you want to take?"),
    ("x ,", "NOT_UNDERSTOOD", 'I understood "x" but not the rest.'),
    ("take the unicorn", "UNKNOWN_NOUN", "You can't see any such thing."),
    ("take the dragon", "NOT_IN_SCOPE", "You can't see any such thing."),
    ("take it", "PRONOUN_GONE", 'I\'m not sure what "it" refers to.'),
    ("again", "NOTHING_TO_REPEAT", "You haven't done anything"),
    ("oops lamp", "NOTHING_TO_CORRECT", "nothing to correct"),
    ("go sideways", "NOT_UNDERSTOOD", 'I understood "go"'),
]


@pytest.mark.parametrize(("text", "code", "message"), ERRORS, ids=[e[0] or "empty" for e in ERRORS])
def test_errors_are_typed_and_helpful(
    scene: Scene, text: str, code: str | None, message: str
) -> None:
    result = scene.parse(text)
    if code is None:
        assert isinstance(result, Clarification)
        assert result.question == message
    else:
        assert isinstance(result, ParseError), result
        assert result.code == code
        assert message in result.message


def test_hidden_and_unknown_things_read_the_same(scene: Scene) -> None:
    hidden = scene.parse("take dragon")
    unknown = scene.parse("take unicorn")
    assert isinstance(hidden, ParseError)
    assert isinstance(unknown, ParseError)
    assert hidden.message == unknown.message
    assert "dragon" not in hidden.message


def test_ambiguity_is_asked_about_and_a_short_answer_completes_it(scene: Scene) -> None:
    question = scene.parse("take key")
    assert isinstance(question, Clarification)
    assert question.question == "Which do you mean, the brass key or the iron key?"
    assert scene.actions("iron") == [("take", {"item": scene.ids["iron key"]})]


def test_a_new_command_replaces_an_unanswered_question(scene: Scene) -> None:
    assert isinstance(scene.parse("take key"), Clarification)
    assert scene.actions("look") == [("look", {})]


def test_a_missing_noun_is_asked_for(scene: Scene) -> None:
    assert isinstance(scene.parse("take"), Clarification)
    assert scene.actions("the lantern") == [("take", {"item": scene.ids["lamp"]})]


def test_pronouns_follow_the_last_thing_named(scene: Scene) -> None:
    scene.actions("x lamp")
    assert scene.actions("take it") == [("take", {"item": scene.ids["lamp"]})]
    scene.actions("take lamp and sword")
    assert scene.actions("drop them") == [
        ("drop", {"item": scene.ids["lamp"]}),
        ("drop", {"item": scene.ids["sword"]}),
    ]


def test_a_pronoun_for_something_gone_says_so(scene: Scene) -> None:
    scene.actions("x lamp")
    scene.world.insert(scene.ids["lamp"], Location(scene.ids["yard"]))
    result = scene.parse("take it")
    assert isinstance(result, ParseError)
    assert result.code == "PRONOUN_GONE"
    assert result.message == 'You can\'t see "it" any more.'


def test_again_repeats_and_oops_corrects(scene: Scene) -> None:
    scene.actions("x lamp")
    assert scene.actions("g") == [("examine", {"item": scene.ids["lamp"]})]
    assert isinstance(scene.parse("take lamb"), ParseError)
    assert scene.actions("oops lamp") == [("take", {"item": scene.ids["lamp"]})]


def test_meta_commands_are_not_game_actions(scene: Scene) -> None:
    for text, command in [("save", "save"), ("undo", "undo"), ("q", "quit"), ("help", "help"),
                          ("score", "score"), ("restore slot2", "restore")]:  # fmt: skip
        result = scene.parse(text)
        assert isinstance(result, Meta)
        assert result.command == command
    assert scene.parse("restore slot2") == Meta("restore", "slot2")


def test_a_chain_stops_at_what_it_cannot_understand(scene: Scene) -> None:
    result = scene.parse("take lamp then dance wildly")
    assert isinstance(result, Parsed)
    assert [p.action for p in result.proposals] == ["take"]
    assert isinstance(result.stopped, ParseError)
    assert result.stopped.code == "UNKNOWN_VERB"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_no_input_crashes_the_parser_or_changes_the_world(text: str) -> None:
    world = World(1)
    hall = world.spawn(Named("hall"), Room())
    me = world.spawn(Named("you"), Actor(), Location(hall))
    world.spawn(Named("brass lamp"), Portable(), Location(hall))
    world.spawn(Named("brass key"), Portable(), Location(hall))
    before = state_digest(world)
    parser = SymbolicParser(ACTIONS)
    for _ in range(2):  # the second parse may answer a question the first asked
        result = parser.parse(text, world, me)
        assert isinstance(result, Parsed | ParseError | Clarification | Meta)
    assert state_digest(world) == before


def test_very_long_input_is_handled(scene: Scene) -> None:
    result = scene.parse("take " + "lamp and " * 5000 + "lamp")
    assert isinstance(result, Parsed | ParseError)


def _single_object_verbs() -> list[tuple[str, str]]:
    """(verb phrase, action) for every standard action taking one thing."""
    from fabula.actions import action_info

    out = []
    for name, action_cls in ACTIONS.items():
        fields = action_cls.Params.model_fields
        if list(fields) == ["item"]:
            info = action_info(action_cls)
            out.extend((verb, name) for verb in info.verbs)
    return out


PHRASES = ["lamp", "the lamp", "brass lamp", "the brass lamp", "lantern", "a lantern"]
GENERATED = [
    (f"{verb} {phrase}", action) for verb, action in _single_object_verbs() for phrase in PHRASES
]


@pytest.mark.parametrize(("text", "action"), GENERATED, ids=[g[0] for g in GENERATED])
def test_every_verb_of_every_one_thing_action_with_every_kind_of_noun(
    scene: Scene, text: str, action: str
) -> None:
    assert scene.actions(text) == [(action, {"item": scene.ids["lamp"]})]


DIRECTION_WORDS = [
    (word, direction, form.format(word))
    for word, direction in DIRECTIONS.items()
    for form in ("{}", "go {}", "walk {}")
]


@pytest.mark.parametrize(
    ("word", "direction", "text"), DIRECTION_WORDS, ids=[d[2] for d in DIRECTION_WORDS]
)
def test_every_direction_word(scene: Scene, word: str, direction: str, text: str) -> None:
    assert scene.actions(text) == [("go", {"direction": direction})]


def test_the_generated_tables_are_large() -> None:
    assert len(GENERATED) + len(DIRECTION_WORDS) + len(CASES) > 200
