"""Long-term memory for the models: a game's lore and a save's history,
recalled by meaning and filtered by state.

The narrator's :class:`~fabula.narration.Brain` keeps a :class:`MemoryStore`
beside the save, indexes the game's ``lore/`` folder into it, records one
:class:`HistoryEntry` per committed turn, and asks :meth:`MemoryStore.recall`
for the few :class:`Memory` items a prompt should carry. Everything in it
derives from the game's files and the save's journal, so
:meth:`MemoryStore.sync` can always bring it back in line with the save
(after an undo, a crash or a restore). The design, the scoring
formula and the sync rules are in ``docs/memory.md``.

Embedding runs locally by default (:class:`LocalEmbedder`: all-MiniLM-L6-v2
from a package, nothing downloaded), or on any OpenAI-compatible endpoint
(:class:`OpenAIEmbedder`, through :class:`fabula.ai.ModelClient`); any Chroma
embedding function fits. Whatever fails underneath (Chroma, the file
system, an embedder or its server, the journal read back for memory) comes
out as :class:`MemoryStoreError` (:class:`EmbedderError` for an embedder).
"""

import importlib as _importlib
import typing as _typing

from fabula.errors import EmbedderError, MemoryStoreError
from fabula.memory.chunking import Chunk, chunk_text
from fabula.memory.history import (
    HistoryEntry,
    PlainNarrator,
    Scene,
    entity_key,
    history_entry,
    importance_of,
    source_of,
)
from fabula.memory.lore import LoreFile, LoreMeta, read_lore
from fabula.memory.recall import KINDS, Kind, Memory, Scoring

if _typing.TYPE_CHECKING:
    from fabula.memory.chroma import chroma_server
    from fabula.memory.embedding import LOCAL_MODEL, Embedder, LocalEmbedder, OpenAIEmbedder
    from fabula.memory.history_log import SyncReport
    from fabula.memory.lore_index import LoreReport
    from fabula.memory.store import MemoryStore

_LAZY = {
    "chroma_server": "fabula.memory.chroma",
    "LOCAL_MODEL": "fabula.memory.embedding",
    "Embedder": "fabula.memory.embedding",
    "LocalEmbedder": "fabula.memory.embedding",
    "OpenAIEmbedder": "fabula.memory.embedding",
    "SyncReport": "fabula.memory.history_log",
    "LoreReport": "fabula.memory.lore_index",
    "MemoryStore": "fabula.memory.store",
}
"""Names whose modules import ChromaDB (about a second): loaded on first use,
so reading lore files or a history entry (the parser's topics, ``fabula
validate``, a game played without memory) never pays for it."""


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fabula.memory' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "KINDS",
    "LOCAL_MODEL",
    "Chunk",
    "Embedder",
    "EmbedderError",
    "HistoryEntry",
    "Kind",
    "LocalEmbedder",
    "LoreFile",
    "LoreMeta",
    "LoreReport",
    "Memory",
    "MemoryStore",
    "MemoryStoreError",
    "OpenAIEmbedder",
    "PlainNarrator",
    "Scene",
    "Scoring",
    "SyncReport",
    "chroma_server",
    "chunk_text",
    "entity_key",
    "history_entry",
    "importance_of",
    "read_lore",
    "source_of",
]
