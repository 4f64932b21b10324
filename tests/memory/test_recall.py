"""Recall: Generative-Agents scoring, state filters (witnesses, time, lore
gates), and a deterministic order."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fabula.actions.standard import Location
from fabula.content import ContentGame
from fabula.ecs import World
from fabula.memory import HistoryEntry, LocalEmbedder, Memory, MemoryStore, Scoring

KEY = "Tamsin said the crab in the tide cave took Ezra's brass key."


def entry(turn: int, text: str = KEY, importance: int = 5, who: tuple[str, ...] = ("player",)):
    return HistoryEntry(turn, text, "square", (), who, importance, f"source-{turn}")


@pytest.fixture
def world(game: ContentGame) -> World:
    return game.new_world(1801)


@pytest.fixture
def ids(game: ContentGame, world: World) -> dict[str, int]:
    return game.ids(world)


def test_memory_has_the_shape_prompts_use() -> None:
    fields = [(f.name, f.type) for f in dataclasses.fields(Memory)]
    assert fields == [
        ("id", "str"), ("text", "str"), ("kind", "str"), ("score", "float"),
        ("turn", "int | None"),
    ]  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        Memory("turn-1", "x", "history", 1.0, 1).score = 2.0  # type: ignore[misc]


def test_a_recent_relevant_memory_outranks_an_old_one(
    store: MemoryStore, world: World, ids: dict[str, int]
) -> None:
    store.record(entry(1))
    store.record(entry(200))
    found = store.recall("who has the key?", world=world, actor=ids["player"], now=200)
    assert [m.id for m in found] == ["turn-200", "turn-1"]
    assert found[0].score - found[1].score == pytest.approx(1 - 0.99**199, abs=1e-5)
    assert [m.turn for m in found] == [200, 1]
    assert {m.kind for m in found} == {"history"}


def test_importance_and_relevance_count(
    store: MemoryStore, world: World, ids: dict[str, int]
) -> None:
    store.record(entry(10, importance=2))
    store.record(entry(11, importance=9))
    store.record(entry(12, "The chapel candle burns for the drowned.", importance=9))
    found = store.recall("the crab took the key", world=world, actor=ids["player"], now=12)
    assert [m.id for m in found] == ["turn-11", "turn-12", "turn-10"]
    by_id = {m.id: m.score for m in found}
    assert by_id["turn-11"] - by_id["turn-10"] == pytest.approx(0.7 + 0.99 - 0.99**2, abs=1e-5)


def test_the_weights_are_configurable(
    tmp_path: Path, game: ContentGame, embedder: LocalEmbedder, world: World, ids: dict[str, int]
) -> None:
    relevance_only = Scoring(recency=0, importance=0)
    with MemoryStore.open(tmp_path / "w.save", game.id, embedder, scoring=relevance_only) as store:
        store.record(entry(1, importance=1))
        store.record(entry(50, "Rain on the harbour wall.", importance=10))
        found = store.recall("the crab took the key", world=world, actor=ids["player"], now=50)
    assert [m.id for m in found] == ["turn-1", "turn-50"]
    assert all(0 <= m.score <= 1 for m in found)


def test_only_what_the_character_witnessed_and_nothing_later(
    store: MemoryStore, world: World, ids: dict[str, int]
) -> None:
    store.record(entry(3, who=("player", "tamsin")))
    store.record(entry(4, who=("player",)))
    store.record(entry(5, who=("crab", "player")))
    store.record(entry(9, who=("player", "tamsin")))
    recall = store.recall

    def turns(actor: str, now: int) -> list[int | None]:
        return sorted(m.turn for m in recall(KEY, world=world, actor=ids[actor], now=now, k=9))

    assert turns("player", 9) == [3, 4, 5, 9]
    assert turns("tamsin", 9) == [3, 9]
    assert turns("crab", 9) == [5]
    assert turns("player", 4) == [3, 4]  # after an undo to turn 4: nothing from later
    assert recall(KEY, world=world.view(), actor=ids["tamsin"], now=9, k=1)[0].turn == 9


def test_a_character_who_saw_little_still_recalls_it(
    store: MemoryStore, world: World, ids: dict[str, int]
) -> None:
    for turn in range(1, 13):
        store.record(entry(turn, f"You pace the harbour wall, step {turn}."))
    store.record(entry(13, "Tamsin mends a net and hums.", who=("player", "tamsin")))
    # Tamsin's one memory is not among the 8 nearest neighbours fetched first:
    # the filtered search finds it all the same.
    found = store.recall("the harbour wall", world=world, actor=ids["tamsin"], now=13, k=1)
    assert [m.id for m in found] == ["turn-13"]
    found = store.recall("the harbour wall", world=world, actor=ids["player"], now=13, k=3)
    assert len(found) == 3
    assert all(m.text.startswith("You pace") for m in found)


def test_ties_are_broken_by_id(store: MemoryStore, tmp_path: Path, world: World) -> None:
    folder = tmp_path / "lore"
    folder.mkdir()
    for name in ("b.md", "a.md", "c.md"):
        text = '+++\ntitle = "The Teeth"\n+++\nThe reef off the headland.'
        (folder / name).write_text(text, encoding="utf-8")
    store.index_lore(folder)
    found = store.recall("reef", world=world, actor=0, now=0, k=3, kinds=("lore",))
    assert [m.id for m in found] == ["a.md#0", "b.md#0", "c.md#0"]
    assert len({m.score for m in found}) == 1


def test_lore_scores_with_its_constant_recency(
    store: MemoryStore, tmp_path: Path, world: World, ids: dict[str, int]
) -> None:
    text = f"# The key\n\n{KEY}"  # a chunk with its own heading is stored as it is
    folder = tmp_path / "lore"
    folder.mkdir()
    (folder / "key.md").write_text(f"+++\nimportance = 9\n+++\n{text}", encoding="utf-8")
    store.index_lore(folder)
    store.record(entry(100, text, importance=9))
    store.record(entry(31, text, importance=9))
    found = store.recall(text, world=world, actor=ids["player"], now=100, k=3)
    assert [(m.id, m.kind, m.turn) for m in found] == [
        ("turn-100", "history", 100), ("key.md#0", "lore", None), ("turn-31", "history", 31),
    ]  # fmt: skip
    assert found[0].score == pytest.approx(1 + 1 + 0.9, abs=1e-5)
    assert found[1].score == pytest.approx(1 + 0.5 + 0.9, abs=1e-5)
    assert found[2].score == pytest.approx(1 + 0.99**69 + 0.9, abs=1e-5)


def test_gated_lore_is_recalled_only_while_its_predicate_holds(
    store: MemoryStore, game: ContentGame, world: World, ids: dict[str, int]
) -> None:
    report = store.index_lore(game)
    assert report.files == len(report.indexed) == 9
    assert store.count("lore") == report.chunks >= 9
    player = ids["player"]

    def recalled(query: str) -> set[str]:
        found = store.recall(query, world=world, actor=player, now=0, k=20, kinds=("lore",))
        return {m.id.split("#")[0] for m in found}

    assert "the-grotto.md" not in recalled("the keeper's grotto")
    assert "the-folded-coat.md" not in recalled("Ezra's folded coat")
    world.insert(player, Location(ids["cave"]))
    assert "the-grotto.md" in recalled("the keeper's grotto")
    world.insert(ids["coat"], Location(player, "worn"))
    assert "the-folded-coat.md" in recalled("Ezra's folded coat")


def test_k_and_kinds(store: MemoryStore, world: World, ids: dict[str, int]) -> None:
    for turn in range(1, 8):
        store.record(entry(turn))
    player = ids["player"]
    assert len(store.recall(KEY, world=world, actor=player, now=7, k=3)) == 3
    assert store.recall(KEY, world=world, actor=player, now=7, k=0) == []
    assert store.recall("  ", world=world, actor=player, now=7) == []
    assert store.recall(KEY, world=world, actor=player, now=7, kinds=("lore",)) == []


def test_scoring_is_checked() -> None:
    with pytest.raises(ValueError, match=r"decay must be in \(0, 1\], got 1.5"):
        Scoring(decay=1.5)
    with pytest.raises(ValueError, match="weights must be >= 0; candidates must be >= 1"):
        Scoring(relevance=-1, candidates=0)
