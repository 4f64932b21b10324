"""One client for any OpenAI-compatible chat API, with our own retry policy.

Ollama, vLLM, llama.cpp's server, LM Studio, OpenAI and the cloud providers
that copy its API all speak ``/v1/chat/completions``; the official ``openai``
SDK talks to any of them given a ``base_url``. The SDK's own retries are
turned off: this client retries what may pass (connection errors, timeouts,
rate limits, 5xx) with exponential backoff and full jitter, never what will
not (4xx), and reports every outcome with its tokens and latency, which the
turn's journal row and the debug view record.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import openai

from fabula.ai.config import RoleConfig
from fabula.errors import ModelError

__all__ = ["ChatClient", "Completion", "Message"]

Message = dict[str, str]


@dataclass(frozen=True, slots=True)
class Completion:
    """One answer, and what it cost.

    Attributes:
        text: the answer.
        prompt_tokens, completion_tokens: as the server counted them (0 if it
            did not say).
        latency: seconds from the first attempt to the answer.
        attempts: requests made (1 when nothing was retried).
    """

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    attempts: int = 1


_RETRYABLE = (
    openai.APIConnectionError,  # includes APITimeoutError
    openai.RateLimitError,
    openai.InternalServerError,
)


class ChatClient:
    """Talks to one role's model.

    Args:
        role: "parser" or "narrator" (for errors and accounting).
        config: the role's settings.
        sleep: how to wait between attempts (tests pass a recorder).
        rng: the jitter's randomness (never the world's: this is I/O, not game).
    """

    def __init__(
        self,
        role: str,
        config: RoleConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.role = role
        self.config = config
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._client = openai.OpenAI(
            base_url=config.base_url,
            api_key=config.api_key(),
            timeout=config.timeout,
            max_retries=0,
        )
        self.last_usage: tuple[int, int] = (0, 0)

    def complete(
        self, messages: Sequence[Message], *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        """Ask for one answer; with ``json_schema``, the server is asked to
        constrain the answer to it (structured output).

        Raises:
            ModelError: every attempt failed, or the request was rejected.
        """
        extra: dict[str, Any] = {}
        self.last_usage = (0, 0)
        if json_schema is not None and self.config.structured_output == "json_object":
            extra["response_format"] = {"type": "json_object", "schema": json_schema}
        elif json_schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": json_schema, "strict": True},
            }
        start = time.perf_counter()
        response, attempts = self._request(messages, **extra)
        try:
            choice = response.choices[0] if response.choices else None
            text = (choice.message.content if choice is not None else None) or ""
            usage = response.usage
            tokens = (int(usage.prompt_tokens), int(usage.completion_tokens)) if usage else (0, 0)
            if not isinstance(text, str):
                raise TypeError(type(text).__name__)
        except (AttributeError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(self.role, "the answer is not a chat completion") from exc
        self.last_usage = tokens
        return Completion(text, *tokens, time.perf_counter() - start, attempts)

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """Yield the answer as it is generated, piece by piece.

        Connection failures before the first piece are retried like
        :meth:`complete`; once text has been shown, a failure ends the stream
        with :class:`ModelError` (the caller keeps what it showed).
        """
        self.last_usage = (0, 0)  # a failed stream must not report the last one's tokens
        stream, _ = self._request(messages, stream=True, stream_options={"include_usage": True})
        pieces = 0
        finished = False
        try:
            for chunk in stream:
                if chunk.usage is not None:
                    self.last_usage = (chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                for choice in chunk.choices:
                    finished = finished or choice.finish_reason is not None
                    content = choice.delta.content
                    if not content:
                        continue
                    if not isinstance(content, str):
                        raise TypeError(f"a {type(content).__name__} where text was expected")
                    pieces += 1
                    if self.last_usage[1] < pieces:
                        # A server that sends no usage (llama-cpp-python ignores
                        # stream_options) streams about one token per piece.
                        self.last_usage = (self.last_usage[0], pieces)
                    yield content
            if not finished:  # every server ends a whole answer with a finish reason
                raise ModelError(self.role, "the stream ended early")
        except ModelError:
            raise
        except Exception as exc:
            # A dropped connection, a garbled event, whatever the SDK's HTTP
            # layer raises (its exception types are not part of its API):
            # the model failed, and the narrator falls back.
            raise ModelError(self.role, f"the stream broke ({type(exc).__name__})") from exc

    def _request(self, messages: Sequence[Message], **extra: Any) -> tuple[Any, int]:
        """One chat request with the role's settings, retried by the policy;
        returns the response and the attempts it took."""
        return self._with_retries(
            lambda: self._client.chat.completions.create(
                model=self.config.model,
                messages=list(messages),  # type: ignore[arg-type]
                temperature=self.config.temperature,
                max_tokens=self.config.max_tokens,
                **extra,
            )
        )

    def _with_retries(self, call: Callable[[], Any]) -> tuple[Any, int]:
        attempts = 0
        while True:
            attempts += 1
            try:
                return call(), attempts
            except _RETRYABLE as exc:
                if attempts > self.config.retries:
                    raise ModelError(self.role, _reason(exc)) from exc
                ceiling = self.config.backoff * 2 ** (attempts - 1)
                self._sleep(self._rng.uniform(0, ceiling))  # full jitter
            except openai.APIStatusError as exc:
                raise ModelError(self.role, _reason(exc), retryable=False) from exc
            except (ValueError, TypeError, AttributeError) as exc:
                # a 200 whose body the SDK cannot read as a completion
                raise ModelError(
                    self.role, "the answer is not a chat completion", retryable=False
                ) from exc


def _reason(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError):
        return "cannot connect"
    return type(exc).__name__
