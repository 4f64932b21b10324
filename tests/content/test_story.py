"""The story's data in a game's files (fabula.content.story): awards,
further endings, the timeline and hints, checked like the rest of a game
and judged by the same conditions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions.standard import Health, Location, Score
from fabula.content import Achievements, ContentGame, load, scaffold
from fabula.errors import ContentError
from fabula.events import OnMessage

LITTLE = Path(__file__).parent / "games" / "little"

STORY = """
[awards.cellar]
points = 3
task = "finding the cellar"
when = { in_room = "cellar" }

[[endings]]
result = "lost"
killed = ["rat"]
message = "You should not have hurt the rat."

[[endings]]
result = "lost"
turns_at_least = 5
message = "Dawn comes, and you are still here."

[[timeline]]
turn = 2
message = "A clock strikes somewhere."

[[timeline]]
turn = 3
message = "The rat squeaks below."
unless = { scored = ["cellar"] }
"""

HINTS = """
[[hints]]
topic = "How do I open the trapdoor?"
hints = ["It is locked.", "UNLOCK TRAPDOOR WITH KEY"]
until = [{ in_room = "cellar" }, { scored = ["crown"] }]
"""


def story_game(tmp_path: Path, story: str = STORY, hints: str = HINTS) -> Path:
    root = tmp_path / "story"
    shutil.copytree(LITTLE, root)
    with (root / "game.toml").open("a") as manifest:
        manifest.write(story)
    (root / "hints.toml").write_text(hints)
    return root


def test_the_story_loads(tmp_path: Path) -> None:
    files = load(story_game(tmp_path))
    assert files.awards["cellar"].points == 3
    assert [e.result for e in files.endings] == ["lost", "lost"]
    assert [t.turn for t in files.timeline] == [2, 3]
    assert files.hints[0].until[1].scored == ["crown"]
    assert len(files.conditions()) == 2 + 1 + 2 + 1 + 2  # win, lose, award, endings, ...


def test_a_single_until_is_a_list_of_one(tmp_path: Path) -> None:
    hints = '[[hints]]\ntopic = "Where?"\nhints = ["Here."]\nuntil = { in_room = "hall" }\n'
    files = load(story_game(tmp_path, hints=hints))
    assert [c.in_room for c in files.hints[0].until] == ["hall"]


def test_story_problems_are_reported_with_their_place(tmp_path: Path) -> None:
    story = """
[awards.bad]
points = 0
task = "nothing"
when = { in_room = "attic" }

[[endings]]
killed = ["key"]
scored = ["lamp"]

[[endings]]
result = "draw"

[[timeline]]
message = "When?"

[mystery]
x = 1
"""
    hints = '[[hints]]\ntopic = "?"\nhints = []\n'
    with pytest.raises(ContentError) as info:
        load(story_game(tmp_path, story, hints))
    found = {(file, path) for file, path, _ in info.value.problems}
    assert ("story/game.toml", "awards.bad.points") in found
    assert ("story/game.toml", "endings.1.result") in found
    assert ("story/game.toml", "timeline.0.turn") in found
    assert ("story/game.toml", "mystery") in found
    assert ("story/hints.toml", "hints.0.hints") in found
    messages = {(path, message) for _, path, message in info.value.problems}
    assert ("endings.0.killed", "'key' is not a person") in messages
    assert ("endings.0.scored", "'lamp' is neither an award nor an item with points") in messages


def test_a_condition_in_hints_is_reported_against_hints_toml(tmp_path: Path) -> None:
    hints = '[[hints]]\ntopic = "?"\nhints = ["!"]\nwhen = { in_room = "attic" }\n'
    with pytest.raises(ContentError) as info:
        load(story_game(tmp_path, "", hints))
    assert ("story/hints.toml", "hints.0.when.in_room") in {
        (f, p) for f, p, _ in info.value.problems
    }


def test_awards_endings_and_the_timeline_run_in_the_simulation(tmp_path: Path) -> None:
    game = ContentGame.load(story_game(tmp_path))
    world = game.new_world(game.files.game.seed)
    simulation = game.simulation(world)
    ids, me = game.ids(world), game.player(world)
    with simulation.bus.record() as events:
        simulation.play([])
        simulation.play([])
    assert [e.text for e in events if isinstance(e, OnMessage)] == ["A clock strikes somewhere."]
    world.insert(me, Location(ids["cellar"]))
    with simulation.bus.record() as events:
        simulation.play([])  # turn 3: the award first, so the rat is not heard
    assert not [e for e in events if isinstance(e, OnMessage)]
    assert world.get(me, Score).points == 3
    assert world.get(me, Achievements) == Achievements(
        ("award:cellar",), (3,), ("finding the cellar",)
    )
    simulation.play([])
    assert world.get(me, Score).points == 3  # once only
    assert game.ending(world) is None
    world.get(ids["rat"], Health).hp = 0
    assert game.ending_message(world) == ("lost", "You should not have hurt the rat.")
    world.get(ids["rat"], Health).hp = 2
    simulation.play([])
    assert game.ending_message(world) == ("lost", "Dawn comes, and you are still here.")


def test_a_new_game_comes_with_a_hint(tmp_path: Path) -> None:
    files = load(scaffold(tmp_path / "fresh"))
    assert [h.topic for h in files.hints] == ["How do I get into the garden?"]
