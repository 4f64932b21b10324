"""The persistence benchmark runs every measurement on real files at tiny
sizes; speed is not asserted here (run ``python -m benchmarks.persistence``)."""

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
    return importlib.import_module("benchmarks.persistence")


def test_flush_compares_write_behind_naive_and_bare(bench: ModuleType) -> None:
    rows = bench.run_flush([300, 1500], repeats=1, naive_sample=50)
    assert [(r["k"], r["kind"]) for r in rows] == [
        (k, kind) for k in (300, 1500) for kind in ("numeric", "object")
    ]
    for row in rows:
        assert row["write_behind_per_s"] > 0
        assert row["bare_per_s"] > 0
        assert row["naive_sampled"]
        assert row["vs_naive"] == pytest.approx(
            row["write_behind_per_s"] / row["naive_per_s"], rel=1e-6
        )


def test_snapshot_reports_save_load_and_size(bench: ModuleType) -> None:
    rows = bench.run_snapshot(2000, repeats=1)
    assert [r["what"].split(" ")[0] for r in rows] == ["3", "2"]
    for row in rows:
        assert row["save_s"] > 0
        assert row["load_s"] > 0
        assert row["mb"] > 0


def test_journal_and_decode_measure_each_setting(bench: ModuleType) -> None:
    assert [r["synchronous"] for r in bench.run_journal(20)] == ["FULL", "NORMAL"]
    decode = bench.run_decode(200)
    assert len(decode) == 4
    assert decode[0]["vs_ours"] == 1.0


def test_main_prints_every_table(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(
        [
            "--sizes",
            "200",
            "--entities",
            "500",
            "--repeats",
            "1",
            "--naive-sample",
            "20",
            "--turns",
            "10",
        ]
    )
    out = capsys.readouterr().out
    for title in ("Flush of K changed", "Full save and load", "Journal append", "Decoding"):
        assert title in out


def test_bad_arguments_are_refused(bench: ModuleType) -> None:
    with pytest.raises(ValueError, match="repeats >= 1"):
        bench.run_flush([10], repeats=0)
