"""The root of the tree, arguments, and registries."""

from __future__ import annotations


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
