"""The chat client against a real HTTP server on loopback with scripted
answers: completions, structured output requests, streaming, retries with
backoff for what may pass, none for what will not, and timeouts."""

from __future__ import annotations

from typing import Any

import pytest

from fabula.ai.client import ModelClient
from fabula.ai.config import RoleConfig
from fabula.errors import ModelError
from tests.support.scripted_model import Script, chunks, completion


def client(url: str, **settings: Any) -> tuple[ModelClient, list[float]]:
    waits: list[float] = []
    config = RoleConfig(model="tiny", base_url=url, **settings)
    return ModelClient("narrator", config, sleep=waits.append), waits


def test_a_completion_reports_text_tokens_and_attempts(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion("You light the lamp."))]
    chat, _ = client(url, temperature=0.3, max_tokens=40)
    answer = chat.complete([{"role": "user", "content": "light lamp"}])
    assert answer.text == "You light the lamp."
    assert (answer.prompt_tokens, answer.completion_tokens, answer.attempts) == (11, 3, 1)
    sent = script.requests[0]
    assert sent["model"] == "tiny"
    assert sent["temperature"] == 0.3
    assert sent["max_tokens"] == 40


def test_structured_output_sends_the_schema(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion('{"action": "look"}'))]
    chat, _ = client(url)
    schema = {"type": "object", "properties": {"action": {"enum": ["look"]}}}
    assert chat.complete([{"role": "user", "content": "l"}], json_schema=schema).text
    assert script.requests[0]["response_format"]["json_schema"]["schema"] == schema


def test_server_errors_are_retried_with_growing_jittered_waits(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(503, None), (503, None), (200, completion("ok"))]
    chat, waits = client(url, retries=2, backoff=0.5)
    answer = chat.complete([{"role": "user", "content": "hi"}])
    assert answer.text == "ok"
    assert answer.attempts == 3
    assert len(waits) == 2
    assert 0 <= waits[0] <= 0.5
    assert 0 <= waits[1] <= 1.0


def test_giving_up_after_the_retries_is_a_model_error(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(503, None)] * 3
    chat, waits = client(url, retries=1)
    with pytest.raises(ModelError, match="the narrator model failed: HTTP 503") as info:
        chat.complete([{"role": "user", "content": "hi"}])
    assert info.value.retryable
    assert len(script.requests) == 2
    assert len(waits) == 1


def test_a_rejected_request_is_not_retried(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(404, {"error": {"message": "model 'tiny' not found"}})]
    chat, waits = client(url, retries=3)
    with pytest.raises(ModelError, match=r"HTTP 404.*check the model name") as info:
        chat.complete([{"role": "user", "content": "hi"}])
    assert not info.value.retryable
    assert len(script.requests) == 1
    assert waits == []


def test_a_slow_server_times_out(server: tuple[str, Script]) -> None:
    url, script = server
    script.delay = 1.0
    script.answers = [(200, completion("late"))]
    chat, _ = client(url, timeout=0.2, retries=0)
    with pytest.raises(ModelError, match="timed out"):
        chat.complete([{"role": "user", "content": "hi"}])


def test_nobody_listening_is_a_clear_error() -> None:
    chat, _ = client("http://127.0.0.1:9/v1", retries=0, timeout=1)
    with pytest.raises(ModelError, match=r"cannot connect.*server is running"):
        chat.complete([{"role": "user", "content": "hi"}])


def test_narration_streams_piece_by_piece(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["The ", "lamp ", "glows."]))]
    chat, _ = client(url)
    stream = chat.stream([{"role": "user", "content": "light lamp"}])
    pieces = list(stream)
    assert pieces == ["The ", "lamp ", "glows."]
    assert stream.usage == (9, 3)
    assert script.requests[0]["stream"] is True


def test_a_stream_without_usage_counts_its_pieces(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["The ", "lamp ", "glows."], usage=False))]
    chat, _ = client(url)
    stream = chat.stream([{"role": "user", "content": "light lamp"}])
    assert "".join(stream) == "The lamp glows."
    assert stream.usage == (0, 3)


def test_structured_output_in_the_json_object_shape(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion('{"action": "look"}'))]
    chat, _ = client(url, structured_output="json_object")
    schema = {"type": "object", "properties": {"action": {"enum": ["look"]}}}
    chat.complete([{"role": "user", "content": "look"}], json_schema=schema)
    assert script.requests[0]["response_format"] == {"type": "json_object", "schema": schema}


def test_a_stream_that_stops_without_finishing_is_a_failure(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, chunks(["The ", "lamp "], usage=False)[:-1])]  # no finish reason
    chat, _ = client(url)
    with pytest.raises(ModelError, match="the stream ended early"):
        list(chat.stream([{"role": "user", "content": "light lamp"}]))


def test_a_body_that_is_not_a_completion_is_a_model_error(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, ["not", "a", "completion"])]
    chat, waits = client(url)
    with pytest.raises(ModelError, match="not a chat completion"):
        chat.complete([{"role": "user", "content": "hi"}])
    assert waits == []  # it will not get better by asking again
