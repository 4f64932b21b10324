"""Errors of games and models: content, prompts, model settings, memory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fabula.errors.base import FabulaError

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
