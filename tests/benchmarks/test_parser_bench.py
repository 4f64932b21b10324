"""The parser benchmark runs and checks its answers; speed is not asserted
here (run ``python -m benchmarks.parser`` for figures)."""

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
    return importlib.import_module("benchmarks.parser")


def test_every_command_is_measured_and_parses_as_it_must(bench: ModuleType) -> None:
    figures = bench.measure(300, repeats=2)
    assert [f.command for f in figures] == [command for command, _ in bench.COMMANDS]
    assert all(f.size == 300 and f.median_ms > 0 for f in figures)


def test_renaming_a_thing_is_seen_by_the_next_parse(bench: ModuleType) -> None:
    from fabula.actions.standard import Named
    from fabula.parsing import Parsed

    world, me, parser = bench.build(50)
    assert isinstance(parser.parse("x lantern", world.view(), me), Parsed)
    lamp = next(e for e in world.entities_with[Named] if world.get(e, Named).name == "brass lamp")
    world.insert(lamp, Named("tin whistle"))
    assert isinstance(parser.parse("x whistle", world.view(), me), Parsed)
    assert not isinstance(parser.parse("x lantern", world.view(), me), Parsed)
