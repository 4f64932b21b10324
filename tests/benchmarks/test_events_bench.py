"""The event dispatch benchmark runs and reports every library; speed is not
asserted here (run ``python -m benchmarks.events`` for figures)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # benchmarks/ is not an installed package: import it from the checkout
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("benchmarks.events")


def test_run_reports_every_library_at_every_subscriber_count(bench: ModuleType) -> None:
    rows = bench.run(50, subscribers=(1, 10), repeats=2)
    assert [(row["subscribers"], row["library"]) for row in rows] == [
        (count, library) for count in (1, 10) for library in bench.LIBRARIES
    ]
    assert set(bench.LIBRARIES) == {"fabula EventBus", "blinker", "pyee"}
    for row in rows:
        assert row["events_per_second"] > 0
        assert row["vs_blinker"] > 0
    assert all(row["vs_blinker"] == 1.0 for row in rows if row["library"] == "blinker")


def test_every_library_calls_every_subscriber(bench: ModuleType) -> None:
    calls: list[str] = []
    for name, build in bench.LIBRARIES.items():
        build(3, lambda name=name: lambda _: calls.append(name))(2)
    assert calls == [name for name in bench.LIBRARIES for _ in range(3 * 2)]


def test_run_refuses_empty_measurements(bench: ModuleType) -> None:
    with pytest.raises(ValueError, match="n_events and repeats must be >= 1, got 0 and 1"):
        bench.run(0, repeats=1)


def test_main_prints_the_table(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--events", "20", "--repeats", "1"])
    out = capsys.readouterr().out
    assert "fabula EventBus" in out
    assert "vs blinker" in out
    assert "pyee" in out
