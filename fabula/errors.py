"""Every error fabula raises, in one tree.

Callers catch :class:`FabulaError` to handle anything the engine reports, or a
narrower branch to handle one concern. Each error carries the context needed to
act on it (an entity, a component name, a file and field) and its message says
what to do next. Errors from libraries underneath (SQLite, ChromaDB, model
clients) are translated at the boundary with ``raise ... from exc``.

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

from collections.abc import Sequence
from typing import Any

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


class FabulaError(Exception):
    """Base of every error fabula raises on purpose."""


class ArgumentError(FabulaError, ValueError, TypeError):
    """An argument a function or class cannot take: out of range, of the
    wrong kind, or given the wrong way. The message names the argument and
    what would fit. It is also a ``ValueError`` and a ``TypeError``, which is
    what Python code catching argument errors expects."""


# --- registries -------------------------------------------------------------


class RegistryError(FabulaError):
    """A registry lookup or registration failed."""


class DuplicateNameError(RegistryError):
    """Two different objects were registered under one name.

    Attributes:
        kind: what the registry holds ("component", "action", ...).
        name: the contested name.
        existing: where the first registration came from.
        incoming: where the second one came from.
    """

    def __init__(
        self, kind: str, name: str, existing: str, incoming: str, rename_hint: str = ""
    ) -> None:
        self.kind, self.name, self.existing, self.incoming = kind, name, existing, incoming
        how = f" (e.g. {rename_hint})" if rename_hint else ""
        super().__init__(
            f"{kind} name {name!r} is registered twice: by {existing} and by {incoming}. "
            f"Rename one of them{how} or pass replace=True to override on purpose."
        )


class UnknownNameError(RegistryError, KeyError):
    """A name was looked up that nothing registered.

    Also a :class:`KeyError`, so mapping-style code keeps working.
    """

    def __init__(self, kind: str, name: str, suggestions: list[str] | None = None) -> None:
        self.kind, self.name, self.suggestions = kind, name, suggestions or []
        close = ", ".join(map(repr, self.suggestions))
        hint = f" Did you mean {close}?" if self.suggestions else ""
        super().__init__(
            f"no {kind} is registered as {name!r}.{hint} Register it, or check that the "
            "module defining it is discovered."
        )

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class DiscoveryError(FabulaError):
    """A module or directory given to an auto-loader could not be imported.

    Attributes:
        source: the module or file.
        reason: what went wrong (the exception's type and message).
        line: the line of ``source`` at fault, when known (a syntax error,
            or the line of the file that raised).
    """

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source, self.reason, self.line = source, reason, line
        at = f", line {line}" if line is not None else ""
        super().__init__(f"cannot discover registrations in {source}{at}: {reason}")


# --- ECS --------------------------------------------------------------------


class EcsError(FabulaError):
    """The World was used in a way it does not support."""


class ComponentDeclarationError(EcsError, TypeError):
    """A component class cannot be stored the way it is declared."""

    def __init__(self, component: Any, reason: str) -> None:
        self.component = component
        name = getattr(component, "__qualname__", repr(component))
        super().__init__(f"component {name}: {reason}")


class EntityError(EcsError, KeyError):
    """A handle that names no live entity (never spawned, or not yet applied)."""

    def __init__(self, entity: Any, reason: str | None = None) -> None:
        self.entity = entity
        super().__init__(reason or f"no entity {entity!r} exists in this world.")

    def __str__(self) -> str:
        return str(self.args[0])


class DespawnedEntityError(EntityError):
    """A handle to an entity that was despawned (its slot may since be reused)."""


class MissingComponentError(EcsError, KeyError):
    """An entity does not have the component that was asked for.

    Attributes:
        entity: the entity handle.
        component: the component type asked for.
    """

    def __init__(self, entity: Any, component: Any, entity_label: str, has: list[str]) -> None:
        self.entity, self.component = entity, component
        name = getattr(component, "__qualname__", repr(component))
        have = ", ".join(has) if has else "no components"
        super().__init__(
            f"{entity_label} has no {name} component (it has {have}). "
            f"Use try_get() where absence is expected, or insert a {name} first."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class ReadOnlyError(EcsError, TypeError):
    """A write asked of a read-only view of the world (a validator's, a
    narrator's): change the world in an action's ``execute()`` instead."""


class StructuralChangeError(EcsError):
    """A structural change (spawn, insert, remove, despawn) made where it is not allowed."""


# --- actions ----------------------------------------------------------------


class ActionDeclarationError(FabulaError, TypeError):
    """An action class that cannot be used as declared: its ``requires`` holds
    something that is not a precondition, or names a parameter field the
    action's ``Params`` does not have, or a precondition is bound to
    something other than a field's name. Raised while actions are declared,
    marked with ``@action`` or registered, never during play.

    Attributes:
        action: the action's id (or class name), when one is known.
        field: the parameter field concerned, if any.
    """

    def __init__(
        self, message: str, *, action: str | None = None, field: str | None = None
    ) -> None:
        self.action, self.field = action, field
        super().__init__(message if action is None else f"action {action!r}: {message}")


# --- systems ----------------------------------------------------------------


class ScheduleError(FabulaError):
    """Systems that cannot be ordered (unknown name, cycle, phase conflict)."""


class TaskError(FabulaError):
    """Async work started or awaited in a way the task runner does not support."""


# --- events -----------------------------------------------------------------


class EventError(FabulaError):
    """The event bus was used in a way it does not support."""


class EventTypeError(EventError, TypeError):
    """A value that is not an :class:`~fabula.events.Event` (class or instance)
    was given where one is needed.

    Attributes:
        value: what was given instead.
    """

    def __init__(self, value: Any, message: str) -> None:
        self.value = value
        super().__init__(message)


class SubscriptionError(EventError):
    """A handler could not be subscribed or unsubscribed as asked: it is not
    callable, already subscribed, or not subscribed at all.

    Attributes:
        event_type: the event class of the subscription.
        handler: the handler concerned.
    """

    def __init__(self, event_type: Any, handler: Any, message: str) -> None:
        self.event_type, self.handler = event_type, handler
        super().__init__(message)


class EventCascadeError(EventError):
    """Handlers published more events during one top-level publish than the
    bus allows (``EventBus(max_cascade=...)``); almost always a cycle.

    Attributes:
        event_type: the event class whose publication went over the limit.
        limit: the bus's ``max_cascade``.
    """

    def __init__(self, event_type: Any, limit: int) -> None:
        self.event_type, self.limit = event_type, limit
        name = getattr(event_type, "__qualname__", repr(event_type))
        super().__init__(
            f"handlers published more than {limit} events while one top-level publish was "
            f"being dispatched (refused: {name}). A handler probably publishes in a cycle, "
            f"e.g. a handler of {name} publishing {name} again; break the cycle, or raise "
            "EventBus(max_cascade=...) if this many events per publish is expected."
        )


# --- games --------------------------------------------------------------------


class GameNotFoundError(FabulaError, LookupError):
    """No installed game has the id, or the ``module:attribute`` reference does
    not import."""


class ScaffoldError(FabulaError):
    """``fabula new`` cannot write the new game's folder: it exists already
    (nothing is overwritten), or the disk refused the write.

    Attributes:
        path: the folder asked for.
    """

    def __init__(self, path: Any, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class ContentError(FabulaError):
    """A game's files have problems; all of them are listed at once.

    Attributes:
        problems: ``(file, field path, message)`` for each problem found.
    """

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        lines = [
            f"  {file}: {path}: {message}" if path else f"  {file}: {message}"
            for file, path, message in problems
        ]
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the game has {count}; fix them and load it again:\n" + "\n".join(lines))


class PromptError(ContentError):
    """Prompt files with problems; all of them are listed at once.

    Attributes:
        problems: ``(file, where, message)`` for each problem found.
    """

    def __init__(self, problems: Sequence[tuple[str, str, str]], *, headline: str = "") -> None:
        # ContentError's own message speaks of "the game"; prompts may be the
        # built-in ones, so the headline is ours. The attribute is the same.
        self.problems = list(problems)
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        lines = [
            f"  {file}: {where}: {message}" if where else f"  {file}: {message}"
            for file, where, message in self.problems
        ]
        head = headline or f"the prompt files have {count}; fix them and load them again:"
        FabulaError.__init__(self, head + "\n" + "\n".join(lines))


class UnknownPromptError(PromptError, KeyError):
    """No prompt has the id asked for, or not the version asked for.

    Also a :class:`KeyError`, so mapping-style code keeps working.

    Attributes:
        id: the prompt id asked for.
        version: the version asked for (empty: the newest).
        known: the versions of ``id`` there are (empty if the id is unknown).
    """

    def __init__(self, id: str, version: str, known: Sequence[str], ids: Sequence[str]) -> None:
        self.id, self.version, self.known = id, version, tuple(known)
        if known:
            message = (
                f"prompt {id!r} has no version {version!r} (it has {', '.join(known)}); "
                "ask for one of those, or add a prompt file with that version to the "
                "game's prompts/ folder"
            )
        else:
            message = (
                f"there is no prompt {id!r} (there are {', '.join(ids) or 'none'}); "
                "check the id, or add a prompt file with that id to the game's prompts/ folder"
            )
        super().__init__(
            [("prompts", "", message)], headline="a prompt was asked for that is not there:"
        )

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class PromptRenderError(PromptError):
    """A prompt could not be rendered with the variables it was given.

    Attributes:
        file: the prompt file.
        variables: the variables that were missing (empty for other failures).
    """

    def __init__(self, file: str, message: str, variables: Sequence[str] = ()) -> None:
        self.file = file
        self.variables = tuple(variables)
        where = ", ".join(self.variables)
        super().__init__([(file, where, message)], headline="a prompt could not be rendered:")


class ConfigError(FabulaError):
    """Model settings (config file, environment, flags) that do not fit.

    Attributes:
        problems: ``(source, setting, message)`` for each problem found.
    """

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        lines = [
            f"  {source}: {setting}: {message}" if setting else f"  {source}: {message}"
            for source, setting, message in problems
        ]
        super().__init__(
            "the model settings have problems; fix them (or unset them to play offline):\n"
            + "\n".join(lines)
        )


class ModelError(FabulaError):
    """A model did not answer usefully, after its retries.

    Attributes:
        role: "parser" or "narrator".
        reason: what went wrong, briefly ("timeout", "HTTP 503", ...).
        retryable: whether trying again later may help (a down server) or not
            (a rejected request).
    """

    def __init__(self, role: str, reason: str, *, retryable: bool = True) -> None:
        self.role = role
        self.reason = reason
        self.retryable = retryable
        hint = (
            "check that the server is running and reachable"
            if retryable
            else "check the model name and settings for this role"
        )
        super().__init__(f"the {role} model failed: {reason}; {hint}.")


# --- memory -------------------------------------------------------------------


class MemoryStoreError(FabulaError):
    """Long-term memory that cannot be opened, read or written as asked.

    Memory is derived data (lore from the game's files, history from the
    save's journal), so a caller can play on without it and rebuild it later;
    the world and the save are never affected. The memory package translates
    ChromaDB's, the file system's and the embedder's errors into this branch
    at its boundary.

    Attributes:
        where: the store's folder, or the Chroma server, concerned.
    """

    def __init__(self, where: Any, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


class EmbedderError(MemoryStoreError):
    """An embedder that cannot be used: its package is not installed, its
    model does not load, or it failed to embed (an embeddings server that did
    not answer usefully).

    Attributes:
        embedder: the embedder's name (``"fabula-local-minilm"``...).
    """

    def __init__(self, embedder: str, message: str) -> None:
        super().__init__(f"embedder {embedder}", message)
        self.embedder = embedder


# --- persistence --------------------------------------------------------------


class PersistenceError(FabulaError):
    """A save file that cannot be opened, read or written as asked.

    Attributes:
        path: the save file concerned.
    """

    def __init__(self, path: Any, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class NotASaveError(PersistenceError):
    """The file is not SQLite, is damaged or truncated, or is not a fabula save."""


class SaveVersionError(PersistenceError):
    """The save was written in a format newer than this fabula understands."""


class SaveContentError(PersistenceError):
    """The save holds content this game cannot load (an unknown component name,
    a component whose fields changed, a row that does not decode, a journalled
    action the game no longer has).

    Attributes:
        table: the table holding the first bad row, if one is to blame.
        row: that row ("turn 12", "entity 5", "chunk 0", "key 'seed'").
        field: the column or field within it.
    """

    def __init__(
        self,
        path: Any,
        message: str,
        *,
        table: str | None = None,
        row: str | None = None,
        field: str | None = None,
    ) -> None:
        self.table, self.row, self.field = table, row, field
        where = [
            part
            for part in (
                f"table {table!r}" if table else "",
                row or "",
                f"field {field!r}" if field else "",
            )
            if part
        ]
        super().__init__(path, f"{', '.join(where)}: {message}" if where else message)


class SaveLockedError(PersistenceError):
    """Another process has the save open."""


class SaveWriteError(PersistenceError):
    """Writing the save failed (read-only location, disk full, I/O error).
    The previous contents of the save are intact."""


class WalError(PersistenceError):
    """The save's write-ahead log (``<save>-wal``) cannot be trusted: SQLite
    would open the save without turns it holds (a damaged header or frame,
    a log cut short or missing), or with another database's pages (a log
    copied from elsewhere). Nothing was changed; the message names the
    command that recovers what can be read into a new save.

    Attributes:
        wal: the log file.
    """

    def __init__(self, path: Any, message: str, wal: Any = None) -> None:
        super().__init__(path, message)
        self.wal = wal


class ReplayError(PersistenceError):
    """Replaying a journal did not reproduce the recorded state."""
