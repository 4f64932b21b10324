"""The template narrator tells outcomes in plain English, from the world and
the outcome only, and a game's templates override the built-in ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Description,
    Door,
    Edible,
    Exits,
    Health,
    Location,
    Lockable,
    Named,
    Openable,
    Persona,
    Player,
    Portable,
    Room,
    Topics,
    Weapon,
    drop_loot,
)
from fabula.ecs import World
from fabula.events import EventBus, OnDeath
from fabula.narration import TemplateNarrator, describe_room
from fabula.parsing import Parsed, SymbolicParser

ACTIONS = ActionRegistry()
ACTIONS.discover("fabula.actions.standard")


class Play:
    """Parser, rules and narrator over one small world, as a session will be."""

    def __init__(self, narrator: TemplateNarrator | None = None) -> None:
        w = self.world = World(5)
        self.hall = w.spawn(
            Named("great hall"), Room(), Description("Banners hang from the rafters.")
        )
        self.cellar = w.spawn(Named("cellar"), Room(dark=True))
        door = w.spawn(Named("oak door"), Door((self.hall, self.cellar)), Openable(), Lockable())
        w.insert(self.hall, Exits({"down": door, "north": self.cellar}))
        self.me = w.spawn(Named("you"), Player(), Actor(), Health(10), Location(self.hall))
        self.key = w.spawn(Named("iron key"), Portable(), Location(self.hall))
        w.get(door, Lockable).key = self.key
        self.chest = w.spawn(Named("chest"), Container(), Openable(), Location(self.hall))
        w.spawn(Named("gold coin"), Portable(), Location(self.chest))
        w.spawn(
            Named("lantern"),
            Portable(),
            Description("A dented lantern.", listing="A dented lantern hangs on a hook."),
            Location(self.hall),
        )
        w.spawn(Named("apple"), Portable(), Edible(2), Location(self.me, "held"))
        w.spawn(Named("knife"), Portable(), Weapon(5), Location(self.me, "held"))
        self.cook = w.spawn(
            Named("Mira", proper=True), Actor(), Persona("Hello, traveller."),
            Topics({"door": "The key is on the floor, silly."}), Health(3, 3), Location(self.hall),
        )  # fmt: skip
        bus = EventBus()
        bus.subscribe(OnDeath, drop_loot(w))
        self.rules = Rules(w, ACTIONS, bus)
        self.parser = SymbolicParser(ACTIONS)
        self.narrator = narrator or TemplateNarrator()

    def say(self, text: str) -> str:
        parsed = self.parser.parse(text, self.world, self.me)
        if not isinstance(parsed, Parsed):
            return getattr(parsed, "message", None) or parsed.question  # type: ignore[union-attr]
        self.narrator.prepare(self.world, parsed.proposals)
        outcomes = []
        for proposal in parsed.proposals:
            outcome = self.rules.attempt(proposal)
            outcomes.append(outcome)
            if not outcome.ok:
                break
        return self.narrator.narrate(self.world, self.me, outcomes)


@pytest.fixture
def play() -> Play:
    return Play()


def test_the_room_reads_naturally(play: Play) -> None:
    assert play.say("look") == (
        "Great hall\n"
        "Banners hang from the rafters.\n"
        "A dented lantern hangs on a hook. Mira is here. "
        "You can also see an iron key and a chest here.\n"
        "Exits: north and down."
    )


def test_room_lists_people_things_and_exits(play: Play) -> None:
    text = describe_room(play.world, play.me)
    lines = text.splitlines()
    assert lines[0] == "Great hall"
    assert "A dented lantern hangs on a hook." in text
    assert "Mira is here." in text
    assert "You can also see an iron key and a chest here." in text
    assert lines[-1] == "Exits: north and down."
    assert "gold coin" not in text  # in the closed chest


def test_a_dark_room_is_only_darkness(play: Play) -> None:
    play.world.insert(play.me, Location(play.cellar))
    assert describe_room(play.world, play.me).startswith("Darkness\nIt is pitch dark.")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("take key", "Taken."),
        ("x lantern", "A dented lantern."),
        ("x chest", "You see nothing special about the chest. It is closed."),
        ("open chest", "You open the chest, revealing a gold coin."),
        ("i", "You are carrying an apple and a knife."),
        ("eat apple", "You eat the apple. It does you good."),
        ("drop knife", "Dropped."),
        ("wait", "Time passes."),
        ("talk to mira", 'Mira says, "Hello, traveller."'),
        ("ask mira about the door", 'Mira says, "The key is on the floor, silly."'),
        (
            "unlock door with key",
            "(first taking the iron key)\nYou unlock the oak door with the iron key. It clicks.",
        ),
        ("go down", "(first opening the oak door)\nThe oak door is locked."),
        ("take mira", "You can't take Mira."),
        ("take the dragon", "You can't see any such thing."),
        ("go west", "You can't go that way."),
        ("take", "What do you want to take?"),
    ],
)
def test_outcomes_are_told(play: Play, command: str, expected: str) -> None:
    assert play.say(command) == expected


def test_several_things_at_once_are_told_one_by_one(play: Play) -> None:
    assert play.say("drop all") == "apple: Dropped.\nknife: Dropped."


def test_a_fight_is_told_blow_by_blow(play: Play) -> None:
    text = play.say("attack mira with knife")
    assert text.startswith("You hit Mira with the knife.")
    assert "Mira falls, and moves no more." in text


def test_a_game_overrides_any_template(tmp_path: Path) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "take.j2").write_text("You pocket {{ the(params.item) }}.")
    play = Play(TemplateNarrator(tmp_path))
    assert play.say("take key") == "You pocket the iron key."
    assert play.say("drop key") == "Dropped."  # everything else is still built in


def test_a_template_typo_is_an_error_not_a_blank(tmp_path: Path) -> None:
    # Issue 12: the error names the template's file and line (a ContentError).
    from fabula.errors import ContentError

    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "take.j2").write_text("\n{{ the(params.itme) }}")
    play = Play(TemplateNarrator(tmp_path))
    with pytest.raises(ContentError) as caught:
        play.say("take key")
    ((file, where, message),) = caught.value.problems
    assert file.endswith("actions/take.j2")
    assert where == "line 2"
    assert "itme" in message
