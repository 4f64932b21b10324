"""Fixtures for the memory tests: one real embedder for the whole session
(loading it costs seconds), the demo game, and a store beside a fresh save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.content import ContentGame
from fabula.games import demo
from fabula.memory import LocalEmbedder, MemoryStore
from fabula.persistence import SaveFile
from tests.memory.driver import Driver
from tests.support.embeddings_model import embeddings_server

__all__ = ["embeddings_server"]


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    model = LocalEmbedder()
    model.load()
    return model


@pytest.fixture(scope="session")
def game() -> ContentGame:
    return demo()


@pytest.fixture
def save(tmp_path: Path, game: ContentGame) -> Iterator[SaveFile]:
    save = SaveFile.new(tmp_path / "demo.save", game, seed=game.files.game.seed)
    yield save
    save.close()


@pytest.fixture
def store(save: SaveFile, game: ContentGame, embedder: LocalEmbedder) -> Iterator[MemoryStore]:
    with MemoryStore.open(save.path, game.id, embedder) as store:
        yield store


@pytest.fixture
def driver(save: SaveFile, game: ContentGame, store: MemoryStore) -> Driver:
    return Driver(save, game, store)
