"""One client for any OpenAI-compatible server: chat, streaming and embeddings.

Ollama, vLLM, llama.cpp's server, LM Studio, OpenAI and the cloud providers
that copy its API all speak ``/v1/chat/completions`` and ``/v1/embeddings``;
the official ``openai`` SDK talks to any of them given a ``base_url``. A
:class:`ModelClient` is one role's (or one endpoint's) way to its server:
the parser, the narrator and the embedder each have one. Every request it
makes goes through the one retry policy (:class:`~fabula.ai.RetryPolicy`),
and every answer comes back as a record of what it cost: a
:class:`Completion`, a :class:`ChatStream` (whose usage is known once it
ends), or the vectors of an embedding.

Lifetime: the SDK's client (and its pool of HTTP connections) is made on
the first request, not before, so building a ``ModelClient`` costs nothing
and imports nothing heavy. :meth:`ModelClient.close` releases the
connections; whoever makes a client closes it (or uses it as a context
manager). A client asked again after :meth:`~ModelClient.close` connects
again, so closing a client that something else still holds is never a bug,
only a reconnection.

The API key is read from the environment variable the settings name at each
request (so it is never kept by fabula, and a key changed while the game
runs is used at once).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fabula.ai.config import RoleConfig
from fabula.ai.retry import RetryPolicy
from fabula.errors import ModelError

__all__ = ["ChatStream", "Completion", "Message", "ModelClient"]

Message = dict[str, str]
"""One chat message: ``{"role": "system" | "user" | "assistant", "content": text}``."""


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


class ModelClient:
    """Talks to one role's model (or one embeddings endpoint).

    Args:
        role: ``"parser"``, ``"narrator"`` or ``"embedder"`` (for errors and
            accounting).
        config: the role's settings: endpoint, model, sampling, timeout and
            the retry policy's ``retries`` and ``backoff``.
        sleep: how to wait between attempts (tests pass a recorder).
        rng: the jitter's randomness (never the world's: this is I/O, not game).

    Use it as a context manager, or call :meth:`close` when done.
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
        self.retry = RetryPolicy(config.retries, config.backoff, sleep, rng or random.Random())
        self._sdk: Any = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Release the HTTP connections (a later request opens new ones)."""
        with self._lock:
            sdk, self._sdk = self._sdk, None
        if sdk is not None:
            sdk.close()

    def __enter__(self) -> ModelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "connected" if self._sdk is not None else "not connected"
        return f"<ModelClient {self.role}: {self.config.model} at {self.config.base_url} ({state})>"

    # ------------------------------------------------------------- requests

    def complete(
        self, messages: Sequence[Message], *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        """Ask for one answer; with ``json_schema``, the server is asked to
        constrain the answer to it (structured output).

        Raises:
            ModelError: every attempt failed, or the request was rejected.
        """
        extra: dict[str, Any] = {}
        if json_schema is not None and self.config.structured_output == "json_object":
            extra["response_format"] = {"type": "json_object", "schema": json_schema}
        elif json_schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": json_schema, "strict": True},
            }
        start = time.perf_counter()
        response, attempts = self._chat(messages, **extra)
        try:
            choice = response.choices[0] if response.choices else None
            text = (choice.message.content if choice is not None else None) or ""
            usage = response.usage
            tokens = (int(usage.prompt_tokens), int(usage.completion_tokens)) if usage else (0, 0)
            if not isinstance(text, str):
                raise TypeError(type(text).__name__)
        except (AttributeError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(self.role, "the answer is not a chat completion") from exc
        return Completion(text, *tokens, time.perf_counter() - start, attempts)

    def stream(self, messages: Sequence[Message]) -> ChatStream:
        """The answer as it is generated: iterate the returned
        :class:`ChatStream` for its pieces (the request is made then).

        Connection failures before the first piece are retried like
        :meth:`complete`; once text has been shown, a failure ends the stream
        with :class:`ModelError` (the caller keeps what it showed).
        """
        return ChatStream(
            self.role,
            lambda: self._chat(messages, stream=True, stream_options={"include_usage": True}),
        )

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order, from the ``/v1/embeddings`` endpoint
        (as the server gives them: the caller normalises).

        Raises:
            ModelError: every attempt failed, the request was rejected, or the
                answer does not hold one vector per text.
        """
        garbled = "the answer is not a list of embeddings"
        response, _ = self.retry.call(
            self.role,
            lambda: self._connection().embeddings.create(
                model=self.config.model,
                input=list(texts),
                encoding_format="float",
                extra_headers=self._auth(),
            ),
            endpoint=self.config.base_url,
            garbled=garbled,
        )
        try:
            data = sorted(response.data, key=lambda item: item.index)
            vectors = [list(item.embedding) for item in data]
        except (AttributeError, TypeError, ValueError) as exc:
            raise ModelError(self.role, garbled, retryable=False) from exc
        if len(vectors) != len(texts):
            raise ModelError(
                self.role, f"{len(vectors)} vectors answered for {len(texts)} texts",
                retryable=False,
            )  # fmt: skip
        return vectors

    # ------------------------------------------------------------ internals

    def _chat(self, messages: Sequence[Message], **extra: Any) -> tuple[Any, int]:
        """One chat request with the role's settings, retried by the policy;
        returns the response and the attempts it took."""
        return self.retry.call(
            self.role,
            lambda: self._connection().chat.completions.create(
                model=self.config.model,
                messages=list(messages),
                temperature=self.config.temperature,
                max_tokens=self.config.max_tokens,
                extra_headers=self._auth(),
                **extra,
            ),
            endpoint=self.config.base_url,
            garbled="the answer is not a chat completion",
        )

    def _auth(self) -> dict[str, str]:
        """The API key, read from the environment now."""
        return {"Authorization": f"Bearer {self.config.api_key()}"}

    def _connection(self) -> Any:
        """The SDK's client, made on first use (with its own retries off)."""
        with self._lock:
            if self._sdk is None:
                import openai

                self._sdk = openai.OpenAI(
                    base_url=self.config.base_url,
                    api_key="read-at-each-request",
                    timeout=self.config.timeout,
                    max_retries=0,
                )
            return self._sdk


