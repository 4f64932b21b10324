"""The words the parser knows without asking any game: directions, articles,
pronouns, command separators, and the meta commands.

Also the tokenizer: lower-cased words, with the punctuation that separates
commands (``.``, ``;``, ``,``) kept as tokens of its own.
"""

from __future__ import annotations

import re

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
"""Commands about the game rather than in it -> their name."""

_TOKEN = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*|[.;,?]")


def tokenize(text: str) -> list[str]:
    """Lower-cased words and separating punctuation; everything else is dropped.

    Example:
        >>> tokenize("Take the LAMP, then go N.")
        ['take', 'the', 'lamp', ',', 'then', 'go', 'n', '.']
    """
    return _TOKEN.findall(text.lower()[:2000])


def split_commands(tokens: list[str]) -> list[list[str]]:
    """Split at ``.``, ``;`` and ``then`` into one token list per command.

    Commas are left alone here: inside a command they separate nouns
    ("take lamp, key"); the parser decides when one ends a command.
    """
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in {".", ";", "then"}:
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]
