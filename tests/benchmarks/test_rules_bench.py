"""The rule dispatch benchmark runs at a small size and checks its own work;
speed is not asserted here (run ``python -m benchmarks.rules`` for figures)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    # benchmarks/ is not an installed package: import it from the checkout
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.rules")


def test_rules_that_never_apply_change_no_outcome(bench: ModuleType) -> None:
    result = bench.run(rules=120, turns=25, repeats=1)
    assert result["same_outcomes"]
    assert result["anchor_ms"] > 0
    assert result["ruled_ms"] > 0
    assert result["ratio"] == pytest.approx(result["ruled_ms"] / result["anchor_ms"])


def test_the_generated_rules_load_and_spread_over_the_stages(bench: ModuleType) -> None:
    text = bench.rules_toml(300, ["take", "drop", "go"])
    assert text.count("[[rule]]") == 300
    for when in ("before", "instead", "after", "every_turn"):
        assert f'when = "{when}"' in text
