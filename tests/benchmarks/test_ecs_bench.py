"""The ECS benchmark runs every scenario and checks its own work; speed is not
asserted here (run ``python -m benchmarks.ecs`` for figures)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 200


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    # benchmarks/ is not an installed package: import it from the checkout
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.ecs")


@pytest.fixture(scope="module")
def results(bench: ModuleType) -> list[Any]:
    return bench.run([N], repeats=1)


def test_run_measures_every_scenario_of_every_library(bench: ModuleType, results: list) -> None:
    measured = {(r.scenario, r.library) for r in results}
    engines = ("fabula", "esper", "tcod-ecs")
    per_engine = (
        "spawn",
        "tick",
        "tick_after_change",
        "mixed",
        "lookup",
        "lookup_after_change",
        "churn",
        "memory_numeric",
        "memory_objects",
    )
    expected = {(s, e) for s in per_engine for e in engines}
    expected |= {("spawn2", e) for e in engines}
    expected |= {("spawn2_objects", "fabula"), ("mixed_columnar", "fabula")}
    expected |= {("vector", "fabula"), ("numpy", "numpy")}
    for kind in bench.KINDS:
        expected |= {("kind:tick", f"fabula/{kind}"), ("kind:tick", f"esper/{kind}")}
        expected |= {("kind:build", f"python/{kind}"), ("kind:validate", f"fabula/{kind}")}
    assert measured == expected
    assert {s.key for s in bench.SCENARIOS} == {s for s, _ in measured if ":" not in s}
    assert all(r.n == N and r.value > 0 and r.unit for r in results)


def test_every_library_ticks_to_the_same_positions(bench: ModuleType) -> None:
    finals = {}
    for name, make in bench.ENGINES.items():
        lib = make()
        handles = lib.spawn_rows(bench.make_rows(N))
        lib.tick()
        lib.toggle(handles[::7])  # structural changes between ticks
        lib.tick()
        lib.tick()
        finals[name] = [lib.position(h) for h in handles]
        assert lib.count(bench.Marked) == len(handles[::7])
        lib.reset()
    assert finals["fabula"] == [(i + 3 * bench.DX, 3 * bench.DY) for i in range(N)]
    assert finals["fabula"] == finals["esper"] == finals["tcod-ecs"]


def test_every_library_answers_lookups_and_churns_alike(bench: ModuleType) -> None:
    for make in bench.ENGINES.values():
        lib = make()
        handles = lib.spawn_rows(bench.make_rows(N))
        assert lib.lookup(handles[1]) == (N // 2, True)
        assert lib.lookup(handles[0]) == (N // 2, False)
        lib.churn(handles[:50])
        assert lib.count(bench.Stunned) == 0
        assert lib.count(bench.Position) == N
        lib.reset()


def test_a_library_that_skips_the_work_is_caught(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.FabulaLibrary, "tick", lambda self, *types: None)
    with pytest.raises(bench.VerificationError, match=r"fabula tick: entity #0 is at \(0.0, 0.0\)"):
        bench.measure_library(bench.FabulaLibrary(), bench.Plan.for_size(N, 1))


def test_the_columnar_scenarios_check_their_positions(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = bench.measure_columnar(bench.Plan.for_size(N, 1))
    assert set(rates) == {"vector", "mixed_columnar", "numpy"}
    monkeypatch.setattr(bench.scenarios, "_vector_tick", lambda world: None)
    with pytest.raises(bench.VerificationError, match="fabula vector: entity 0"):
        bench.measure_columnar(bench.Plan.for_size(N, 1))


def test_numeric_entities_are_measured_in_bytes(bench: ModuleType) -> None:
    memory = bench.measure_memory(N)
    for scenario in ("memory_numeric", "memory_objects"):
        assert set(memory[scenario]) == {"fabula", "esper", "tcod-ecs"}
        assert all(8 < size < 10_000 for size in memory[scenario].values())


def test_targets_compare_in_their_direction(bench: ModuleType) -> None:
    at_least, at_most = bench.Target("esper", 0.8), bench.Target("esper", 0.25, at_least=False)
    assert at_least.met(0.8)
    assert not at_least.met(0.79)
    assert at_most.met(0.25)
    assert not at_most.met(0.26)
    assert str(at_most) == "<= 0.25x esper"


def test_tables_show_rates_ratios_and_verdicts(bench: ModuleType, results: list) -> None:
    rows = bench.main_rows(results, N)
    assert [row[0] for row in rows] == [s.label for s in bench.SCENARIOS]
    assert all(len(row) == len(bench.HEADER) for row in rows)
    tick = rows[[s.key for s in bench.SCENARIOS].index("tick")]
    assert tick[5].endswith("x")
    assert tick[6].endswith("x")
    assert tick[7] == ">= 0.8x esper"
    assert tick[8] in ("yes", "NO")
    assert len(bench.tables(results)) == 2
    text = bench.markdown(results)
    assert f"### N = {N:,}" in text
    assert "| slotted dataclass |" in text


def test_sizes_parse_with_suffixes(bench: ModuleType) -> None:
    assert bench.parse_sizes("10000, 100k,1M,2_000") == [10_000, 100_000, 1_000_000, 2_000]
    with pytest.raises(argparse.ArgumentTypeError, match="sizes are whole numbers separated by"):
        bench.parse_sizes("10000,lots")


def test_run_refuses_empty_measurements(bench: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"sizes must be >= 10 and repeats >= 1, got \[5\] and 1"):
        bench.run([5], repeats=1)


def test_python_m_benchmarks_runs_the_ecs_tables(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = importlib.import_module("benchmarks.__main__")
    runner.main(["--quick", "--sizes", str(N), "--only", "ecs"])
    out = capsys.readouterr().out
    assert "fabula/esper" in out
    assert "Component kinds" in out
    assert "esper 3." in out
