"""What ``fabula validate`` catches before play: a typo reported once with
the rest of its entry still checked, bounds, lore front matter, unreachable
rooms and things (warnings), and whole problem lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console

from fabula.cli.validate import run_validate
from fabula.content import load, unreachable
from fabula.errors import ContentError

LITTLE = Path(__file__).parent / "games" / "little"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "little"
    shutil.copytree(LITTLE, target)
    return target


def _problems(root: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return caught.value.problems


def test_a_typo_is_one_problem_and_the_real_bad_location_is_still_found(root: Path) -> None:
    (root / "world" / "more.toml").write_text(
        '[items.pebble]\nname = "pebble"\nlocation = "moon"\nportible = true\n\n'
        '[items.grain]\nname = "grain"\nlocation = "on:pebble"\n'
    )
    problems = [(path, message) for _, path, message in _problems(root)]
    assert problems == [
        ("items.pebble.portible", "unknown field; did you mean 'portable'?"),
        ("items.pebble.location", "'moon' is not a room"),
        ("items.grain.location", "'pebble' is not a supporter"),
    ]


def test_max_score_cannot_be_negative(root: Path) -> None:
    manifest = root / "game.toml"
    manifest.write_text(manifest.read_text().replace("max_score = 10", "max_score = -3"))
    assert [p[1] for p in _problems(root)] == ["player.max_score"]


def test_rooms_no_exit_leads_to_and_what_is_in_them_are_warned_of(root: Path) -> None:
    (root / "world" / "attic.toml").write_text(
        '[rooms.attic]\nname = "attic"\n\n[items.doll]\nname = "doll"\nlocation = "attic"\n'
        '\n[items.dress]\nname = "dress"\nlocation = "held:ghost"\n'
        '\n[npcs.ghost]\nname = "ghost"\nlocation = "attic"\n'
    )
    warnings = [(field, message) for _, field, message in unreachable(load(root))]
    assert [field for field, _ in warnings] == [
        "rooms.attic", "items.doll.location", "items.dress.location", "npcs.ghost.location"
    ]  # fmt: skip
    assert "no exit leads to 'attic'" in warnings[0][1]


def test_validate_prints_each_problem_whole(root: Path) -> None:
    long_id = "a-very-long-identifier-that-goes-on-and-on-well-past-eighty-columns"
    (root / "world" / "more.toml").write_text(
        f'[items.{long_id}]\nname = "pebble"\nlocation = "nowhere-at-all-in-this-game"\n'
    )
    console = Console(width=80, record=True)
    assert run_validate(root, console) == 2
    text = console.export_text()
    assert f"items.{long_id}.location: 'nowhere-at-all-in-this-game' is not a room" in text


def test_validate_checks_lore_front_matter(root: Path) -> None:
    (root / "lore").mkdir()
    (root / "lore" / "ghost.md").write_text('+++\ntitle = "x"\nimportance = 99\n+++\nBoo.\n')
    console = Console(width=80, record=True)
    assert run_validate(root, console) == 2
    assert "lore/ghost.md" in console.export_text()
