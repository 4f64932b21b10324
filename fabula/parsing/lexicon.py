"""The words things answer to, indexed: from a word to the entities it may name.

Resolving "brass lamp" by asking every thing in scope for its words costs a
few microseconds a thing: milliseconds in a room of ten thousand. The
:class:`Lexicon` answers instead from an index, word -> entities, built from
every :class:`~fabula.actions.standard.Named` entity once, then updated for
the entities whose name or aliases changed (the world's field indexes over
``Named.name`` and ``Named.aliases`` say which, through ``version`` and
``changed_since``); a phrase's
candidates are then the few entities having all its words, and only those
are checked against scope. Parsing a command stays well under a millisecond
with ten thousand things in scope (``python -m benchmarks.parser``).
"""

from __future__ import annotations

from fabula.actions.standard import Named
from fabula.ecs import FieldIndex, WorldView
from fabula.errors import EcsError
from fabula.parsing.nouns import singular, vocabulary

__all__ = ["Lexicon"]


class Lexicon:
    """Word -> entities, for one world at a time (see the module docstring)."""

    __slots__ = ("_indexes", "_versions", "_vocab", "_words")

    def __init__(self) -> None:
        self._indexes: tuple[FieldIndex, ...] = ()
        self._versions: tuple[int, ...] = ()
        self._words: dict[str, set[int]] = {}
        self._vocab: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def current(self, world: WorldView) -> Lexicon:
        """This lexicon, brought up to date with ``world``'s names (rebuilt
        every time if the names cannot be indexed: correct, only slower)."""
        try:
            indexes = (world.index(Named, "name"), world.index(Named, "aliases"))
        except EcsError:  # a name or alias that is not hashable
            self._rebuild(world)
            self._indexes, self._versions = (), ()
            return self
        versions = tuple(index.version for index in indexes)
        same = len(indexes) == len(self._indexes) and all(
            a is b for a, b in zip(indexes, self._indexes, strict=True)
        )
        if same and versions != self._versions:
            changed = [i.changed_since(v) for i, v in zip(indexes, self._versions, strict=True)]
            if all(c is not None for c in changed):  # a few names changed: update those
                self._update(world, frozenset().union(*(c for c in changed if c)))
                self._versions = versions
                return self
        if not same or versions != self._versions:
            self._rebuild(world)
            self._indexes, self._versions = indexes, versions
        return self

    def _update(self, world: WorldView, entities: frozenset[int]) -> None:
        for entity in entities:
            old = self._vocab.pop(entity, None)
            for word in old[0] if old is not None else ():
                holders = self._words.get(word)
                if holders is not None:
                    holders.discard(entity)
                    if not holders:
                        del self._words[word]
            if entity in world and world.has(entity, Named):
                self._vocab[entity] = answers = vocabulary(world, entity)
                for word in answers[0]:
                    self._words.setdefault(word, set()).add(entity)

    def _rebuild(self, world: WorldView) -> None:
        words: dict[str, set[int]] = {}
        vocab: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        for entity in world.entities_with[Named]:
            vocab[entity] = answers = vocabulary(world, entity)
            for word in answers[0]:
                words.setdefault(word, set()).add(entity)
        self._words, self._vocab = words, vocab

    def knows(self, word: str) -> bool:
        """Whether any named thing answers to ``word``."""
        return word in self._words

    def vocabulary(self, entity: int) -> tuple[frozenset[str], frozenset[str]]:
        """``(words, full names)`` of ``entity`` (empty if it has no name)."""
        return self._vocab.get(entity, (frozenset(), frozenset()))

    def naming(self, words: list[str]) -> set[int]:
        """The entities answering to every word of ``words`` (a plural word
        counting as its singular)."""
        found: set[int] | None = None
        for word in words:
            these = set(self._words.get(word, ()))
            one = singular(word)
            if one is not None:
                these |= self._words.get(one, set())
            found = these if found is None else found & these
            if not found:
                return set()
        return found or set()