class ChatStream:
    """One streamed answer: iterate it for the pieces of text as they are
    generated. The request is made when iteration starts; once the stream
    has ended, :attr:`usage` says what it cost.

    Close it (or use it as a context manager) to let go of a stream before its
    end, e.g. when a telling is cut: the connection is released at once.

    Attributes:
        role: whose stream.
        prompt_tokens, completion_tokens: as the server counted them, or, from
            a server that sends no usage, one completion token per piece.
        attempts: requests made to open it.
    """

    def __init__(self, role: str, open_stream: Callable[[], tuple[Any, int]]) -> None:
        self.role = role
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.attempts = 0
        self._open = open_stream
        self._pieces = self._read()

    @property
    def usage(self) -> tuple[int, int]:
        """``(prompt_tokens, completion_tokens)``."""
        return self.prompt_tokens, self.completion_tokens

    def __iter__(self) -> Iterator[str]:
        return self._pieces

    def close(self) -> None:
        """Stop reading and release the connection (nothing if it has ended)."""
        self._pieces.close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> Iterator[str]:
        response, self.attempts = self._open()
        pieces = 0
        finished = False
        try:
            for chunk in response:
                if chunk.usage is not None:
                    self.prompt_tokens = chunk.usage.prompt_tokens
                    self.completion_tokens = chunk.usage.completion_tokens
                for choice in chunk.choices:
                    finished = finished or choice.finish_reason is not None
                    content = choice.delta.content
                    if not content:
                        continue
                    if not isinstance(content, str):
                        raise TypeError(f"a {type(content).__name__} where text was expected")
                    pieces += 1
                    # A server that sends no usage (llama-cpp-python ignores
                    # stream_options) streams about one token per piece.
                    self.completion_tokens = max(self.completion_tokens, pieces)
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
        finally:
            response.close()
