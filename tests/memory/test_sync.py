"""History stays in step with the save: after an undo, a crash, a restore, a
reopen, and when the embedder changes."""

from __future__ import annotations

from pathlib import Path

from fabula.content import ContentGame
from fabula.memory import LocalEmbedder, MemoryStore, OpenAIEmbedder
from fabula.narration import TemplateNarrator
from fabula.persistence import SaveFile
from fabula.session import Session
from tests.memory.driver import Driver
from tests.support.embeddings_model import Behaviour
from tests.support.walkthrough import WALKTHROUGH, commands


def test_undo_forgets_the_turns_taken_back(driver: Driver, store: MemoryStore) -> None:
    driver.play_all("w; take lantern; e; n; talk to tamsin")
    driver.save.undo()
    driver.save.undo()
    assert store.forget_after(driver.save.turn) == 2
    assert [e.turn for e in store.history()] == [1, 2, 3]
    driver.play("s")  # a different turn 4
    assert store.history()[-1].text.startswith("[turn 4, harbour wall] > s")
    assert store.sync(driver.save, driver.game, driver.narrator) == (0, 0)


def test_sync_alone_also_forgets_undone_turns(driver: Driver, store: MemoryStore) -> None:
    driver.play_all("w; take lantern; e")
    driver.save.undo()
    driver.play("take tinderbox", remember=False)
    removed, added = store.sync(driver.save, driver.game, driver.narrator)
    assert (removed, added) == (1, 1)  # turn 3 was "e", now it is "take tinderbox"
    assert store.history()[-1].text == "[turn 3, boathouse] > take tinderbox\nTaken."


def test_rebuild_after_a_crash_gives_exactly_what_live_play_wrote(
    driver: Driver, store: MemoryStore, game: ContentGame, embedder: LocalEmbedder
) -> None:
    turns = commands(WALKTHROUGH)
    for command in turns[:38]:
        driver.play(command)
    # The journal has these turns, memory does not: a crash after each commit.
    unremembered = [driver.play(command, remember=False) for command in turns[38:]]
    save = driver.save
    assert save.turn == len(turns) == 43
    assert store.count("history") == 38

    # The snapshot (flushed at turn 40) is past turn 39: replay from the start.
    narrator = TemplateNarrator(game.files.templates)
    assert store.sync(save, game, narrator) == (0, 5)
    rebuilt = store.history()
    assert [e.turn for e in rebuilt] == list(range(1, 44))
    assert rebuilt[:38] == driver.entries
    assert [e.text.split("\n", 1)[1] for e in rebuilt[38:]] == unremembered
    assert [e.text.split("\n", 1)[0] for e in rebuilt[38:]] == [
        "[turn 39, lantern room] > up",
        "[turn 40, lantern room] > light lamp",
        "[turn 41, lantern room] > put wick in lamp",
        "[turn 42, lantern room] > put oil in lamp",
        "[turn 43, lantern room] > light lamp",
    ]
    assert rebuilt[-1].importance == 10  # the lamp is lit: the game is won

    # Missing turns after the snapshot: replay from the snapshot.
    assert store.forget_after(41) == 2
    assert store.sync(save, game, narrator) == (0, 2)
    assert store.history() == rebuilt

    # After a reopen (the snapshot is at the last turn), from the start again.
    path = save.path
    save.close()
    store.forget_after(30)
    with SaveFile.open(path, game) as reopened:
        calls = embedder.calls
        assert store.sync(reopened, game, narrator) == (0, 13)
        assert embedder.calls == calls + 1  # one batch
    assert store.history() == rebuilt


def test_restore_replaces_the_other_branch(driver: Driver, store: MemoryStore) -> None:
    driver.play_all("w; take lantern; take tinderbox")
    copy = driver.save.save_as(driver.save.path.with_name("before.save"))
    original = store.history()
    driver.save.undo()
    store.forget_after(driver.save.turn)
    driver.play("take gaff")  # another turn 3
    assert store.history()[-1].text.endswith("> take gaff\nTaken.")
    driver.save = driver.save.restore_from(copy)
    assert store.sync(driver.save, driver.game, driver.narrator) == (1, 1)
    assert store.history() == original
    driver.save.close()


def test_a_game_played_without_memory_is_remembered_as_it_was_shown(
    tmp_path: Path, game: ContentGame, embedder: LocalEmbedder
) -> None:
    session = Session.start(game, tmp_path / "played.save", new=True)
    session.turn("notify off")  # score notices are remarks about the game, not its story
    shown = [session.turn(c).text for c in commands(WALKTHROUGH)[:18]]
    with MemoryStore.open(session.save.path, game.id, embedder) as store:
        assert store.sync(session.save, game, TemplateNarrator(game.files.templates)) == (0, 18)
        told = [e.text.split("\n", 1)[1] for e in store.history()]
    session.close()
    assert told == shown


def test_history_survives_reopening(
    driver: Driver, store: MemoryStore, game: ContentGame, embedder: LocalEmbedder
) -> None:
    driver.play_all("e; n; in")
    world, player, path = driver.save.world, driver.player, driver.save.path
    before = store.recall("the crab", world=world, actor=player, now=3)
    store.close()
    with MemoryStore.open(path, game.id, embedder) as reopened:
        assert reopened.history() == driver.entries
        assert reopened.recall("the crab", world=world, actor=player, now=3) == before
        assert reopened.sync(driver.save, game, driver.narrator) == (0, 0)


def test_another_embedder_rebuilds_the_store(
    driver: Driver,
    store: MemoryStore,
    game: ContentGame,
    embeddings_server: tuple[str, Behaviour],
) -> None:
    driver.play_all("w; take lantern")
    store.index_lore(game)
    store.close()
    url, _ = embeddings_server
    with MemoryStore.open(driver.save.path, game.id, OpenAIEmbedder(url, "tiny")) as other:
        assert (other.count("history"), other.count("lore")) == (0, 0)  # not mixed
        assert other.sync(driver.save, game, driver.narrator) == (0, 2)
        assert [e.text for e in other.history()] == [e.text for e in driver.entries]


def test_implicit_actions_are_remembered_as_they_were_shown(
    driver: Driver, store: MemoryStore
) -> None:
    shown = driver.play_all("w; take lantern; take tinderbox; drop tinderbox")
    shown.append(driver.play("light lantern with tinderbox", remember=False))
    assert shown[-1].startswith("(first taking the tinderbox)\n")
    assert store.sync(driver.save, driver.game, driver.narrator) == (0, 1)
    rebuilt = store.history()[-1].text
    assert rebuilt.split("\n", 1)[1] == shown[-1]  # replayed, not derived: the same words
