"""Noun phrases: from the player's words to entities in scope.

A thing answers to the words of its :class:`~fabula.actions.standard.Named`
name and aliases; a phrase matches it when every word of the phrase (articles
dropped) is one of those words: "brass lamp", "lamp", "brass" all name the
brass lamp. Candidates come only from the actor's scope (what it sees and
carries), so a phrase can never resolve to, or reveal, a hidden thing.

A phrase may also be ``all`` / ``everything`` (optionally ``except X`` /
``but X``, or ``from Y``), ``X and Y`` / ``X, Y``, a plural ("keys": every
key in scope), ``X from Y`` (X among what Y holds), an ordinal or a number
("second key", "two coins", "both keys": :mod:`fabula.parsing.ordinals`),
or a pronoun (it, them, him, her) naming what it was last bound to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fabula.actions.standard import Named, contents
from fabula.ecs import WorldView
from fabula.parsing.ordinals import count_of, ordinal_of
from fabula.parsing.words import ARTICLES, PRONOUNS

if TYPE_CHECKING:
    from fabula.parsing.lexicon import Lexicon

__all__ = ["NounError", "Resolved", "describe", "resolve", "singular", "vocabulary"]

_ALL = frozenset({"all", "everything", "every"})
_EXCEPT = frozenset({"except", "but", "excluding"})
_AND = frozenset({"and", ","})
_FROM = frozenset({"from", "off"})


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
            ``TOO_FEW`` ("three coins" when there are two), ``EMPTY`` (no words).
        words: the phrase.
        options: for ``AMBIGUOUS``, the candidates (all in scope); for
            ``TOO_FEW``, the few there are.
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


def singular(word: str) -> str | None:
    """A plural's singular by the common English rules ("keys", "boxes")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return None


def _match_one(
    world: WorldView,
    words: list[str],
    candidates: Collection[int],
    lexicon: Lexicon | None = None,
) -> tuple[list[int], bool]:
    """Entities answering to ``words``, and whether a plural was used. With
    a ``lexicon``, only the entities having the words are looked at (each
    then checked to be among ``candidates``), not every candidate."""
    phrase = " ".join(words)
    exact, partial, plural = [], [], []
    pool = candidates if lexicon is None else lexicon.naming(words)
    for entity in sorted(pool):
        if lexicon is None:
            vocab, names = vocabulary(world, entity)
        elif entity in candidates:
            vocab, names = lexicon.vocabulary(entity)
        else:
            continue
        if phrase in names:
            exact.append(entity)
        elif words and all(w in vocab for w in words):
            partial.append(entity)
        elif words and all(w in vocab or singular(w) in vocab for w in words):
            plural.append(entity)
    if exact or partial:
        return exact or partial, False
    return plural, bool(plural)


def resolve(
    world: WorldView,
    words: list[str],
    candidates: Collection[int],
    *,
    everything: Callable[[], frozenset[int]] = frozenset,
    referents: Mapping[str, tuple[int, ...]] | None = None,
    lexicon: Lexicon | None = None,
) -> Resolved | NounError:
    """Resolve a noun phrase among ``candidates``.

    Args:
        world: the world (read only).
        words: the phrase, as tokens.
        candidates: the entities in scope.
        everything: what ``all`` means for this action (within scope); called
            only when the phrase says ``all``.
        referents: what each pronoun (it, them, him, her) refers to.
        lexicon: the world's word index, to find candidates by their words
            (:mod:`fabula.parsing.lexicon`) instead of asking each.
    """
    referents = referents or {}
    words = _clean(words)
    if not words:
        return NounError("EMPTY", ())
    if words[0] in _ALL:
        return _all(world, words, candidates, everything, referents, lexicon)
    if any(w in _AND for w in words):
        entities: list[int] = []
        for part in _split(words):
            found = resolve(
                world, part, candidates, everything=everything, referents=referents, lexicon=lexicon
            )
            if isinstance(found, NounError):
                return found
            entities.extend(e for e in found.entities if e not in entities)
        return Resolved(tuple(entities), plural=True)
    if len(words) == 1 and words[0] in PRONOUNS:
        bound = referents.get(words[0], ())
        alive = tuple(e for e in bound if e in candidates)
        if not bound or len(alive) < len(bound):
            return NounError("PRONOUN_GONE", tuple(words))
        return Resolved(alive, plural=len(alive) > 1)
    matches, plural = _match_one(world, words, candidates, lexicon)
    if not matches:
        return _counted(world, words, candidates, everything, referents, lexicon)
    if plural:  # "the keys": every key in scope
        return Resolved(tuple(matches), plural=True)
    told_apart = {lexicon.vocabulary(e) if lexicon else vocabulary(world, e) for e in matches}
    if len(matches) > 1 and len(told_apart) > 1:
        return NounError("AMBIGUOUS", tuple(words), tuple(matches))
    if len(matches) > 1:  # no word tells them apart: any one, one "all" would take first
        likely = everything()
        matches = [m for m in matches if m in likely] or matches
    return Resolved((matches[0],))


