"""grammar.toml: new words and patterns for existing actions, checked before
play, each problem naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions import action_info
from fabula.content import ContentGame
from fabula.errors import ContentError
from fabula.session import Session

RULED = Path(__file__).parent / "games" / "ruled"


def game_with(tmp_path: Path, grammar: str) -> ContentGame:
    root = tmp_path / "ruled"
    shutil.copytree(RULED, root)
    (root / "grammar.toml").write_text(grammar, encoding="utf-8")
    return ContentGame.load(root)


def turns(game: ContentGame, tmp_path: Path, *lines: str) -> list[str]:
    session = Session.start(game, tmp_path / "g.save", new=True)
    try:
        return [session.turn(line).text for line in lines]
    finally:
        session.close()


def test_a_pattern_fills_the_action_parameters_in_order(tmp_path: Path) -> None:
    game = game_with(
        tmp_path,
        '[[understand]]\npattern = "drape [thing] over [thing]"\naction = "put"\n'
        'set = { how = "on" }\n',
    )
    out = turns(game, tmp_path, "take cloak", "w", "drape cloak over hook")
    assert "You hang the cloak on the hook" in out[-1]


def test_words_work_in_every_phrasing_of_the_action(tmp_path: Path) -> None:
    game = game_with(tmp_path, '[[understand]]\nwords = ["hang", "suspend"]\naction = "put"\n')
    out = turns(game, tmp_path, "take cloak", "w", "suspend the cloak on the hook")
    assert "You hang the cloak on the hook" in out[-1]
    assert action_info(game.actions.get("put")).verbs[-2:] == ("hang", "suspend")


def test_without_grammar_the_phrasing_is_not_understood(tmp_path: Path) -> None:
    out = turns(ContentGame.load(RULED), tmp_path, "take cloak", "w", "drape cloak over hook")
    assert "You hang the cloak" not in out[-1]


@pytest.mark.parametrize(
    ("grammar", "where", "says"),
    [
        ('[[understand]]\nwords = ["hang"]\naction = "dangle"\n', "understand.0(hang)", "no act"),
        ('[[understand]]\naction = "put"\n', "understand.0", "give `words` or a `pattern`"),
        (
            '[[understand]]\npattern = "x [a] [b] [c] [d]"\naction = "put"\n',
            "understand.0(x [a] [b] [c] [d])",
            "more [slots]",
        ),
        (
            '[[understand]]\npattern = "[thing] dangle"\naction = "put"\n',
            "understand.0([thing] dangle)",
            "starts with a word",
        ),
        (
            '[[understand]]\npattern = "hang [thing]"\naction = "put"\nset = { colour = "x" }\n',
            "understand.0(hang [thing])",
            "`set` names colour",
        ),
        ('[[understand]]\nwords = ["hang"]\naction = "put"\ncolour = 1\n', "understand.0", ""),
    ],
)
def test_mistakes_name_the_file_and_the_entry(
    tmp_path: Path, grammar: str, where: str, says: str
) -> None:
    with pytest.raises(ContentError) as caught:
        game_with(tmp_path, grammar)
    [(file, at, problem)] = caught.value.problems
    assert file == "grammar.toml"
    assert at.startswith(where)
    assert says in problem
