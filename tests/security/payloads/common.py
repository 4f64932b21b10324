"""What the hostile corpora share: the scenes, what the player says, and
how cases become pytest parameters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

import pytest

from tests.support.hostile_model import Answer

SCENES: dict[str, tuple[str, ...]] = {
    "harbour": (),
    "boathouse": ("w",),
    "holding": ("w", "take tinderbox", "take lantern"),
    "headland": ("w", "take lantern", "e", "n", "e", "n"),
    "square": ("w", "take lantern", "e", "n", "drop lantern"),
    "cave": (
        "w", "take lantern", "take tinderbox", "take gaff", "light lantern", "e", "e", "n", "in",
    ),
    "cave-gaff-dropped": (
        "w", "take lantern", "take tinderbox", "take gaff", "light lantern", "e", "e", "n", "in",
        "drop gaff",
    ),
    "dark-cave": ("e", "n", "in"),
    "grotto": (
        "w", "take lantern", "take tinderbox", "take gaff", "light lantern", "e", "e", "n", "in",
        "n",
    ),
}  # fmt: skip
"""Where each payload is tried: the commands that lead there from the start."""

SAID = "nick that lantern off its nail"
"""What the player types when the model is asked: the symbolic parser does
not know "nick", so the input goes to the parser model."""


def params(cases: Iterable[Any], name: Callable[[Any], str] = lambda case: case.id) -> list[Any]:
    """``cases`` as pytest parameters with their names as ids, a case with a
    ``bug`` marked ``xfail(strict=True)`` with it as the reason."""
    return [
        pytest.param(
            case,
            id=name(case),
            marks=[pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else [],
        )
        for case in cases
    ]


Expect = Literal["clarify", "fallback", "refused", "played", "any"]

MULTI_MB = 3 * 1024 * 1024


def acts(*items: dict[str, Any]) -> str:
    return json.dumps({"actions": list(items)})


def answers(content: str) -> tuple[Answer, ...]:
    return (Answer(content=content),)


LANTERN = {"action": "take", "item": "storm lantern"}
"""The action a hostile answer most often smuggles in."""
