"""The brain turns memory off when memory fails, with one notice and never
failing the turn; any other exception is a bug and surfaces. Memory here is
a stand-in store that fails on demand (the real one is tested in
tests/memory and, in a session, in tests/ai/test_session_memory.py)."""

from __future__ import annotations

from typing import Any

import pytest

from fabula.ai import ModelConfig
from fabula.content import ContentGame
from fabula.errors import MemoryStoreError
from fabula.games import DEMO
from fabula.narration import Brain

NOTICE = "Long-term memory failed and is off for this game: "


class FailingStore:
    """Answers like a memory store, or raises ``failure`` from ``method``."""

    def __init__(self, method: str, failure: BaseException) -> None:
        self.method = method
        self.failure = failure
        self.closed = False
        self.recorded: list[Any] = []

    def _maybe_fail(self, method: str) -> None:
        if method == self.method:
            raise self.failure

    def recall(self, query: str, **kwargs: Any) -> list[Any]:
        self._maybe_fail("recall")
        return []

    def entry_for_turn(self, *args: Any) -> str:
        self._maybe_fail("entry_for_turn")
        return "entry"

    def record(self, entry: Any) -> None:
        self._maybe_fail("record")
        self.recorded.append(entry)

    def sync(self, *args: Any) -> None:
        self._maybe_fail("sync")

    def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def game() -> ContentGame:
    return ContentGame.load(DEMO)


def brain(game: ContentGame, store: FailingStore) -> Brain:
    return Brain(game, ModelConfig(), memory=store)  # type: ignore[arg-type]


def brief(brain: Brain, game: ContentGame) -> Any:
    world = game.new_world(1)
    return brain.brief(
        world.view(), game.player(world), turn=1, text="look", outcomes=[], account="Hall."
    )


def remember(brain: Brain) -> str | None:
    return brain.remember(
        object(), text="look", account="Hall.", before=object(), actor=1,  # type: ignore[arg-type]
        outcomes=[], events=[],
    )  # fmt: skip


def test_a_failed_recall_turns_memory_off_and_the_prompt_is_built(game: ContentGame) -> None:
    store = FailingStore("recall", MemoryStoreError("memory/", "recalling failed"))
    thinking = brain(game, store)
    briefing = brief(thinking, game)
    assert briefing.notice == NOTICE + "memory/: recalling failed"
    assert briefing.prompt.messages  # the narrator is told the turn all the same
    assert thinking.memory is None
    assert store.closed
    assert brief(thinking, game).notice is None  # said once


def test_a_bug_in_recall_is_not_memory_failing(game: ContentGame) -> None:
    thinking = brain(game, FailingStore("recall", TypeError("a bug")))
    with pytest.raises(TypeError, match="a bug"):
        brief(thinking, game)


def test_a_failed_write_behind_is_told_when_it_is_settled(game: ContentGame) -> None:
    store = FailingStore("record", MemoryStoreError("memory/", "the disk is full"))
    thinking = brain(game, store)
    assert remember(thinking) is None  # the write goes behind
    assert thinking.settle() == NOTICE + "memory/: the disk is full"
    assert thinking.memory is None
    thinking.close()


def test_a_bug_in_the_write_behind_surfaces(game: ContentGame) -> None:
    thinking = brain(game, FailingStore("record", ValueError("a bug")))
    remember(thinking)
    with pytest.raises(ValueError, match="a bug"):
        thinking.settle()
    thinking.close()


def test_a_failed_sync_turns_memory_off_and_a_bug_in_it_surfaces(game: ContentGame) -> None:
    failing = brain(game, FailingStore("sync", MemoryStoreError("memory/", "replay failed")))
    assert failing.rewound(object(), object()) == NOTICE + "memory/: replay failed"  # type: ignore[arg-type]
    assert failing.memory is None
    buggy = brain(game, FailingStore("sync", KeyError("turn")))
    with pytest.raises(KeyError):
        buggy.rewound(object(), object())  # type: ignore[arg-type]


def test_a_failed_entry_turns_memory_off(game: ContentGame) -> None:
    store = FailingStore("entry_for_turn", MemoryStoreError("g.save", "no journalled turn 1"))
    thinking = brain(game, store)
    assert remember(thinking) == NOTICE + "g.save: no journalled turn 1"
    assert remember(thinking) is None  # memory is off: nothing more to say
