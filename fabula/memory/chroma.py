"""The Chroma boundary: clients, stamped collections, embedding and queries.

Everything the memory store asks of Chroma goes through a :class:`Chroma`,
which translates Chroma's errors (and an embedder's) into
:class:`~fabula.memory.MemoryStoreError` with advice, and enforces two rules:

* **Chroma never embeds by itself.** Every text is embedded here, with the
  store's embedder, and Chroma is handed the vectors; the embedder is also
  given to each collection, so Chroma's default embedder (which downloads a
  model) is never chosen for it.
* **A collection holds one kind of vector.** Each is stamped (in its
  metadata) with the store's layout and its embedder's identity; opening one
  stamped otherwise drops it, to be rebuilt, rather than mixing vectors of
  two models.

Telemetry is off for every client made here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection as ChromaCollection
from chromadb.api.types import EmbeddingFunction
from chromadb.config import Settings
from chromadb.errors import NotFoundError

from fabula.errors import EmbedderError, FabulaError, MemoryStoreError, ModelError
from fabula.memory.embedding import Embedder

__all__ = [
    "BATCH",
    "Chroma",
    "Row",
    "batched",
    "chroma_server",
    "embedder_identity",
    "local_client",
]

_log = logging.getLogger(__name__)

_STAMP = "fabula"
"""Collection metadata key holding what built the collection."""

Row = tuple[str, str, dict[str, Any], float]
"""One query answer: id, document, metadata, cosine distance."""

BATCH = 256
"""Texts embedded and written per Chroma call (lore indexing, history writes)."""

_REBUILD = (
    "memory is rebuilt from the save and the game's lore, so closing the game and deleting "
    "this folder is safe."
)
_SERVER = "check that the Chroma server is running and reachable."


def _settings() -> Settings:
    return Settings(anonymized_telemetry=False)


def local_client(folder: Path) -> ClientAPI:
    """An embedded Chroma keeping its files in ``folder`` (created if needed).

    Raises:
        MemoryStoreError: the folder cannot be created or opened.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MemoryStoreError(
            folder, f"cannot be created ({exc.strerror}); check the folder's permissions."
        ) from exc
    try:
        return chromadb.PersistentClient(str(folder), settings=_settings())
    except Exception as exc:  # a damaged database, settings clash...
        raise MemoryStoreError(folder, f"cannot be opened ({exc}); {_REBUILD}") from exc


