"""Every error fabula raises, in one tree.

Callers catch :class:`FabulaError` to handle anything the engine reports, or a
narrower branch to handle one concern. Each error carries the context needed to
act on it (an entity, a component name, a file and field) and its message says
what to do next. Errors from libraries underneath (SQLite, ChromaDB, model
clients) are translated at the boundary with ``raise ... from exc``.

The classes live in a module per layer (``base``: the root, arguments and
registries; ``engine``: the ECS, actions, systems and events; ``games``:
content, prompts, models and memory; ``persistence``: saves); import them
from here.

::

    FabulaError
    ├── ArgumentError                 an argument a function cannot take (a ValueError, TypeError)
    ├── RegistryError                 a name registered twice, or looked up and absent
    │   ├── DuplicateNameError
    │   └── UnknownNameError
    ├── DiscoveryError                a module or directory could not be scanned
    ├── EcsError                      misuse of the World
    │   ├── ComponentDeclarationError a component class that cannot be stored as declared
    │   ├── EntityError               a handle that names no live entity
    │   │   └── DespawnedEntityError  a handle to an entity that was despawned
    │   ├── MissingComponentError     an entity lacks the component asked for
    │   ├── ReadOnlyError             a write asked of a read-only view of the world
    │   └── StructuralChangeError     a change that is not allowed where it was made
    ├── ActionDeclarationError        an action class that cannot be used as declared
    ├── ScheduleError                 systems that cannot be ordered or run as declared
    ├── TaskError                     async work misused (see fabula.systems.tasks)
    ├── GameNotFoundError             no game answers to the id or reference given
    ├── ScaffoldError                 a new game folder that cannot be written (has .path)
    ├── ContentError                  a game's files have problems (lists them all)
    │   └── PromptError               prompt files with problems (fabula.prompts)
    │       ├── UnknownPromptError    no prompt with that id or version
    │       └── PromptRenderError     a prompt that cannot be filled in
    ├── ConfigError                   model settings that do not fit (lists them all)
    ├── ModelError                    a model did not answer usefully (after retries)
    ├── MemoryStoreError              long-term memory cannot be used (fabula.memory; has .where)
    │   └── EmbedderError             the embedding model cannot be loaded or run, or failed
    ├── EventError                    misuse of the EventBus (see fabula.events)
    │   ├── EventTypeError            a value that is not an Event where one is needed
    │   ├── SubscriptionError         a handler that cannot be (un)subscribed as asked
    │   └── EventCascadeError         handlers publishing without end during one publish
    └── PersistenceError              a save file that cannot be used as asked (has .path)
        ├── NotASaveError             not SQLite, truncated, or not a fabula save
        ├── SaveVersionError          written by a newer fabula
        ├── SaveContentError          a row this game cannot load (has .table, .row, .field)
        ├── SaveLockedError           open in another process
        ├── SaveWriteError            the disk refused a write (read-only, full)
        ├── WalError                  a -wal SQLite would cut short or that is another database's
        └── ReplayError               a journal that does not reproduce its state
"""

from __future__ import annotations

from fabula.errors.base import (
    ArgumentError,
    DiscoveryError,
    DuplicateNameError,
    FabulaError,
    RegistryError,
    UnknownNameError,
)
from fabula.errors.engine import (
    ActionDeclarationError,
    ComponentDeclarationError,
    DespawnedEntityError,
    EcsError,
    EntityError,
    EventCascadeError,
    EventError,
    EventTypeError,
    MissingComponentError,
    ReadOnlyError,
    ScheduleError,
    StructuralChangeError,
    SubscriptionError,
    TaskError,
)
from fabula.errors.games import (
    ConfigError,
    ContentError,
    EmbedderError,
    GameNotFoundError,
    MemoryStoreError,
    ModelError,
    PromptError,
    PromptRenderError,
    ScaffoldError,
    UnknownPromptError,
)
from fabula.errors.persistence import (
    NotASaveError,
    PersistenceError,
    ReplayError,
    SaveContentError,
    SaveLockedError,
    SaveVersionError,
    SaveWriteError,
    WalError,
)

__all__ = [
    "ActionDeclarationError",
    "ArgumentError",
    "ComponentDeclarationError",
    "ConfigError",
    "ContentError",
    "DespawnedEntityError",
    "DiscoveryError",
    "DuplicateNameError",
    "EcsError",
    "EmbedderError",
    "EntityError",
    "EventCascadeError",
    "EventError",
    "EventTypeError",
    "FabulaError",
    "GameNotFoundError",
    "MemoryStoreError",
    "MissingComponentError",
    "ModelError",
    "NotASaveError",
    "PersistenceError",
    "PromptError",
    "PromptRenderError",
    "ReadOnlyError",
    "RegistryError",
    "ReplayError",
    "SaveContentError",
    "SaveLockedError",
    "SaveVersionError",
    "SaveWriteError",
    "ScaffoldError",
    "ScheduleError",
    "StructuralChangeError",
    "SubscriptionError",
    "TaskError",
    "UnknownNameError",
    "UnknownPromptError",
    "WalError",
]
