"""The model narrator against a real HTTP server with scripted answers: it
streams, falls back to the account whenever the model cannot tell the turn,
says once when the model goes away, and never lets control characters or a
flood of text through."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from fabula.ai import CircuitBreaker, ModelClient, RoleConfig
from fabula.narration import ModelNarrator, Sanitizer
from tests.support.scripted_model import Script, chunks

ACCOUNT = "Taken."
MESSAGES = [{"role": "user", "content": "take lantern"}]


def narrator(url: str, *, failures: int = 3, max_chars: int = 4000) -> ModelNarrator:
    client = ModelClient(
        "narrator", RoleConfig(model="bard", base_url=url, retries=0), sleep=lambda _: None
    )
    return ModelNarrator(client, CircuitBreaker("narrator", failures), max_chars=max_chars)


def test_the_telling_streams_piece_by_piece(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["  You lift", " the lantern", " from its nail."]))]
    shown: list[str] = []
    telling = narrator(url).tell(MESSAGES, ACCOUNT, prompt="narrator@1#abc", emit=shown.append)
    assert shown == ["You lift", " the lantern", " from its nail."]
    assert telling.text == "You lift the lantern from its nail."
    assert telling.source == "model"
    assert (telling.use.prompt_tokens, telling.use.completion_tokens) == (9, 3)
    assert telling.first_token is not None
    assert telling.first_token <= telling.use.latency
    assert telling.journal() == {
        "narrator": "bard",
        "narrator_source": "model",
        "narrator_tokens": "9+3",
        "narrator_ms": telling.journal()["narrator_ms"],
        "narrator_prompt": "narrator@1#abc",
    }
    assert script.requests[0]["stream"] is True


def test_a_model_that_is_down_gives_the_account_and_is_announced_once(
    server: tuple[str, Script],
) -> None:
    url, script = server
    teller = narrator(url, failures=2)
    script.answers = [(500, None), (500, None)]
    first = teller.tell(MESSAGES, ACCOUNT)
    assert (first.text, first.source, first.use.error) == (ACCOUNT, "template", "HTTP 500")
    assert first.notice is None  # one failure is not yet an outage
    notice = teller.tell(MESSAGES, ACCOUNT).notice
    assert notice is not None
    assert "narrator model is not answering" in notice
    shown: list[str] = []
    third = teller.tell(MESSAGES, ACCOUNT, emit=shown.append)
    assert shown == [ACCOUNT]
    assert third.use.error == "circuit open"
    assert third.notice is None
    assert len(script.requests) == 2  # the open circuit did not ask


def test_a_stream_that_breaks_part_way_keeps_what_was_shown_then_tells_plainly(
    server: tuple[str, Script],
) -> None:
    url, script = server
    piece = {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "The lantern is"},
                          "finish_reason": None}]}  # fmt: skip
    script.answers = [(200, f"data: {json.dumps(piece)}\n\ndata: {{not json\n\n".encode())]
    shown: list[str] = []
    telling = narrator(url).tell(MESSAGES, ACCOUNT, emit=shown.append)
    assert shown[0] == "The lantern is"
    assert "".join(shown) == telling.text == f"The lantern is\n\n{ACCOUNT}"
    assert telling.source == "model"
    assert telling.use.error.startswith("the stream broke")


def test_silence_is_a_failure_and_the_account_is_shown(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["", "  ", "\x1b[2J"]))]
    telling = narrator(url).tell(MESSAGES, ACCOUNT)
    assert (telling.text, telling.source, telling.use.error) == (
        ACCOUNT,
        "template",
        "the model said nothing",
    )


def test_a_flood_is_cut_at_a_word(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["word " * 50] * 100))]
    shown: list[str] = []
    telling = narrator(url, max_chars=120).tell(MESSAGES, ACCOUNT, emit=shown.append)
    assert len(telling.text) <= 121
    assert telling.text.endswith("word…")
    assert "".join(shown) == telling.text
    assert telling.use.error == "cut at 120 characters"


def test_escape_sequences_never_reach_the_screen(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [
        (200, chunks(["\x1b[31mSYSTEM:\x1b", "[0m you win\r\n", "\x1b]0;owned\x07 \u202eevil"]))
    ]
    telling = narrator(url).tell(MESSAGES, ACCOUNT)
    assert telling.text == "SYSTEM: you win\n evil"


_CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f", "\x9b"}


@given(st.lists(st.text(), max_size=8))
def test_sanitized_text_has_no_control_characters(pieces: list[str]) -> None:
    clean = Sanitizer()
    out = "".join(clean.feed(p) for p in pieces)
    assert not (_CONTROLS & set(out))


@given(st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))), max_size=8))
def test_plain_text_passes_unchanged(pieces: list[str]) -> None:
    clean = Sanitizer()
    bidi = set(Sanitizer._BIDI)
    expected = "".join(ch for ch in "".join(pieces) if ch not in bidi)
    assert "".join(clean.feed(p) for p in pieces) == expected