def chroma_server(url: str) -> ClientAPI:
    """A client for the Chroma server at ``url`` (``http://host:8000``), with
    telemetry off; give it to :meth:`~fabula.memory.MemoryStore.connect`.

    Raises:
        MemoryStoreError: the URL is not ``http(s)://host[:port]``, or no
            Chroma server answers there.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MemoryStoreError(url, "is not a Chroma server URL; write it as http://host:8000.")
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https",
            settings=_settings(),
        )
    except Exception as exc:  # connection refused, not a Chroma server...
        raise MemoryStoreError(
            url, f"no Chroma server answers ({exc}); start one with `chroma run`, or leave "
            "[memory] server empty to keep memory beside the save.",
        ) from exc  # fmt: skip


def embedder_identity(embedder: Embedder) -> str:
    """What makes two embedders' vectors comparable: the name Chroma knows it
    by, and its model when its config names one (``"fabula-openai/nomic"``)."""
    cls = type(embedder)
    if cls.name is EmbeddingFunction.name:
        return f"{cls.__module__}.{cls.__qualname__}"  # a function without Chroma's config API
    name = str(embedder.name())
    config: dict[str, Any] = {}
    if cls.get_config is not EmbeddingFunction.get_config:
        config = embedder.get_config() or {}
    model = config.get("model") or config.get("model_name") or ""
    return f"{name}/{model}" if model else name


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Chroma:
    """One Chroma client, as the memory store uses it.

    Args:
        client: the Chroma client.
        embedder: embeds every text stored or asked.
        where: the folder or server, for messages.
        owns_client: :meth:`close` closes the client (one made for a save's
            folder), else it stays the caller's (a shared server's).
    """

    def __init__(
        self, client: ClientAPI, embedder: Embedder, *, where: str, owns_client: bool
    ) -> None:
        self.embedder = embedder
        self.where = where
        self.identity = embedder_identity(embedder)
        self._client: ClientAPI | None = client
        self._owns_client = owns_client

    @property
    def closed(self) -> bool:
        return self._client is None

    def close(self) -> None:
        """Release the client if it is ours (closing twice is harmless).

        Raises:
            MemoryStoreError: the client failed to close.
        """
        client, self._client = self._client, None
        if client is None or not self._owns_client:
            return
        try:
            client.close()
        except Exception as exc:  # whatever a damaged database raises on the way out
            raise MemoryStoreError(
                self.where, f"did not close cleanly ({type(exc).__name__}: {exc}); {_REBUILD}"
            ) from exc

    @contextlib.contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Translate Chroma's errors (and a closed client) into
        :class:`MemoryStoreError`; fabula's own errors pass as they are."""
        if self._client is None:
            raise MemoryStoreError(self.where, "is closed; open the memory store again.")
        try:
            yield
        except FabulaError:
            raise
        except Exception as exc:  # ChromaError, ValueError, sqlite3, httpx, OSError...
            advice = _REBUILD if self._owns_client else _SERVER
            raise MemoryStoreError(
                self.where, f"{doing} failed ({type(exc).__name__}: {exc}); {advice}"
            ) from exc

    def collection(self, name: str, stamp: str) -> ChromaCollection:
        """Open ``name`` (cosine space), first dropping it if it was built
        with another stamp or another embedder."""
        stamp = f"{stamp}|{self.identity}"
        with self.errors(f"opening the collection {name}"):
            client = self._client
            assert client is not None
            try:
                found: ChromaCollection | None = client.get_collection(
                    name, embedding_function=self.embedder
                )
            except NotFoundError:
                found = None
            except ValueError:  # built with an embedder of another name
                client.delete_collection(name)
                found = None
            if found is not None and (found.metadata or {}).get(_STAMP) != stamp:
                _log.info("memory: %s was built otherwise; rebuilding it as %s", name, stamp)
                client.delete_collection(name)
                found = None
            if found is not None:
                return found
            return client.get_or_create_collection(
                name,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={_STAMP: stamp},
                embedding_function=self.embedder,
            )

    def embed(self, texts: list[str], *, query: bool = False) -> list[np.ndarray]:
        """One float32 vector per text (none for no text).

        Raises:
            EmbedderError: the embedder failed: it cannot load, its embeddings
                server did not answer usefully (the :class:`ModelError`, with
                its reason, is the cause), or it raised anything else.
        """
        if not texts:
            return []
        try:
            vectors = self.embedder.embed_query(texts) if query else self.embedder(texts)
        except EmbedderError:
            raise
        except ModelError as exc:  # an embeddings server's failure, after its retries
            raise EmbedderError(self.identity, str(exc)) from exc
        except Exception as exc:  # a foreign embedding function's own errors
            raise EmbedderError(
                self.identity, f"failed ({type(exc).__name__}: {exc}); check its settings."
            ) from exc
        if len(vectors) != len(texts):
            raise EmbedderError(
                self.identity, f"returned {len(vectors)} vectors for {len(texts)} texts."
            )
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    def query(
        self,
        collection: ChromaCollection,
        vector: np.ndarray,
        n: int,
        where: dict[str, Any] | None = None,
    ) -> list[Row]:
        """The ``n`` entries nearest ``vector`` (fewer if there are fewer),
        nearest first."""
        with self.errors("recalling"):
            found = collection.query(
                query_embeddings=[vector],
                n_results=n,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        return list(
            zip(
                found["ids"][0],
                (found["documents"] or [[]])[0],
                (found["metadatas"] or [[]])[0],
                (found["distances"] or [[]])[0],
                strict=True,
            )
        )  # type: ignore[arg-type]
