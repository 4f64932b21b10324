"""The final prompt builder: sections into a prompt file, within a token
budget, cut in the documented order, fast and deterministic."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.context import (
    CUT_ORDER,
    BuiltPrompt,
    FinalPromptBuilder,
    Seen,
    StateContext,
    count_messages,
    estimate_tokens,
)
from fabula.prompts import Prompt, PromptLibrary, PromptRenderError

LIBRARY = PromptLibrary.load()
NARRATOR = LIBRARY.get("narrator", "1")


@dataclass(frozen=True)
class Memory:
    text: str
    score: float


def state(**parts: object) -> StateContext:
    defaults: dict[str, object] = {
        "location": "Boathouse",
        "description": "Tar and rope. Hulls wait on trestles. The storm drums on the roof.",
        "exits": ("east", "out"),
        "things": (
            Seen("a storm lantern", "lit", 2, "storm lantern"),
            Seen("a workbench", "", 1, "workbench"),
            Seen("a tinderbox", "on the workbench", 2, "tinderbox"),
            Seen("a net", "torn, heaped in a corner", 0, "net"),
        ),
        "inventory": (Seen("a coat", "worn", 2, "coat"),),
        "status": ("health 9 of 12",),
        "events": ("first event", "second event", "third event"),
    }
    return StateContext(**(defaults | parts))  # type: ignore[arg-type]


MEMORIES = (
    Memory("memory-a about the keeper", 0.9),
    Memory("memory-b about the crab", 0.2),
    Memory("memory-c about the ship", 0.5),
)


def build(budget: int, **sections: Any) -> BuiltPrompt:
    given = {
        "state": state(),
        "memories": MEMORIES,
        "verdict": ["look: done"],
        "account": "Boathouse. Tar and rope.",
        "player_input": "look",
        "title": "Test",
    } | sections
    return FinalPromptBuilder().build(NARRATOR, budget=budget, **given)


def test_a_prompt_that_fits_is_rendered_whole() -> None:
    built = build(4000)
    assert built.over_budget is False
    assert built.dropped == dict.fromkeys(CUT_ORDER, 0)
    assert built.ref == NARRATOR.ref
    assert built.budget == 4000
    user = built.messages[-1]["content"]
    assert user.index("memory-a") < user.index("memory-c") < user.index("memory-b")
    assert built.tokens == count_messages(built.messages)


def test_cuts_go_events_then_memories_then_details_then_description() -> None:
    full = build(4000)
    seen: list[dict[str, int]] = []
    for budget in range(full.tokens, 0, -1):
        built = build(budget)
        seen.append(dict(built.dropped))
        if built.over_budget:
            break
    ladder = []
    for dropped in seen:
        if dropped not in ladder:
            ladder.append(dropped)
    assert ladder == [
        {"events": 0, "memories": 0, "details": 0, "description": 0},
        {"events": 1, "memories": 0, "details": 0, "description": 0},
        {"events": 2, "memories": 0, "details": 0, "description": 0},
        {"events": 3, "memories": 0, "details": 0, "description": 0},
        {"events": 3, "memories": 1, "details": 0, "description": 0},
        {"events": 3, "memories": 2, "details": 0, "description": 0},
        {"events": 3, "memories": 3, "details": 0, "description": 0},
        {"events": 3, "memories": 3, "details": 1, "description": 0},
        {"events": 3, "memories": 3, "details": 2, "description": 0},
        {"events": 3, "memories": 3, "details": 3, "description": 0},
        {"events": 3, "memories": 3, "details": 4, "description": 0},
        {"events": 3, "memories": 3, "details": 4, "description": 1},
        {"events": 3, "memories": 3, "details": 4, "description": 2},
    ]


def test_which_items_go_first_within_a_section() -> None:
    full = build(4000).tokens

    def user(budget: int) -> str:
        return build(budget).messages[-1]["content"]

    budgets = range(full, 0, -1)
    one_event = next(user(b) for b in budgets if build(b).dropped["events"] == 1)
    assert "first event" not in one_event
    assert "second event" in one_event  # the oldest goes first
    one_memory = next(user(b) for b in budgets if build(b).dropped["memories"] == 1)
    assert "memory-b" not in one_memory  # the lowest score goes first
    assert "memory-c" in one_memory
    one_detail = next(user(b) for b in budgets if build(b).dropped["details"] == 1)
    assert "- a net\n" in one_detail  # scenery loses its detail first
    assert "a storm lantern (lit)" in one_detail
    two = next(user(b) for b in budgets if build(b).dropped["details"] == 3)
    assert "- a tinderbox\n" in two  # among equals, the one listed last goes first
    assert "- a storm lantern (lit)" in two


def test_what_is_never_cut() -> None:
    built = build(1, player_input="x" * 900)
    assert built.over_budget is True
    assert built.tokens > 1
    system, user = (m["content"] for m in built.messages)
    assert system.startswith("You are the narrator of Test")
    for kept in (
        "look: done",
        "Boathouse. Tar and rope.",
        "Place: Boathouse",
        "Tar and rope.",  # the first sentence of the description
        "Exits: east, out",
        "- a storm lantern\n",
        "- a coat\n",
        "Status: health 9 of 12",
        "x" * 499 + "…",
    ):
        assert kept in user, kept
    for cut in ("Hulls wait", "memory-", "event", "(lit)", "(worn)"):
        assert cut not in user, cut


def test_the_player_input_is_capped_at_the_boundary() -> None:
    builder = FinalPromptBuilder(input_limit=10)
    built = builder.build(
        LIBRARY.get("parser"),
        budget=500,
        actions=[],
        things=[],
        player_input="  take the lamp now  ",
    )
    assert built.messages[-1]["content"] == "take the…"
    short = builder.build(
        LIBRARY.get("parser"), budget=500, actions=[], things=[], player_input="look"
    )
    assert short.messages[-1]["content"] == "look"
    with pytest.raises(ValueError, match="input_limit must be at least 1"):
        FinalPromptBuilder(input_limit=0)


def test_sections_a_prompt_does_not_read_are_never_cut() -> None:
    parser = LIBRARY.get("parser")
    built = FinalPromptBuilder().build(
        parser, budget=10, state=state(), memories=MEMORIES, actions=[], things=["lamp"]
    )
    assert built.over_budget is True
    assert built.dropped == dict.fromkeys(CUT_ORDER, 0)


def test_without_a_state_the_state_section_is_empty() -> None:
    built = build(4000, state=None)
    assert "## State\n\n## Memories" in built.messages[-1]["content"]


def test_a_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="budget must be a positive number of tokens, not 0"):
        build(0)


def test_a_prompt_reading_something_not_given_is_an_error() -> None:
    prompt = Prompt.from_bytes(
        b'+++\nid = "x"\nversion = "1"\nrole = "narrator"\ndescription = "d"\n+++\n'
        b"{% block user %}{{ weather }}{% endblock %}",
        "x.j2",
    )
    with pytest.raises(PromptRenderError, match="weather"):
        FinalPromptBuilder().build(prompt, budget=100)
    assert FinalPromptBuilder().build(prompt, budget=100, weather="rain").messages == (
        {"role": "user", "content": "rain"},
    )


def test_the_same_sections_give_the_same_prompt() -> None:
    assert build(300) == build(300)
    assert build(4000) == build(4000)


def test_a_real_tokenizer_can_count_instead() -> None:
    words = FinalPromptBuilder(lambda text: len(text.split())).build(
        LIBRARY.get("parser"), budget=500, actions=[], things=[], player_input="take the lamp"
    )
    assert words.tokens == count_messages(words.messages, lambda text: len(text.split()))


def test_renders_grow_with_the_log_of_the_items() -> None:
    calls = 0

    def counting(text: str) -> int:
        nonlocal calls
        calls += 1
        return estimate_tokens(text)

    many = tuple(Seen(f"a thing {i}", "dusty", 0, f"thing {i}") for i in range(200))
    memories = [Memory(f"memory {i} " * 5, i / 100) for i in range(100)]
    sections = {"verdict": ["look: done"], "account": "a", "player_input": "look", "title": "T"}
    built = FinalPromptBuilder(counting).build(
        NARRATOR, budget=1500, state=state(things=many), memories=memories, **sections
    )
    assert not built.over_budget
    assert 0 < sum(built.dropped.values()) < 310
    renders = calls / len(built.messages)
    assert renders <= math.log2(310) + 2


# --- properties ---------------------------------------------------------------------

words = st.text("abcdefghij ", min_size=1, max_size=30).map(str.strip).filter(bool)


@st.composite
def contexts(draw: st.DrawFn) -> StateContext:
    def seen(prefix: str) -> st.SearchStrategy[Seen]:
        return st.builds(
            Seen,
            name=words.map(lambda w: f"{prefix} {w}"),
            detail=st.sampled_from(["", "lit", "open, on the table", "worn"]),
            salience=st.integers(0, 4),
        )

    sentences = draw(st.lists(words.map(lambda w: w.capitalize() + "."), max_size=6))
    return StateContext(
        location=draw(words),
        description=" ".join(sentences),
        exits=tuple(draw(st.lists(st.sampled_from(["north", "south", "up"]), max_size=3))),
        things=tuple(draw(st.lists(seen("thing"), max_size=8))),
        people=tuple(draw(st.lists(seen("person"), max_size=3))),
        inventory=tuple(draw(st.lists(seen("held"), max_size=4))),
        status=("health 3 of 5",),
        goals=tuple(draw(st.lists(words, max_size=2))),
        events=tuple(f"event-{i} {w}" for i, w in enumerate(draw(st.lists(words, max_size=5)))),
    )


memories = st.lists(st.sampled_from([0.1, 0.5, 0.9]), max_size=7).map(
    lambda scores: [Memory(f"memory-{i} text", s) for i, s in enumerate(scores)]
)


@settings(max_examples=300, deadline=None)
@given(
    context=contexts(),
    remembered=memories,
    budget=st.integers(1, 700),
    typed=st.text(max_size=800),
    version=st.sampled_from(["1", "2"]),
)
def test_the_budget_is_kept_and_cuts_follow_the_order(
    context: StateContext, remembered: list[Memory], budget: int, typed: str, version: str
) -> None:
    prompt = LIBRARY.get("narrator", version)
    built = FinalPromptBuilder().build(
        prompt,
        budget=budget,
        state=context,
        memories=remembered,
        verdict=["take (item: the lamp): done"],
        account="Taken.",
        player_input=typed,
        title="T",
    )
    assert built.tokens == count_messages(built.messages)
    sizes = {
        "events": len(context.events),
        "memories": len(remembered),
        "details": sum(1 for s in context.things + context.people + context.inventory if s.detail),
        "description": max(len(context.sentences()) - 1, 0),
    }
    if built.over_budget:
        assert built.tokens > budget
        assert built.dropped == sizes  # everything cuttable was cut
    else:
        assert built.tokens <= budget
    # a section is cut only once every section before it is gone
    for earlier, later in itertools.pairwise(CUT_ORDER):
        if built.dropped[later]:
            assert built.dropped[earlier] == sizes[earlier]
    user = built.messages[-1]["content"]
    # the oldest events went; the lowest-scored memories went
    for i, event in enumerate(context.events):
        assert (event in user) == (i >= built.dropped["events"])
    order = sorted(range(len(remembered)), key=lambda i: (remembered[i].score, -i))
    gone = set(order[: built.dropped["memories"]])
    for i, memory in enumerate(remembered):
        assert (f"{memory.text}\n" in user + "\n") == (i not in gone)
    # never cut
    assert "take (item: the lamp): done" in user
    assert "Taken." in user
    assert context.location in user


@settings(max_examples=100, deadline=None)
@given(
    context=contexts(),
    remembered=memories,
    budgets=st.lists(st.integers(1, 700), min_size=2, max_size=2),
)
def test_a_bigger_budget_never_cuts_more(
    context: StateContext, remembered: list[Memory], budgets: list[int]
) -> None:
    low, high = sorted(budgets)
    sections = {"state": context, "memories": remembered, "account": "a", "title": "T"}
    small = FinalPromptBuilder().build(NARRATOR, budget=low, **sections)
    large = FinalPromptBuilder().build(NARRATOR, budget=high, **sections)
    assert sum(large.dropped.values()) <= sum(small.dropped.values())
