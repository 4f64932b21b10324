"""find_game: installed games by id (real entry points), or module:attribute."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fabula.errors import GameNotFoundError
from fabula.simulation import GAMES_GROUP, find_game

HERE = Path(__file__).parent
PERSISTENCE = HERE.parent / "persistence"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A distribution on sys.path declaring the keep game under fabula.games."""
    dist = tmp_path / "keepgame-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: keepgame\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{GAMES_GROUP}]\nkeep = keep_game:KeepGame\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(PERSISTENCE))
    return tmp_path


def test_an_installed_game_is_found_by_its_id(installed: Path) -> None:
    game = find_game("keep")
    assert game.id == "keep"
    assert "pos" in game.components  # the factory was called


def test_an_unknown_id_lists_the_installed_games(installed: Path) -> None:
    with pytest.raises(GameNotFoundError, match=r"no installed game has the id 'cave'.*keep"):
        find_game("cave")


def test_a_reference_imports_the_game(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PERSISTENCE))
    game = find_game("keep_game:GAME")
    assert game is sys.modules["keep_game"].GAME


def test_a_broken_reference_says_what_failed() -> None:
    with pytest.raises(GameNotFoundError, match=r"cannot load game 'nowhere:GAME'.*nowhere"):
        find_game("nowhere:GAME")
