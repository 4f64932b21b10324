"""The per-turn benchmark runs both parts at tiny sizes and checks its own
work; speed is not asserted here (run ``python -m benchmarks.turn`` for
figures)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
N, MEMORIES, TURNS = 300, 200, 10


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    # benchmarks/ is not an installed package: import it from the checkout
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.turn")


@pytest.fixture(scope="module")
def result(bench: ModuleType) -> Any:
    (result,) = bench.run_overhead([N], MEMORIES, TURNS, model=False)
    return result


def test_every_turn_is_checked(result: Any) -> None:
    checks = result.checks
    # every command of the journal and of the timed turns parsed and applied
    assert checks["parsed"] == checks["applied"] == MEMORIES + TURNS
    assert checks["effect"] > 0
    for name in ("twin", "recall", "prompt", "parts", "annotated", "memory kept"):
        assert checks[name] == TURNS, name
    for name in ("journal", "journal, no fsync", "same world", "memories", "lore"):
        assert checks[name] == 1, name
    assert checks["memory agrees"] == 2  # after the fill, and after the timed turns
    assert checks["entities"] == 1


def test_every_stage_is_timed_every_turn(bench: ModuleType, result: Any) -> None:
    model_rows = {"query_embedding", "entry_embedding"}
    assert set(result.times) == {key for key, _ in bench.STAGES} - model_rows
    assert all(len(ns) == TURNS and min(ns) > 0 for ns in result.times.values())
    parts = ("parse", "session", "rules", "account", "context", "narrate", "annotate", "memory")
    for turn in range(TURNS):
        total = sum(result.times[stage][turn] for stage in parts)
        assert result.times["total"][turn] == total
        fsync = sum(result.times[stage][turn] for stage in ("rules", "annotate"))
        no_fsync = sum(result.times[f"{stage}_nofsync"][turn] for stage in ("rules", "annotate"))
        assert result.times["total_nofsync"][turn] == total - fsync + no_fsync
    assert result.median_ms("total") <= result.p95_ms("total")
    assert set(result.setup) == {"world", "save", "journal", "memory", "open"}
    assert (result.entities, result.memories, result.turns) == (N, MEMORIES, TURNS)


def test_the_report_has_every_row(bench: ModuleType, result: Any) -> None:
    text = bench.markdown_overhead([result])
    assert f"Per turn, N = {N} entities, {MEMORIES} memories, {TURNS} turns (ms):" in text
    for key, label in bench.STAGES:
        if key in result.times:
            assert f"| {label} |" in text, label
    assert "LocalEmbedder" not in text.split("Setup:")[0]  # no model rows without the model
    assert f"| {N} | {MEMORIES} |" in text  # the setup table
    assert len(bench.tables_overhead([result])) == 2


def test_the_real_embedder_is_timed_beside(bench: ModuleType) -> None:
    (result,) = bench.run_overhead([200], memories=20, turns=3)  # loads the model: seconds
    assert len(result.times["query_embedding"]) == len(result.times["entry_embedding"]) == 3
    assert result.checks["entries"] == 1  # the timed turns' entries were embedded
    assert result.setup["embedder"] > 0
    text = bench.markdown_overhead([result])
    assert "| model, excluded: LocalEmbedder, recall query |" in text
    assert "LocalEmbedder load" in text


def test_the_filled_world_has_its_size_and_the_cycle_its_things(bench: ModuleType) -> None:
    from fabula.actions.standard import Named, contents
    from fabula.content import ContentGame
    from fabula.games import DEMO

    game = bench.FilledGame(ContentGame.load(DEMO).files, 500)
    world = game.new_world(7)
    assert len(world) == 500
    start = game.ids(world)[game.files.game.start]
    names = {world.get(e, Named).name for e in contents(world, start)}
    assert {"copper kettle", "sea chest", "fish crate", "hurricane lamp"} <= names
    # deterministic: the same seed builds the same world, handle for handle
    from fabula.persistence import state_digest

    again = game.new_world(7)
    assert state_digest(world, game.components.name_of) == state_digest(
        again, game.components.name_of
    )
    with pytest.raises(ValueError, match="a filled demo needs at least"):
        bench.FilledGame(game.files, 20).new_world(7)


def test_the_stand_in_embedder_gives_unit_vectors_by_text(bench: ModuleType) -> None:
    embedder = bench.HashEmbedder()
    a, b, again = embedder(["take kettle", "look", "take kettle"])
    assert a.shape == (384,)
    assert abs(float(a @ a) - 1) < 1e-5
    assert (a == again).all()
    assert not (a == b).all()
    assert embedder.texts == 3


def test_the_stand_in_narrator_model_streams_its_telling(bench: ModuleType) -> None:
    from fabula.narration import ModelNarrator

    model = bench.StandInNarratorModel()
    shown: list[str] = []
    telling = ModelNarrator(model).tell([{"role": "user", "content": "x" * 400}], "the account",
                                        emit=shown.append)  # fmt: skip
    assert telling.text == "".join(shown) == bench.TELLING
    assert telling.source == "model"
    assert (telling.use.prompt_tokens, telling.use.completion_tokens) == (100, 82)
    assert model.requests == 1
    assert model.ns > 0


def test_a_memory_that_writes_nothing_is_caught(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fabula.narration import Brain

    monkeypatch.setattr(Brain, "remember", lambda self, save, **kwargs: None)
    with pytest.raises(bench.VerificationError, match="the store holds 22, not 24"):
        bench.run_overhead([200], memories=22, turns=2, model=False)


def test_run_refuses_empty_measurements(bench: ModuleType) -> None:
    with pytest.raises(ValueError, match="sizes, memories and turns >= 1"):
        bench.run_overhead([300], memories=0)


def test_the_walkthrough_share_is_measured(bench: ModuleType) -> None:
    share = bench.share_of_walkthrough()  # raises if the walkthrough no longer wins
    assert share.parsed + share.answered + share.model == share.phrasings
    assert share.same <= share.parsed
    assert 0.5 < share.without_model <= 1
    assert "Resolved without the model" in bench.report_share(share, markdown=True)


def test_main_and_python_m_benchmarks_run_it(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench.main(["--only", "overhead", "--sizes", "200", "--memories", "20", "--turns", "2",
                "--no-model", "--markdown"])  # fmt: skip
    out = capsys.readouterr().out
    assert out.count("Per turn, N = 200 entities") == 2  # the rich table, then the Markdown one
    assert "fsync is disk time" in out
    calls: list[list[str]] = []
    monkeypatch.setattr(bench, "main", calls.append)
    runner = importlib.import_module("benchmarks.__main__")
    runner.main(["--only", "turn", "--quick"])
    assert calls == [["--quick"]]
