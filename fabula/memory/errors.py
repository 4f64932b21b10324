"""What the memory layer raises, below :class:`~fabula.errors.FabulaError`.

::

    FabulaError
    ├── ContentError           a lore file's front-matter is wrong (file and line)
    ├── ModelError             an embeddings endpoint did not answer (role "embedder")
    └── MemoryStoreError       memory that cannot be opened, read or written (has .where)
        └── EmbedderError      an embedder that is not installed or cannot load

Memory is derived data: lore comes from the game's files and history from the
save's journal, so every store can be rebuilt. A caller that cannot use memory
(any of these errors) can therefore play on without it and try again later;
the world and the save are never affected.
"""

from __future__ import annotations

from typing import Any

from fabula.errors import FabulaError

__all__ = ["EmbedderError", "MemoryStoreError"]


class MemoryStoreError(FabulaError):
    """A memory store that cannot be opened, read or written as asked.

    Attributes:
        where: the store's folder, or the Chroma server, concerned.
    """

    def __init__(self, where: Any, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


class EmbedderError(MemoryStoreError):
    """An embedder that cannot be used: its package is not installed, or its
    model does not load.

    Attributes:
        embedder: the embedder's name (``"fabula-local-minilm"``...).
    """

    def __init__(self, embedder: str, message: str) -> None:
        super().__init__(f"embedder {embedder}", message)
        self.embedder = embedder
