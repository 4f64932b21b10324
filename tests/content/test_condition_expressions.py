"""Every condition table also takes an expression (``if = "..."``, or the
expression alone where a condition is expected), compiled when the game
loads, and judged with the table's other clauses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions.standard import Location
from fabula.content import ContentGame, holds, load
from fabula.content.schema import Condition
from fabula.errors import ContentError
from fabula.memory import read_lore

LITTLE = Path(__file__).parent / "games" / "little"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "little"
    shutil.copytree(LITTLE, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_condition_may_be_an_expression_alone_or_beside_its_fields() -> None:
    assert Condition.model_validate("holding('key')").if_ == "holding('key')"
    both = Condition.model_validate({"in_room": "hall", "if": "turn > 2"})
    assert (both.in_room, both.if_) == ("hall", "turn > 2")


def test_the_win_holds_only_when_its_expression_holds_too(root: Path) -> None:
    _edit(root / "game.toml", 'holding = ["crown"]', "if = \"holding('key')\"")
    game = ContentGame.load(root)
    world = game.new_world(3)
    assert game.ending(world) is None
    me, key = game.player(world), game.ids(world)["key"]
    world.insert(key, Location(me, "held"))
    assert game.ending(world) == "won"
    assert game.files.win is not None
    assert holds(world, game.files.win, game.ids(world), me)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("holding('sceptre')", "'sceptre' is not an id of this game"),
        ("holding('key'", "is not an expression"),
        ("carrying('key')", "carrying, which is not known"),
    ],
)
def test_a_bad_expression_in_a_condition_is_reported_at_load(
    root: Path, source: str, says: str
) -> None:
    _edit(root / "game.toml", 'holding = ["crown"]', f'if = "{source}"')
    with pytest.raises(ContentError) as caught:
        load(root)
    [(file, path, message)] = caught.value.problems
    assert (file, path) == ("little/game.toml", "win.if")
    assert says in message


def test_hints_take_an_expression_for_when(root: Path) -> None:
    (root / "hints.toml").write_text(
        '[[hints]]\ntopic = "The cellar?"\nhints = ["Look down."]\n'
        "when = \"here('hall') and not holding('lamp')\"\n"
        '\n[[hints]]\ntopic = "Bad?"\nhints = ["x"]\nuntil = "holding(lamp)"\n'
    )
    with pytest.raises(ContentError) as caught:
        load(root)
    found = [(p[0], p[1]) for p in caught.value.problems]
    assert found == [("little/hints.toml", "hints.1.until.if")]


def test_lore_gates_take_an_expression(tmp_path: Path) -> None:
    folder = tmp_path / "lore"
    folder.mkdir()
    good = folder / "good.md"
    good.write_text("+++\nrequires = { if = \"holding('key')\" }\n+++\nA key.\n")
    assert read_lore(good, folder, {"key"}).meta.requires.if_ == "holding('key')"  # type: ignore[union-attr]
    with pytest.raises(ContentError) as caught:
        read_lore(good, folder, {"lamp"})
    assert "'key' is not an id of this game" in caught.value.problems[0][2]
    bad = folder / "bad.md"
    bad.write_text('+++\nrequires = { if = "holding(" }\n+++\nA key.\n')
    with pytest.raises(ContentError) as caught:
        read_lore(bad, folder)
    assert caught.value.problems[0][1] == "requires.if"
