"""The ``fabula`` command, run as a user runs it: a real subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fabula", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("fabula ")


def test_tour_shows_the_world_engine() -> None:
    result = run("tour", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "The Cellar: barrel, brass lamp" in result.stdout
    assert "was despawned; this handle is stale" in result.stdout
    assert "bodies moved" in result.stdout
    assert "not bundled" not in result.stdout  # the demo is: the tour points to it
    assert "fabula play" in result.stdout


def test_sim_reports_every_body_moved() -> None:
    result = run("sim", "--entities", "500", "--ticks", "3")
    assert result.returncode == 0, result.stderr
    # No body rests before tick 20, so all move on each of the 3 ticks.
    assert "1,500" in result.stdout


@pytest.mark.parametrize(
    "bad", [["sim", "--entities", "many"], ["sim", "--ticks", "-1"], ["nonsense"]]
)
def test_bad_arguments_exit_with_usage(bad: list[str]) -> None:
    result = run(*bad)
    assert result.returncode == 2
    assert "usage: fabula" in result.stderr
