"""The context of the demo game along its walkthrough: what each step lets
the player perceive, and the full narrator and parser prompts of the
opening, against their snapshots."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fabula.actions import action_info
from fabula.actions.standard import Named
from fabula.content import Scenery
from fabula.context import (
    FinalPromptBuilder,
    StateContext,
    describe_outcomes,
)
from fabula.prompts import PromptLibrary
from tests.context.demo_play import Memory, Play
from tests.support.snapshots import Snapshots, as_text
from tests.support.walkthrough import WALKTHROUGH

LIBRARY = PromptLibrary.load()
check_snapshot = Snapshots.beside(__file__).check


@pytest.fixture
def play() -> Play:
    return Play()


def lines(context: StateContext) -> dict[str, list[str]]:
    return {
        "things": [str(s) for s in context.things],
        "people": [str(s) for s in context.people],
        "inventory": [str(s) for s in context.inventory],
    }


def test_the_opening(play: Play) -> None:
    context = play.context()
    assert context.location == "Harbour wall"
    assert context.exits == ("north", "east", "west")
    assert lines(context) == {"things": [], "people": [], "inventory": []}
    assert context.status == ("health 12 of 12", "score 0 of 25")
    assert context.perceivable_names() == ("harbour wall",)


def test_the_boathouse_shows_what_lies_on_the_workbench(play: Play) -> None:
    context = play("w").context()
    assert lines(context)["things"] == [
        "a storm lantern",
        "a workbench",
        "a gaff hook (on the workbench)",
        "a tinderbox (on the workbench)",
    ]
    assert "east" in context.exits
    assert "harbour" not in " ".join(context.exits)  # exits never name the room beyond


def test_the_cave_is_dark_without_the_lantern(play: Play) -> None:
    context = play("e; n; in").context()
    assert context.location == "Darkness"
    text = context.text()
    for hidden in ("crab", "heap", "key", "tide cave", "north"):
        assert hidden not in text


def test_the_lantern_shows_the_crab_and_what_it_holds(play: Play) -> None:
    context = play("w; take lantern; take tinderbox; light lantern; e; e; n; in").context()
    assert context.location == "Tide cave"
    assert lines(context)["people"] == ["a giant crab (hostile)"]
    assert "a lighthouse key (held by the giant crab)" in lines(context)["things"]
    assert "a storm lantern (lit)" in lines(context)["inventory"]


def test_the_satchel_hides_the_oil_until_it_is_opened(play: Play) -> None:
    walk = "w; take lantern; take tinderbox and gaff; light lantern; e; e; n; in; "
    play(walk + "attack crab with gaff; g; g; g; g; take key; n")
    closed = play.context()
    assert "a canvas satchel (closed)" in lines(closed)["things"]
    assert "flask of lamp oil" not in closed.text()
    assert "flask of lamp oil" not in closed.perceivable_names()
    opened = play("open satchel").context()
    assert "a flask of lamp oil (in the canvas satchel)" in lines(opened)["things"]
    carried = play("take satchel").context()
    assert lines(carried)["inventory"][:2] == [
        "a canvas satchel (open)",
        "a flask of lamp oil (in the canvas satchel)",
    ]


def test_the_lighthouse_door_as_it_is_unlocked_and_opened(play: Play) -> None:
    walk = "w; take lantern; take tinderbox and gaff; light lantern; e; e; n; in; "
    play(walk + "attack crab with gaff; g; g; g; g; take key; out; s; w; n; e; n")
    assert play.context().exits == ("north (through the lighthouse door: closed, locked)", "south")
    assert play("unlock door with key").context().exits[0] == (
        "north (through the lighthouse door: closed)"
    )
    assert play("open door").context().exits[0] == "north (through the lighthouse door: open)"


@pytest.mark.parametrize("steps", [5, 12, 22, 31, 40, 44])
def test_along_the_walkthrough_the_context_names_only_what_is_perceived(
    play: Play, steps: int
) -> None:
    commands = WALKTHROUGH.split("; ")
    play(";".join(commands[:steps]))
    context = play.context()
    every_name = {
        n.name
        for e, (n,) in play.world.query(Named, readonly=True)
        if e != play.me and not play.world.has(e, Scenery)  # never listed: see below
    }
    allowed = play.names() | {context.location.lower()}
    assert set(context.perceivable_names()) <= allowed
    ours = replace(context, description="").text().lower()  # the authored text aside
    for name in every_name - allowed:
        assert name not in ours, name
    scenery = {n.name for e, (n, _) in play.world.query(Named, Scenery, readonly=True)}
    listed = {s.entity_name for s in (*context.things, *context.people)}
    assert not listed & (scenery - every_name)  # the room's text tells scenery


# --- the full prompts of the opening -------------------------------------------------


def opening(play: Play) -> dict[str, object]:
    """Everything a turn gives the builder, at the opening, after "look"."""
    play("look")
    return {
        "state": play.context(goals=["Light the great lamp on the headland."], events=play.events),
        "memories": [
            Memory("The lighthouse keeper, Ezra, has not been seen for a week.", 0.8),
            Memory("A ship, the Morwenna, is out past the reef.", 0.6),
        ],
        "verdict": describe_outcomes(play.world, play.outcomes),
        "account": play.account,
        "player_input": "look",
    }


@pytest.mark.parametrize("version", LIBRARY.versions("narrator"))
def test_the_opening_narrator_prompt(play: Play, version: str) -> None:
    built = FinalPromptBuilder().build(
        LIBRARY.get("narrator", version), budget=3072, title=play.game.title, **opening(play)
    )
    assert not built.over_budget
    assert sum(built.dropped.values()) == 0
    check_snapshot(f"opening-narrator-{version}.txt", as_text(built.messages))


def test_the_opening_parser_prompt(play: Play) -> None:
    actions = [(n, action_info(cls).description) for n, cls in sorted(play.game.actions.items())]
    built = FinalPromptBuilder().build(
        LIBRARY.get("parser"),
        budget=1024,
        actions=actions,
        things=sorted(play.names()),
        **opening(play),
    )
    assert not built.over_budget
    check_snapshot("opening-parser-1.txt", as_text(built.messages))


def test_a_tight_budget_cuts_the_opening_in_order(play: Play) -> None:
    sections = opening(play)
    prompt = LIBRARY.get("narrator", "1")
    full = FinalPromptBuilder().build(prompt, budget=3072, title=play.game.title, **sections)
    tight = FinalPromptBuilder().build(
        prompt, budget=full.tokens - 40, title=play.game.title, **sections
    )
    assert tight.tokens <= full.tokens - 40
    assert tight.dropped["events"] == 1  # the one event, "look", goes first
    assert tight.dropped["memories"] >= 1  # then memories, the least relevant first
    memories = sorted(sections["memories"], key=lambda m: -m.score)  # type: ignore[attr-defined]
    kept = [m for m in memories if m.text in tight.messages[-1]["content"]]
    assert kept == memories[: len(memories) - tight.dropped["memories"]]
