"""Noun phrases: from the player's words to entities in scope.

A thing answers to the words of its :class:`~fabula.actions.standard.Named`
name and aliases; a phrase matches it when every word of the phrase (articles
dropped) is one of those words: "brass lamp", "lamp", "brass" all name the
brass lamp. Candidates come only from the actor's scope (what it sees and
carries), so a phrase can never resolve to, or reveal, a hidden thing.

A phrase may also be ``all`` / ``everything`` (optionally ``except X``),
``X and Y`` / ``X, Y``, a plural ("keys": every key in scope), or a pronoun
(it, them, him, her) naming the last things referred to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fabula.actions.standard import Named
from fabula.ecs import WorldView
from fabula.parsing.words import ARTICLES, PRONOUNS

__all__ = ["NounError", "Resolved", "describe", "resolve", "vocabulary"]

_ALL = frozenset({"all", "everything", "every"})
_EXCEPT = frozenset({"except", "but", "excluding"})
_AND = frozenset({"and", ","})


@dataclass(frozen=True, slots=True)
class Resolved:
    """The entities a phrase names (several for ``all`` and lists)."""

    entities: tuple[int, ...]
    plural: bool = False


@dataclass(frozen=True, slots=True)
class NounError:
    """Why a phrase names nothing, or too many things.

    Attributes:
        code: ``NO_SUCH_THING`` (nothing in scope answers), ``AMBIGUOUS``,
            ``PRONOUN_GONE``, ``NOTHING_TO_DO`` (``all`` found nothing),
            ``EMPTY`` (no words).
        words: the phrase.
        options: for ``AMBIGUOUS``, the candidates (all in scope).
    """

    code: str
    words: tuple[str, ...]
    options: tuple[int, ...] = ()


def vocabulary(world: WorldView, entity: int) -> tuple[frozenset[str], frozenset[str]]:
    """``(words, full names)`` an entity answers to."""
    named = world.try_get(entity, Named, readonly=True)
    if named is None:
        return frozenset(), frozenset()
    names = {named.name.lower(), *(a.lower() for a in named.aliases)}
    words = {w for n in names for w in n.split()}
    return frozenset(words), frozenset(names)


def describe(world: WorldView, entity: int) -> str:
    """ "the brass lamp" / "Mira": how a question mentions an entity."""
    named = world.try_get(entity, Named, readonly=True)
    return "that" if named is None else named.definite()


def _clean(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in ARTICLES]


def _singular(word: str) -> str | None:
    """A plural's singular by the common English rules ("keys", "boxes")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return None


def _match_one(
    world: WorldView, words: list[str], candidates: Iterable[int]
) -> tuple[list[int], bool]:
    """Entities answering to ``words``, and whether a plural was used."""
    phrase = " ".join(words)
    exact, partial, plural = [], [], []
    for entity in sorted(candidates):
        vocab, names = vocabulary(world, entity)
        if phrase in names:
            exact.append(entity)
        elif words and all(w in vocab for w in words):
            partial.append(entity)
        elif words and all(w in vocab or _singular(w) in vocab for w in words):
            plural.append(entity)
    if exact or partial:
        return exact or partial, False
    return plural, bool(plural)


def resolve(
    world: WorldView,
    words: list[str],
    candidates: frozenset[int],
    *,
    everything: Callable[[], frozenset[int]] = frozenset,
    referents: tuple[int, ...] = (),
) -> Resolved | NounError:
    """Resolve a noun phrase among ``candidates``.

    Args:
        world: the world (read only).
        words: the phrase, as tokens.
        candidates: the entities in scope.
        everything: what ``all`` means for this action (within scope); called
            only when the phrase says ``all``.
        referents: what pronouns refer to.
    """
    words = _clean(words)
    if not words:
        return NounError("EMPTY", ())
    if words[0] in _ALL:
        rest = words[1:]
        if rest and rest[0] == "of":
            rest = rest[1:]
        excluded: set[int] = set()
        if rest and rest[0] in _EXCEPT:
            found = resolve(world, rest[1:], candidates, referents=referents)
            if isinstance(found, NounError):
                return found
            excluded = set(found.entities)
        elif rest:
            found = resolve(world, rest, candidates, referents=referents)  # "all coins"
            if isinstance(found, NounError) and found.code != "AMBIGUOUS":
                return found
            chosen = found.options if isinstance(found, NounError) else found.entities
            return Resolved(tuple(sorted(chosen)), plural=True)
        chosen = sorted(everything() - excluded)
        if not chosen:
            return NounError("NOTHING_TO_DO", tuple(words))
        return Resolved(tuple(chosen), plural=True)
    if any(w in _AND for w in words):
        entities: list[int] = []
        for part in _split(words):
            found = resolve(world, part, candidates, referents=referents)
            if isinstance(found, NounError):
                return found
            entities.extend(e for e in found.entities if e not in entities)
        return Resolved(tuple(entities), plural=True)
    if len(words) == 1 and words[0] in PRONOUNS:
        alive = tuple(e for e in referents if e in candidates)
        if not referents or len(alive) < len(referents):
            return NounError("PRONOUN_GONE", tuple(words))
        return Resolved(alive, plural=len(alive) > 1)
    matches, plural = _match_one(world, words, candidates)
    if not matches:
        return NounError("NO_SUCH_THING", tuple(words))
    if plural:  # "the keys": every key in scope
        return Resolved(tuple(matches), plural=True)
    if len(matches) > 1:
        return NounError("AMBIGUOUS", tuple(words), tuple(matches))
    return Resolved((matches[0],))


def _split(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _AND:
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]
