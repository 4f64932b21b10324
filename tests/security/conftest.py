"""Fixtures for the hostile tests: the hostile model server, the demo game,
a sandbox to play in, and sessions guarded turn by turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.ai import ModelClient
from fabula.content import ContentGame
from fabula.games import DEMO
from tests.security.guard import Sandbox
from tests.security.sessions import Scenes, parser_client
from tests.support.hostile_model import HostileModel


@pytest.fixture(scope="session")
def game() -> ContentGame:
    return ContentGame.load(DEMO)


@pytest.fixture(scope="session")
def _server() -> Iterator[HostileModel]:
    model = HostileModel()
    model.start()
    yield model
    model.stop()


@pytest.fixture(scope="session")
def client(_server: HostileModel) -> Iterator[ModelClient]:
    """One parser-role client for the hostile server, shared (building the
    SDK's client costs more than most turns)."""
    with parser_client(_server.url) as shared:
        yield shared


@pytest.fixture(scope="session")
def scenes(game: ContentGame, tmp_path_factory: pytest.TempPathFactory) -> Scenes:
    return Scenes(game, tmp_path_factory.mktemp("scenes"))


@pytest.fixture
def model(_server: HostileModel) -> HostileModel:
    """The hostile server, with a fresh script and no requests seen."""
    _server.script()
    _server.requests.clear()
    return _server


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """A save folder a few levels down, the working directory and the data
    home inside the test's directory, and the tree as it was."""
    saves = tmp_path / "data" / "fabula" / "saves"
    saves.mkdir(parents=True)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    box = Sandbox(tmp_path, saves)
    box.before = box.tree()
    return box
