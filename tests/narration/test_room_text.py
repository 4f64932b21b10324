"""Room descriptions and examine text follow the world, as Inform's do:
paragraphs, then "You can also see", then what lies on and in things;
scenery never listed; state variants; the dead told as dead."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Description,
    Health,
    LightSource,
    Location,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Supporter,
    contents,
)
from fabula.content import Appearance, Handled, Scenery, Visits
from fabula.ecs import World
from fabula.events import EventBus
from fabula.narration import TemplateNarrator, describe_room, description

ACTIONS = ActionRegistry()
ACTIONS.discover("fabula.actions.standard")


class Study:
    """A lit study with a bit of everything a room description tells."""

    def __init__(self) -> None:
        w = self.world = World(1)
        self.room = w.spawn(
            Named("study"),
            Room(),
            Description("A cramped study."),
            Appearance(descriptions=(("visited", "The study again."),)),
            Visits(1),
        )
        self.me = w.spawn(Named("you"), Player(), Actor(), Health(5), Location(self.room))
        self.desk = w.spawn(
            Named("desk"),
            Supporter(),
            Description("An oak desk.", listing="A desk fills a corner."),
            Location(self.room),
        )
        w.spawn(Named("pen"), Portable(), Location(self.desk, "on"))
        self.table = w.spawn(Named("table"), Supporter(), Location(self.room))
        w.spawn(Named("cup"), Portable(), Location(self.table, "on"))
        w.spawn(Named("saucer"), Portable(), Location(self.table, "on"))
        self.chest = w.spawn(
            Named("chest"),
            Container(),
            Openable(),
            Description("A chest."),
            Appearance(descriptions=(("open", "A chest, lid up."), ("closed", "A shut chest."))),
            Location(self.room),
        )
        w.spawn(Named("coin"), Portable(), Location(self.chest))
        self.jar = w.spawn(
            Named("jar"), Container(transparent=True), Openable(), Location(self.room)
        )
        w.spawn(Named("marbles", plural=True), Portable(), Location(self.jar))
        self.lamp = w.spawn(
            Named("lamp"),
            Portable(),
            LightSource(),
            Description("A lamp."),
            Appearance((("lit", "A lamp, alight."),), initial="A lamp hangs on a hook."),
            Location(self.room),
        )
        self.clock = w.spawn(
            Named("clock"), Scenery(), Description("Stopped."), Location(self.room)
        )
        self.cat = w.spawn(
            Named("cat"),
            Actor(),
            Health(1),
            Description("A cat, asleep.", listing="A cat dozes by the fire."),
            Location(self.room),
        )

    def look(self) -> str:
        return describe_room(self.world, self.me)


@pytest.fixture
def study() -> Study:
    return Study()


def test_the_room_reads_in_inform_order(study: Study) -> None:
    assert study.look() == (
        "Study\n"
        "A cramped study.\n"
        "A desk fills a corner. On the desk is a pen. A lamp hangs on a hook. "
        "A cat dozes by the fire. "
        "You can also see a table, a chest and a jar here. "
        "On the table are a cup and a saucer. In the jar are some marbles."
    )


def test_scenery_and_closed_containers_keep_their_secrets(study: Study) -> None:
    text = study.look()
    assert "clock" not in text
    assert "coin" not in text
    study.world.get(study.chest, Openable).open = True
    assert "In the chest is a coin." in study.look()


def test_the_initial_appearance_ends_once_handled(study: Study) -> None:
    study.world.insert(study.lamp, Handled())
    text = study.look()
    assert "hangs on a hook" not in text
    assert "You can also see a table, a chest, a jar and a lamp here." in text


def test_without_paragraphs_you_simply_see(study: Study) -> None:
    w = study.world
    for thing in (study.desk, study.lamp, study.cat):
        w.despawn(thing)
    assert "\nYou can see a table, a chest and a jar here." in study.look()


def test_the_dead_are_told_as_dead(study: Study) -> None:
    study.world.get(study.cat, Health).hp = 0
    assert "The cat lies dead here." in study.look()
    assert "dozes" not in study.look()
    assert description(study.world, study.cat) == "The cat is dead."


def test_a_return_visit_reads_the_visited_text(study: Study) -> None:
    assert "A cramped study." in study.look()
    study.world.get(study.room, Visits).count = 2
    assert "The study again." in study.look()


@pytest.mark.parametrize(
    ("thing", "expected"),
    [
        ("desk", "An oak desk. On the desk is a pen."),
        ("table", "You see nothing special about the table. On the table are a cup and a saucer."),
        ("chest", "A shut chest."),
        ("jar", "You see nothing special about the jar. It is closed. In the jar are some marbles."),  # noqa: E501
        ("lamp", "A lamp."),
        ("clock", "Stopped."),
    ],
)  # fmt: skip
def test_examine_tells_the_state_and_what_is_on_or_in(
    study: Study, thing: str, expected: str
) -> None:
    assert description(study.world, getattr(study, thing)) == expected


def test_examine_follows_the_state(study: Study) -> None:
    study.world.get(study.chest, Openable).open = True
    assert description(study.world, study.chest) == "A chest, lid up. In the chest is a coin."
    study.world.get(study.lamp, LightSource).lit = True
    assert description(study.world, study.lamp) == "A lamp, alight."


def test_templates_can_ask_for_a_state(tmp_path: Path) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "examine.j2").write_text(
        "{% if state(params.item, 'open and empty') %}Nothing in it.{% else %}"
        "{{ description(params.item) }}{% endif %}"
    )
    study = Study()
    narrator = TemplateNarrator(tmp_path)
    rules = Rules(study.world, ACTIONS, EventBus())
    coin = next(iter(contents(study.world, study.chest)))
    study.world.get(study.chest, Openable).open = True
    study.world.insert(coin, Location(study.me, "held"))
    outcome = rules.attempt(
        {"action": "examine", "actor": study.me, "params": {"item": study.chest}}
    )
    assert narrator.narrate(study.world, study.me, [outcome]) == "Nothing in it."
