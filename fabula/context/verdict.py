"""What the rules decided this turn, as lines a narrator model is held to.

The narrator model is told that the verdict is the truth: an action listed
as done happened, a refused one did not, and nothing else was attempted.
Each :class:`~fabula.actions.Outcome` becomes one line, after a line for
each implicit action the rules tried first for it (marked so)::

    take (item: the storm lantern): done
    open: refused, LOCKED (it is locked.); facts: item = the lighthouse door
    take (item: the keeper's coat): done, implicitly, first
    wear (item: the keeper's coat): done

A refusal names only what its *facts* name, never its parameters: the rules
leave facts empty when the actor cannot perceive the thing concerned, so a
verdict never leaks something hidden (the symbolic parser's ``NOT_HERE``
for a thing in a closed chest says nothing about the chest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import Named
from fabula.ecs import WorldView

__all__ = ["describe_outcomes", "focus_of", "names_before"]


def describe_outcomes(
    world: WorldView, outcomes: Iterable[Outcome], *, names: Mapping[int, str] | None = None
) -> tuple[str, ...]:
    """One line per outcome, in order (see the module docstring).

    Args:
        world: the world after the turn.
        outcomes: the turn's outcomes.
        names: names of entities the turn may have destroyed (eaten, burnt),
            taken before the turn; ``"the apple"``. Entities neither alive
            with a name nor named here read "something".
    """
    known = names or {}
    lines = []
    for outcome, first in _flat(outcomes):
        proposal = outcome.proposal
        action = proposal.action if proposal is not None else "a malformed action"
        refusal = outcome.refusal
        if refusal is None:
            params = dict(proposal.params) if proposal is not None else {}
            if outcome.params is not None:
                params.update(outcome.params.model_dump(exclude_none=True))
            shown = _pairs(world, params, known, ": ")
            done = "done, implicitly, first" if first else "done"
            lines.append(f"{action} ({shown}): {done}" if shown else f"{action}: {done}")
            continue
        line = f"{action}: refused{', implicitly, first' if first else ''}, {refusal.code}"
        if refusal.reason:
            line += f" ({refusal.reason})"
        facts = _pairs(world, {k: v for k, v in refusal.facts.items() if k != "errors"}, known)
        lines.append(f"{line}; facts: {facts}" if facts else line)
    return tuple(lines)


def focus_of(outcomes: Iterable[Outcome]) -> frozenset[int]:
    """The entities the turn's verdict names (the parameters of what was done,
    the facts of what was refused), for :class:`~fabula.context.StateContextBuilder`'s
    ``focus``: their details are the last a budget cuts."""
    found: set[int] = set()
    for outcome, _ in _flat(outcomes):
        if outcome.refusal is not None:
            values: Iterable[Any] = outcome.refusal.facts.values()
        elif outcome.proposal is not None:
            values = outcome.proposal.params.values()
        else:
            continue
        found.update(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    return frozenset(found)


def _flat(outcomes: Iterable[Outcome]) -> list[tuple[Outcome, bool]]:
    """Each outcome after the implicit ones tried for it, with whether it is
    one of those."""
    return [
        (told, told is not outcome) for outcome in outcomes for told in (*outcome.implicit, outcome)
    ]


def _pairs(
    world: WorldView, values: Mapping[str, Any], known: Mapping[int, str], sep: str = " = "
) -> str:
    return ", ".join(f"{key}{sep}{_value(world, values[key], known)}" for key in sorted(values))


def _value(world: WorldView, value: Any, known: Mapping[int, str]) -> str:
    """An entity's definite name; any other value as text."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Sequence) and not isinstance(value, str):
            return "[" + ", ".join(_value(world, v, known) for v in value) + "]"
        return str(value)
    if value in world:
        named = world.try_get(value, Named, readonly=True)
        if named is not None:
            return str(named.definite())
    return known.get(value, "something")


def names_before(world: WorldView, proposals: Iterable[ActionProposal]) -> dict[int, str]:
    """What ``proposals`` name, as "the lantern", taken before the turn may
    destroy them: pass it as :func:`describe_outcomes`'s ``names`` so the
    verdict still names what was eaten or burnt."""
    out: dict[int, str] = {}
    for proposal in proposals:
        for value in proposal.params.values():
            if isinstance(value, int) and value in world:
                named = world.try_get(value, Named, readonly=True)
                if named is not None:
                    out[value] = named.definite()
    return out