def _all(
    world: WorldView,
    words: list[str],
    candidates: Collection[int],
    everything: Callable[[], frozenset[int]],
    referents: Mapping[str, tuple[int, ...]],
    lexicon: Lexicon | None,
) -> Resolved | NounError:
    """``all``, ``all of the coins``, ``all except the lamp``, ``all from the box``."""
    rest = words[1:]
    if rest and rest[0] == "of":
        rest = rest[1:]
    place = _place(rest, first=0)
    if place is not None:  # "all from the satchel": what it holds
        found = resolve(world, rest[place[1] :], candidates, referents=referents, lexicon=lexicon)
        if isinstance(found, NounError):
            return found
        inside = frozenset(e for h in found.entities for e in contents(world, h) if e in candidates)
        rest = rest[: place[0]]
        everything, candidates = (lambda: inside), inside
        if not rest:
            return _chosen(sorted(inside), words)
    excluded: set[int] = set()
    if rest and rest[0] in _EXCEPT:
        found = resolve(world, rest[1:], candidates, referents=referents, lexicon=lexicon)
        if isinstance(found, NounError):
            return found
        excluded = set(found.entities)
    elif rest:
        # "all coins"
        found = resolve(world, rest, candidates, referents=referents, lexicon=lexicon)
        if isinstance(found, NounError) and found.code != "AMBIGUOUS":
            return found
        chosen = found.options if isinstance(found, NounError) else found.entities
        return Resolved(tuple(sorted(chosen)), plural=True)
    return _chosen(sorted(everything() - excluded), words)


def _chosen(chosen: list[int], words: list[str]) -> Resolved | NounError:
    if not chosen:
        return NounError("NOTHING_TO_DO", tuple(words))
    return Resolved(tuple(chosen), plural=True)


def _counted(
    world: WorldView,
    words: list[str],
    candidates: Collection[int],
    everything: Callable[[], frozenset[int]],
    referents: Mapping[str, tuple[int, ...]],
    lexicon: Lexicon | None,
) -> Resolved | NounError:
    """A phrase that names nothing as it stands: perhaps "the second key",
    "two coins", "both keys" or "the coin from the satchel"."""
    place = _place(words)
    if place is not None:
        found = resolve(world, words[place[1] :], candidates, referents=referents, lexicon=lexicon)
        if isinstance(found, NounError):
            return found
        inside = frozenset(e for h in found.entities for e in contents(world, h) if e in candidates)
        return resolve(
            world,
            words[: place[0]],
            inside,
            everything=lambda: inside,
            referents=referents,
            lexicon=lexicon,
        )
    if len(words) > 1 and (ordinal := ordinal_of(words[0])) is not None:
        matches, _ = _match_one(world, words[1:], candidates, lexicon)
        if len(matches) >= ordinal:
            return Resolved((matches[ordinal - 1],))
        return NounError("NO_SUCH_THING", tuple(words))
    if len(words) > 1 and (count := count_of(words[0])) is not None:
        matches, _ = _match_one(world, words[1:], candidates, lexicon)
        if not matches:
            return NounError("NO_SUCH_THING", tuple(words))
        if len(matches) < count:
            return NounError("TOO_FEW", tuple(words), tuple(matches))
        return Resolved(tuple(matches[:count]), plural=count > 1)
    return NounError("NO_SUCH_THING", tuple(words))


def _place(words: list[str], first: int = 1) -> tuple[int, int] | None:
    """Where "from Y" / "out of Y" / "off Y" starts in a phrase, and where Y
    starts, if the phrase has one from word ``first`` on (after a noun)."""
    for i, word in enumerate(words):
        if i < first:
            continue
        if word in _FROM and i + 1 < len(words):
            return i, i + 1
        if word in ("out", "outside") and i + 2 < len(words) and words[i + 1] == "of":
            return i, i + 2
    return None


def _split(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _AND:
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]
