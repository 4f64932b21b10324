"""The errors of prompt files: loading, looking up and rendering.

They live next to the feature, under :class:`~fabula.errors.ContentError`,
because a prompt file is content like a world file: code that already
catches ``ContentError`` to show a game's problems shows a bad prompt too.
Every problem is a ``(file, where, message)`` triple, ``where`` being a line
(``"line 4"``), a front-matter field (``"version"``), a variable, or empty.

::

    ContentError
    └── PromptError               prompt files with problems (lists them all)
        ├── UnknownPromptError    no prompt has the id, or not that version
        └── PromptRenderError     a render that cannot finish (missing variable...)
"""

from __future__ import annotations

from collections.abc import Sequence

from fabula.errors import ContentError, FabulaError

__all__ = ["PromptError", "PromptRenderError", "UnknownPromptError"]

Problem = tuple[str, str, str]


class PromptError(ContentError):
    """Prompt files with problems; all of them are listed at once.

    Attributes:
        problems: ``(file, where, message)`` for each problem found.
    """

    def __init__(self, problems: Sequence[Problem], *, headline: str = "") -> None:
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
