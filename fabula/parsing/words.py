"""The words the parser knows without asking any game: directions, articles,
pronouns, command separators, and the meta commands.

Also the tokenizer: lower-cased words, with the punctuation that separates
commands (``.``, ``;``, ``,``) kept as tokens of its own.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from fabula.actions.standard import DIRECTIONS as STANDARD_DIRECTIONS

__all__ = [
    "ARTICLES",
    "DIRECTIONS",
    "META",
    "PRONOUNS",
    "split_commands",
    "tokenize",
]

_ABBREVIATIONS = {
    "n": "north", "ne": "northeast", "e": "east", "se": "southeast",
    "s": "south", "sw": "southwest", "w": "west", "nw": "northwest",
    "u": "up", "d": "down", "inside": "in", "outside": "out",
}  # fmt: skip

DIRECTIONS: dict[str, str] = {d: d for d in STANDARD_DIRECTIONS} | _ABBREVIATIONS
"""Every word for a direction -> the direction."""

ARTICLES = frozenset({"a", "an", "the", "some", "my", "this", "that", "these", "those"})
"""Words skipped in noun phrases."""

PRONOUNS = frozenset({"it", "them", "him", "her"})
"""Words that refer back to the last things named."""

META: dict[str, str] = {
    "save": "save", "restore": "restore", "load": "restore",
    "undo": "undo", "again": "again", "g": "again",
    "help": "help", "?": "help", "score": "score",
    "quit": "quit", "q": "quit",
    "oops": "oops", "o": "oops",
    # Inform's other meta commands (fabula.session.meta answers them):
    "restart": "restart", "full": "full", "fullscore": "full", "notify": "notify",
    "hint": "hint", "hints": "hint", "transcript": "transcript", "script": "transcript",
    "unscript": "unscript", "noscript": "unscript",
    "verbose": "verbose", "long": "verbose", "brief": "brief", "normal": "brief",
    "superbrief": "superbrief", "short": "superbrief",
}  # fmt: skip
"""Commands about the game rather than in it -> their name. (``exit`` is not
one: in Inform it means going out, as it does here.)"""

_TOKEN = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*|[.;,?]")


def tokenize(text: str) -> list[str]:
    """Lower-cased words and separating punctuation; everything else is dropped.

    Example:
        >>> tokenize("Take the LAMP, then go N.")
        ['take', 'the', 'lamp', ',', 'then', 'go', 'n', '.']
    """
    return _TOKEN.findall(text.lower()[:2000])


def split_commands(tokens: list[str], starts: Collection[str] = ()) -> list[list[str]]:
    """Split at ``.``, ``;`` and ``then`` into one token list per command,
    and at a comma followed by one of ``starts`` (the words that start a
    command): inside a command a comma separates nouns ("take lamp, key").
    A comma after words that do not start a command addresses someone
    ("tamsin, give me the key") and is kept.

    Example:
        >>> starts = {"take", "wait", "i"}
        >>> split_commands(tokenize("take lamp, key then w. tamsin, wait, i"), starts)
        [['take', 'lamp', ',', 'key'], ['w'], ['tamsin', ',', 'wait'], ['i']]
    """
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in {".", ";", "then"}:
            commands.append([])
        else:
            commands[-1].append(token)
    out: list[list[str]] = []
    for command in (c for c in commands if c):
        current: list[str] = []
        first = True  # only the first words of a command can address someone
        for i, token in enumerate(command):
            following = command[i + 1] if i + 1 < len(command) else ""
            if token != "," or following not in starts:
                current.append(token)
                continue
            if first and current and current[0] not in starts:
                current.append(token)  # "tamsin, give me the key": an order
            else:
                if current:
                    out.append(current)
                current = []
            first = False
        if current:
            out.append(current)
    return out


_PIECES = re.compile(r";|\.(?=\s|$)|\bthen\b", re.IGNORECASE)
"""Where a line is cut before its words are read: ``;``, ``then``, and a
full stop that ends a sentence (one inside a word, as in a file name, is not)."""

_NAMING = re.compile(r"\s*(?:save|restore)\b", re.IGNORECASE)
"""The commands whose argument is a name, kept as typed."""


def split_line(text: str, starts: Collection[str] = ()) -> list[str]:
    """The commands of a typed line, each as text, in order (see
    :func:`split_commands`). A ``save`` or ``restore`` keeps its slot's name
    as typed (``save ../a.b`` is one command, whatever its punctuation),
    up to the next ``;``, ``then`` or sentence-ending full stop. A line of
    one command is given back whole.

    Example:
        >>> split_line("take lamp. save before.cellar. i", {"take", "save", "i"})
        ['take lamp', 'save before.cellar', 'i']
        >>> split_line("w.e", {"w", "e"})
        ['w', 'e']
    """
    commands: list[str] = []
    for piece in _PIECES.split(text):
        if _NAMING.match(piece):
            commands.append(piece.strip())
        else:
            commands.extend(" ".join(c) for c in split_commands(tokenize(piece), starts))
    return commands if len(commands) > 1 else [text]
