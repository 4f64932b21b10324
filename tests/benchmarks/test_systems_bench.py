"""The scheduler benchmark runs at a tiny size and reports every runner."""

from __future__ import annotations

import pytest


def test_systems_benchmark_runs(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.syspath_prepend(str(request.config.rootpath))
    from benchmarks import systems

    rows = systems.run(systems=5, ticks=20, repeats=1)
    assert [r["runner"] for r in rows] == [
        "plain loop (floor)",
        "Scheduler",
        "Scheduler + EventBus",
    ]
    assert all(r["us_per_tick"] > 0 for r in rows)
