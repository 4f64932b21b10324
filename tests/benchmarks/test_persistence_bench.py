"""The persistence benchmark runs every measurement on real save files at tiny
sizes and checks its own work; speed is not asserted here (run
``python -m benchmarks.persistence`` for figures)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # benchmarks/ is not an installed package: import it from the checkout
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("benchmarks.persistence")


def test_flush_compares_write_behind_naive_and_bare(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.flush, "TARGET_K", 300)  # the targets apply at this K only
    rows = bench.run_flush([300, 600], repeats=2, naive_sample=8)
    assert [(r["k"], r["kind"]) for r in rows] == [
        (k, kind) for k in (300, 600) for kind in ("numeric", "object")
    ]
    for row in rows:
        for key in ("write_behind_per_s", "naive_per_s", "bare_per_s", "bare_rows_per_s"):
            assert row[key] > 0, key
        assert row["naive_sampled"]
        assert row["vs_naive"] == pytest.approx(row["write_behind_per_s"] / row["naive_per_s"])
        assert row["vs_bare"] == pytest.approx(row["bare_per_s"] / row["write_behind_per_s"])
        assert (row["met"] is None) == (row["k"] != 300)
    for row in rows[:2]:
        assert row["met"] == (row["vs_naive"] >= 50, row["vs_bare"] <= 2)
    # object components have one row each in the save: the row layout is the save's own
    assert all(r["bare_rows_per_s"] == r["bare_per_s"] for r in rows if r["kind"] == "object")


def test_naive_is_timed_whole_below_the_sample_size(bench: ModuleType) -> None:
    rows = bench.run_flush([12], repeats=1, naive_sample=1000)
    assert [r["naive_sampled"] for r in rows] == [False, False]


def test_a_flush_that_writes_nothing_is_caught(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.flush, "write_changes", lambda *args: 0)
    with pytest.raises(bench.VerificationError, match="write-behind flush, K = 50, numeric"):
        bench.run_flush([50], repeats=1, naive_sample=5)


def test_snapshot_reports_save_load_and_size(bench: ModuleType) -> None:
    rows = bench.run_snapshot(2000, repeats=1)
    assert [r["what"] for r in rows] == ["2 numeric + 1 object", "2 numeric"]
    for row in rows:
        assert row["n"] == 2000
        assert row["save_s"] > 0
        assert row["load_s"] > 0
        assert row["load_vs_spawn"] == pytest.approx(row["load_s"] / row["spawn_batch_s"])
        assert row["mb"] > 0
    assert rows[0]["mb"] > rows[1]["mb"]  # the object component takes room


def test_journal_measures_both_durabilities(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = bench.run_journal(10)
    assert [(r["synchronous"], r["durability"]) for r in rows] == [
        ("FULL", "power"),
        ("NORMAL", "process"),
    ]
    assert all(0 < r["median_us"] <= r["p95_us"] for r in rows)
    from fabula.persistence import journal

    monkeypatch.setattr(journal, "append", lambda *args: None)
    with pytest.raises(bench.VerificationError, match="journal append"):
        bench.run_journal(3)


def test_decode_measures_every_method_against_ours(bench: ModuleType) -> None:
    rows = bench.run_decode(200, repeats=1)
    assert [r["method"].split(" ")[0] for r in rows] == [
        "msgspec",
        "msgspec",
        "Pydantic",
        "C(**json.loads(s))",
    ]
    assert rows[0]["vs_ours"] == 1.0
    assert all(r["ns"] > 0 for r in rows)


def test_main_prints_every_table_and_markdown(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--sizes", "200", "--entities", "500", "--repeats", "1"]
    bench.main([*argv, "--naive-sample", "5", "--turns", "5", "--markdown"])
    out = capsys.readouterr().out
    for title in ("Flush of K changed", "Full save and load", "Journal append", "Decoding"):
        assert out.count(title) == 2  # the rich table, then the Markdown one
    assert "| 200 | numeric |" in out
    assert "| 200 | object |" in out
    assert "SQLite" in out


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: b.run_flush([10], repeats=0), "repeats >= 1"),
        (lambda b: b.run_flush([], repeats=1), "sizes >= 1"),
        (lambda b: b.run_snapshot(0), "n >= 1"),
        (lambda b: b.run_journal(0), "turns >= 1"),
        (lambda b: b.run_decode(0), "n >= 1"),
    ],
)
def test_bad_arguments_are_refused(bench: ModuleType, call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(bench)
