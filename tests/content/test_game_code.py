"""A game folder's Python is one package: its actions import its own
components relatively; it registers what it defines; replacing a standard
action is declared; a stray import that would undo an override is an error;
and world files attach registered components by name, validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions.standard import Drop
from fabula.content import ContentGame
from fabula.errors import ContentError

LITTLE = Path(__file__).parent / "games" / "little"

COMPONENT = """
from fabula.ecs import component


@component(name="shine")
class Shine:
    level: int = 1
"""

POLISH = """
from fabula.actions import Action, NoParams, action

from ..components.shine import Shine


@action("polish", description="Polish things.", verbs=("polish",))
class Polish(Action):
    Params = NoParams

    def execute(self, ctx, params):
        ctx.world.insert(ctx.actor, Shine(2))
"""


def _game(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "little"
    shutil.copytree(LITTLE, root)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _drop(overrides: bool) -> str:
    declared = '    overrides = "drop"\n' if overrides else ""
    return (
        "from fabula.actions import action\n"
        "from fabula.actions.standard import Drop\n\n\n"
        '@action("drop", description="Fling.", verbs=("drop", "fling"))\n'
        f'class Fling(Drop):\n    """drop, flung."""\n\n{declared}'
    )


def test_an_action_imports_its_own_component_relatively(tmp_path: Path) -> None:
    root = _game(tmp_path, {"components/shine.py": COMPONENT, "actions/polish.py": POLISH})
    game = ContentGame.load(root)
    assert "polish" in game.actions
    assert "shine" in game.components
    world = game.new_world(3)
    sim = game.simulation(world)
    assert sim.rules.attempt({"action": "polish", "actor": game.player(world), "params": {}}).ok
    shine = game.components.get("shine")
    assert world.get(game.player(world), shine).level == 2


def test_a_declared_override_replaces_the_standard_action(tmp_path: Path) -> None:
    game = ContentGame.load(_game(tmp_path, {"actions/fling.py": _drop(True)}))
    assert game.actions.get("drop").__name__ == "Fling"


def test_an_undeclared_override_is_an_error_naming_both(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        ContentGame.load(_game(tmp_path, {"actions/fling.py": _drop(False)}))
    [(file, where, message)] = caught.value.problems
    assert (file, where) == ("little/actions/fling.py", "Fling")
    assert "fabula.actions.standard.handling.Drop" in message
    assert "overrides = 'drop'" in message


def test_a_stray_import_that_would_undo_an_override_is_an_error(tmp_path: Path) -> None:
    stray = "from fabula.actions.standard import Drop\n"
    root = _game(tmp_path, {"actions/fling.py": _drop(True), "actions/zz_stray.py": stray})
    with pytest.raises(ContentError) as caught:
        ContentGame.load(root)
    [(file, where, message)] = caught.value.problems
    assert (file, where) == ("little/actions/zz_stray.py", "Drop")
    assert "little/actions/fling.py overrides (Fling)" in message
    assert Drop.__name__ == "Drop"


def test_an_import_error_names_the_file_and_line(tmp_path: Path) -> None:
    root = _game(tmp_path, {"actions/broken.py": "x = 1\nfrom ..components.nothing import Y\n"})
    with pytest.raises(ContentError) as caught:
        ContentGame.load(root)
    [(file, where, message)] = caught.value.problems
    assert file.endswith("actions/broken.py")
    assert where == "line 2"
    assert "ModuleNotFoundError" in message


def test_world_files_attach_registered_components_with_checked_fields(tmp_path: Path) -> None:
    extra = (
        '[items.gem]\nname = "gem"\nlocation = "porch"\ncomponents = { shine = { level = 3 } }\n'
    )
    root = _game(tmp_path, {"components/shine.py": COMPONENT, "world/gem.toml": extra})
    game = ContentGame.load(root)
    world = game.new_world(3)
    assert world.get(game.ids(world)["gem"], game.components.get("shine")).level == 3
    bad = (
        '[items.gem]\nname = "gem"\nlocation = "porch"\n'
        'components = { shine = { level = "very" }, glow = {} }\n'
    )
    (root / "world" / "gem.toml").write_text(bad)
    with pytest.raises(ContentError) as caught:
        ContentGame.load(root)
    paths = [path for _, path, _ in caught.value.problems]
    assert paths == ["items.gem.components.shine.level", "items.gem.components.glow"]
