"""A session with a narrator model and long-term memory, all real: a Chroma
store beside the save, the local embedding model, a real HTTP server. The
narrator's prompt carries what memory recalls (lore about what the player
asks of, and the turns they saw); memory follows the save through undo and
a crash. Gating and scoring are tested in tests/memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.ai import CircuitBreaker, ModelClient, ModelConfig, RoleConfig
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.memory import LocalEmbedder, MemoryStore
from fabula.narration import Brain, ModelNarrator, open_memory
from fabula.session import Session
from tests.support.scripted_model import Script, chunks


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    model = LocalEmbedder()
    model.load()
    return model


def start(url: str, path: Path, embedder: LocalEmbedder, *, new: bool) -> Session:
    game = ContentGame.load(DEMO)
    role = RoleConfig(model="bard", base_url=url, retries=0)
    client = ModelClient("narrator", role, sleep=lambda _: None)
    store = MemoryStore.open(path, game.id, embedder)
    store.index_lore(game)
    brain = Brain(game, ModelConfig(narrator=role), memory=store)
    return Session.start(
        game, path, new=new, narrator_model=ModelNarrator(client, CircuitBreaker("narrator")),
        brain=brain,
    )  # fmt: skip


@pytest.fixture
def told(server: tuple[str, Script]) -> tuple[str, Script]:
    url, script = server
    script.answers = [(200, chunks(["It is done."])) for _ in range(40)]
    return url, script


def user_prompt(script: Script) -> str:
    return str(script.requests[-1]["messages"][-1]["content"])


def test_the_narrator_is_told_what_memory_recalls(
    told: tuple[str, Script], tmp_path: Path, embedder: LocalEmbedder
) -> None:
    url, script = told
    session = start(url, tmp_path / "g.save", embedder, new=True)
    for command in ("w", "take lantern", "e", "n"):
        assert session.turn(command).text == "It is done."
    session.turn("ask tamsin about the crab")
    prompt = user_prompt(script)
    assert "Remembered:" in prompt
    assert "crab the size of a cartwheel" in prompt  # lore about what was asked
    assert '"take lantern"' in prompt  # the turns just played, in the state's recent events
    assert session.brain is not None
    store = session.brain.memory
    assert store is not None
    session.brain.settle()  # memory is written behind, off the turn's path
    assert [e.turn for e in store.history()] == [1, 2, 3, 4, 5]
    assert all("player" in e.witnesses for e in store.history())
    assert "Taken." in store.history()[1].text  # the account, the same as without a model
    session.turn("undo")
    assert [e.turn for e in store.history()] == [1, 2, 3, 4]  # memory follows the save back
    session.close()


def test_a_turn_memory_missed_in_a_crash_is_rebuilt_on_opening(
    told: tuple[str, Script], tmp_path: Path, embedder: LocalEmbedder
) -> None:
    url, _ = told
    path = tmp_path / "g.save"
    session = start(url, path, embedder, new=True)
    for command in ("w", "take lantern", "take tinderbox"):
        session.turn(command)
    assert session.brain is not None
    assert session.brain.memory is not None
    session.brain.settle()
    live = [(e.turn, e.text, e.source) for e in session.brain.memory.history()]
    session.brain.memory.forget_after(1)  # as if the process died before writing them
    session.close()

    again = start(url, path, embedder, new=False)  # opening syncs memory with the journal
    assert again.brain is not None
    assert again.brain.memory is not None
    rebuilt = [(e.turn, e.text, e.source) for e in again.brain.memory.history()]
    assert rebuilt == live  # exactly what live play wrote
    again.close()


def test_memory_that_cannot_open_is_reported_and_the_game_goes_on(tmp_path: Path) -> None:
    game = ContentGame.load(DEMO)
    blocker = tmp_path / "g.save.memory"
    blocker.write_text("not a folder")
    store, notice = open_memory(ModelConfig().memory, game, tmp_path / "g.save")
    assert store is None
    assert notice is not None
    assert notice.startswith("Long-term memory is off:")
    assert str(blocker) in notice or "memory" in notice
