"""Every built-in prompt, rendered with fixed variables, against its snapshot
in ``snapshots/``. A change to a prompt file shows up here as a diff to
review; ``FABULA_UPDATE_SNAPSHOTS=1`` rewrites the snapshots (see
docs/prompts.md)."""

from __future__ import annotations

import pytest

from fabula.context import count_messages
from fabula.prompts import PromptLibrary
from tests.support.snapshots import Snapshots, as_text

LIBRARY = PromptLibrary.load()
check_snapshot = Snapshots.beside(__file__).check

VARIABLES = {
    "narrator": {
        "title": "The Light at Gull's End",
        "verdict": ["open: refused, LOCKED (it is locked.); facts: item = the lighthouse door"],
        "account": "The lighthouse door is locked.",
        "state": (
            "Place: Headland\nThe lighthouse towers over you, white even in this dark.\n"
            "Exits: north (through the lighthouse door: closed, locked), south\n"
            "You carry:\n- a storm lantern (lit)\nStatus: health 12 of 12; score 5 of 25"
        ),
        "memories": ["Ezra wore the lighthouse key on a cord.", "The crab takes anything shiny."],
        "player_input": "open the door",
    },
    "parser": {
        "actions": [("go", "Walk through an exit."), ("take", "Pick something up.")],
        "things": ["storm lantern", "workbench"],
        "player_input": "grab the lantern and head east",
    },
}
"""What the engine passes each role's prompt (docs/prompts.md lists them)."""


@pytest.mark.parametrize("ref", [f"{p.id}@{p.version}" for p in LIBRARY])
def test_a_built_in_prompt_renders_as_its_snapshot(ref: str) -> None:
    id_, _, version = ref.partition("@")
    prompt = LIBRARY.get(id_, version)
    check_snapshot(f"{id_}-{version}.txt", as_text(prompt.render(**VARIABLES[prompt.role])))


@pytest.mark.parametrize("ref", [f"{p.id}@{p.version}" for p in LIBRARY])
def test_a_built_in_prompt_reads_only_what_its_role_is_given(ref: str) -> None:
    id_, _, version = ref.partition("@")
    prompt = LIBRARY.get(id_, version)
    assert prompt.variables <= set(VARIABLES[prompt.role])


def test_a_narrator_prompt_without_memories_leaves_out_their_section() -> None:
    for version in LIBRARY.versions("narrator"):
        messages = LIBRARY.get("narrator", version).render(
            **VARIABLES["narrator"] | {"memories": []}
        )
        assert "Ezra wore" not in messages[-1]["content"]
        assert "emember" not in messages[-1]["content"]  # Memories / Remembered


def test_built_in_prompts_stay_short() -> None:
    """Small local models have small contexts: the fixed part of each prompt
    (its text with empty sections) stays under 230 estimated tokens (about 190 real ones)."""
    for prompt in LIBRARY:
        empty = {
            name: [] if isinstance(value, list) else ""
            for name, value in VARIABLES[prompt.role].items()
        }
        assert count_messages(prompt.render(**empty)) < 230, prompt.ref
