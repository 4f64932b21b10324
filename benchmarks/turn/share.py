"""How often the parser model is needed: the share of the demo's walkthrough,
as people type it, that the symbolic parser reads on its own.

The demo's walkthrough is played with the symbolic parser; at each step,
every phrasing in :mod:`benchmarks.phrasings` (how people type that step) is
parsed against the world as it is at that point. Each is counted as
*parsed* (structured actions, or a meta command), *answered* (a symbolic
answer such as "you can't see any such thing" or a question: no model would
be asked) or *model* (the errors :class:`~fabula.parsing.TieredParser`
sends to the parser model: unknown verb, not understood, unknown noun).
Parsed phrasings are also checked against the terse command's actions:
*same* means the same action ids. The walkthrough must still win the game,
or no figure is given.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.phrasings import STEPS
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.parsing import FOR_THE_MODEL, Meta, Parsed, ParseError, SymbolicParser
from fabula.session import Session

__all__ = ["Share", "actions_of", "report_share", "share_of_walkthrough"]


@dataclass(frozen=True, slots=True)
class Share:
    """How the phrasings of the walkthrough were read."""

    steps: int
    phrasings: int
    parsed: int
    same: int
    answered: int
    model: int
    needing_model: tuple[str, ...]

    @property
    def without_model(self) -> float:
        return 1 - self.model / self.phrasings


def actions_of(result: object) -> tuple[str, ...]:
    """The action ids a parse result proposes, in order (none unless parsed)."""
    if isinstance(result, Parsed):
        return tuple(p.action for p in result.proposals)
    return ()


def share_of_walkthrough(steps: Sequence[tuple[str, list[str]]] = STEPS) -> Share:
    """Parse every phrasing at its point of the walkthrough (see the module doc)."""
    game = ContentGame.load(DEMO)
    parsed = same = answered = model = total = 0
    needing: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        session = Session.start(game, Path(tmp) / "share.save", new=True)
        assert isinstance(session.parser, SymbolicParser)
        for command, phrasings in steps:
            world = session.world.view()
            expected = actions_of(copy.copy(session.parser).parse(command, world, session.player))
            for phrasing in phrasings:
                total += 1
                result = copy.copy(session.parser).parse(phrasing, world, session.player)
                if isinstance(result, Parsed | Meta):
                    parsed += 1
                    same += actions_of(result) == expected
                elif isinstance(result, ParseError) and result.code in FOR_THE_MODEL:
                    model += 1
                    needing.append(phrasing)
                else:
                    answered += 1
            reply = session.turn(command)
            if reply.ended:
                break
        ended = session.ended
        session.close()
    if ended != "won":
        raise AssertionError(f"the walkthrough did not win the demo (ended: {ended})")
    return Share(len(steps), total, parsed, same, answered, model, tuple(needing))


def report_share(share: Share, *, markdown: bool = False) -> str:
    lines = [
        "Walkthrough phrasings read without the parser model "
        f"({share.steps} steps, {share.phrasings} phrasings)",
        "",
    ]
    rows = [
        ("parsed into actions", share.parsed),
        ("  ... the same actions as the terse command", share.same),
        ("answered symbolically (not here, which one?)", share.answered),
        ("sent to the parser model", share.model),
    ]
    if markdown:
        lines += ["| outcome | phrasings | share |", "|---|---:|---:|"]
        lines += [f"| {name.strip()} | {n} | {n / share.phrasings:.0%} |" for name, n in rows]
    else:
        lines += [f"{name:<48}{n:>5}{n / share.phrasings:>8.0%}" for name, n in rows]
    lines += ["", f"Resolved without the model: {share.without_model:.0%}"]
    if share.needing_model:
        lines += ["Needed the model: " + "; ".join(share.needing_model)]
    return "\n".join(lines)
