"""Games as files: loading, every problem reported at once, building the world."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions.standard import Health, LightSource, Location, Lockable, room_of
from fabula.content import ContentGame, load
from fabula.errors import ContentError
from fabula.persistence import state_digest

LITTLE = Path(__file__).parent / "games" / "little"


def test_a_good_game_loads() -> None:
    files = load(LITTLE)
    assert files.game.id == "little"
    assert sorted(files.rooms) == ["cellar", "hall", "porch"]
    assert files.origin["crown"] == "little/world/things.toml"


def test_building_is_deterministic_and_complete() -> None:
    game = ContentGame.load(LITTLE)
    one, two = game.new_world(3), game.new_world(3)
    assert state_digest(one) == state_digest(two)
    ids = game.ids(one)
    player = game.player(one)
    assert room_of(one, player) == ids["porch"]
    assert one.get(ids["crown"], Location) == Location(ids["chest"], "in")
    assert one.get(ids["trapdoor"], Lockable).key == ids["key"]
    assert not one.get(ids["lamp"], LightSource).lit


def test_the_game_plays_to_a_win_and_to_a_loss() -> None:
    game = ContentGame.load(LITTLE)
    world = game.new_world(3)
    sim = game.simulation(world)
    me = game.player(world)
    ids = game.ids(world)

    def do(action: str, **params: int | str) -> None:
        (outcome,) = sim.play([{"action": action, "actor": me, "params": params}])[-1:]
        assert outcome.ok, outcome.refusal

    do("take", item=ids["key"])
    do("go", direction="north")
    do("take", item=ids["lamp"])
    do("switch_on", item=ids["lamp"])
    do("unlock", item=ids["trapdoor"], key=ids["key"])
    do("open", item=ids["trapdoor"])
    do("go", direction="down")
    while ids["rat"] in world and world.get(ids["rat"], Health).hp > 0:
        do("attack", target=ids["rat"])
    do("open", item=ids["chest"])
    do("take", item=ids["crown"])
    assert game.ending(world) is None
    do("go", direction="up")
    do("go", direction="south")
    assert game.ending(world) == "won"
    world.get(me, Health).hp = 0
    assert game.ending(world) == "lost"


def copy_game(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(LITTLE, target)
    return target


def test_every_problem_is_reported_at_once_with_file_and_field(tmp_path: Path) -> None:
    root = copy_game(tmp_path)
    manifest = (root / "game.toml").read_text().replace('start = "porch"', 'start = "garden"')
    (root / "game.toml").write_text(manifest)
    (root / "world" / "more.toml").write_text(
        "[rooms.attic]\n"
        'name = "attic"\n'
        'exits = { down = "landing", west = { to = "hall", door = "hatch" } }\n'
        "[items.key]\n"
        'name = "second key"\n'
        'location = "porch"\n'
        "[items.pebble]\n"
        'name = "pebble"\n'
        'location = "in:lamp"\n'
        'colour = "grey"\n'
    )
    with pytest.raises(ContentError) as info:
        load(root)
    problems = {(file, path) for file, path, _ in info.value.problems}
    assert ("broken/game.toml", "game.start") in problems
    assert ("broken/world/things.toml", "items.key") in problems  # duplicate id
    assert ("broken/world/more.toml", "items.pebble.colour") in problems  # unknown key
    text = str(info.value)
    assert "'garden' is not a room" in text
    assert "already used in broken/world/more.toml" in text
    assert "items.pebble.colour: unknown field" in text  # issue 14: says so, not "Extra inputs"
    assert text.startswith("the game has ")


def test_references_are_checked_across_files(tmp_path: Path) -> None:
    root = copy_game(tmp_path)
    (root / "world" / "more.toml").write_text(
        "[rooms.attic]\n"
        'name = "attic"\n'
        'exits = { down = "landing", west = { to = "hall", door = "hatch" } }\n'
        "[items.pebble]\n"
        'name = "pebble"\n'
        'location = "in:lamp"\n'
        "[items.note]\n"
        'name = "note"\n'
        'location = "held:ghost"\n'
    )
    with pytest.raises(ContentError) as info:
        load(root)
    messages = {(path, message) for _, path, message in info.value.problems}
    assert ("rooms.attic.exits.down", "leads to 'landing', which is not a room") in messages
    assert ("rooms.attic.exits.west", "door 'hatch' is not a door") in messages
    assert ("items.pebble.location", "'lamp' is not a container") in messages
    assert ("items.note.location", "'ghost' is not a person (or 'player')") in messages


def test_broken_toml_and_missing_files_are_reported(tmp_path: Path) -> None:
    root = copy_game(tmp_path)
    (root / "world" / "places.toml").write_text("[rooms.porch\nname = ")
    (root / "game.toml").unlink()
    with pytest.raises(ContentError) as info:
        load(root)
    text = str(info.value)
    assert "broken/game.toml: missing; every game needs one" in text
    assert "broken/world/places.toml: not valid TOML" in text
    with pytest.raises(ContentError, match="no such game folder"):
        load(tmp_path / "nowhere")


def test_fabula_validate_reports_a_sound_game_and_a_broken_one(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "200"}
    good = subprocess.run(
        [sys.executable, "-m", "fabula", "validate", str(LITTLE)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert good.returncode == 0, good.stdout + good.stderr
    assert "A Little Test (little) is sound: 3 rooms, 1 door, 4 items, 1 person" in good.stdout
    root = copy_game(tmp_path)
    (root / "world" / "more.toml").write_text(
        '[items.pebble]\nname = "pebble"\nlocation = "moon"\n'
    )
    bad = subprocess.run(
        [sys.executable, "-m", "fabula", "validate", str(root)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2  # every error a user must fix: 2 (issue 12)
    assert "'moon' is not a room" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_fabula_new_scaffolds_a_game_that_can_be_won(tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "my-first-game"
    done = subprocess.run(
        [sys.executable, "-m", "fabula", "new", str(target)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"fabula play {target}" in done.stdout
    again = subprocess.run(
        [sys.executable, "-m", "fabula", "new", str(target)], capture_output=True, text=True
    )
    assert again.returncode == 2  # a FabulaError: 2 (issue 12)
    assert "already exists" in again.stderr
    from fabula.session import Session

    session = Session.start(ContentGame.load(target), tmp_path / "s.save", new=True)
    assert session.game.id == "my-first-game"
    for command in ["open drawer", "take key", "take medal", "unlock door with key",
                    "open door", "n"]:  # fmt: skip
        session.turn(command)
    assert session.ended == "won"


def test_installed_plugins_add_actions_through_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = tmp_path / "fabula_dance-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fabula-dance\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[fabula.actions]\ndance = fabula_dance\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "plugin_src"))
    game = ContentGame.load(LITTLE)
    assert "dance" in game.actions
    from fabula.session import Session

    session = Session.start(game, tmp_path / "s.save", new=True)
    assert session.turn("jig").text == "Done."
    assert session.save.turn == 1
