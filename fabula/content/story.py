"""What a game's files may say about its story beyond the world: points
for tasks, more endings, things that happen at set turns, and hints.

These are Pydantic models, strict like :mod:`fabula.content.schema` (an
unknown key is an error). ``game.toml`` may hold::

    [awards.lamp]                      # points for a task, the first turn it holds
    points = 5
    task = "lighting the great lamp"   # FULL SCORE: "5 points for lighting the great lamp"
    when = { lit = ["great-lamp"] }

    [[endings]]                        # endings beyond [win] and [lose]
    result = "lost"
    killed = ["tamsin"]
    message = "..."

    [[timeline]]                       # said at the end of a given turn
    turn = 20
    message = "Far out, a ship's lantern dips and rises."
    unless = { lit = ["great-lamp"] }

and ``hints.toml`` holds ``[[hints]]`` (:class:`HintSpec`). Items' own
``points`` (awarded when first taken) stay in the world files; FULL SCORE
calls them "finding" the item.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from fabula.content.schema import Condition, _Strict

__all__ = ["AwardSpec", "EndingSpec", "HintSpec", "HintsFile", "TimedSpec"]


class AwardSpec(_Strict):
    """``[awards.<id>]``: points for a task, given once, at the end of the
    first turn after which ``when`` holds.

    Attributes:
        points: how many.
        task: what FULL SCORE says they were for ("lighting the great lamp").
        when: the condition that earns them.
    """

    points: int = Field(gt=0)
    task: str = Field(min_length=1)
    when: Condition


class EndingSpec(Condition):
    """``[[endings]]``: one more way the game ends, besides ``[win]`` and
    ``[lose]``: a condition (every given clause must hold) and its result.
    Losing endings are judged before winning ones, as ``[lose]`` is before
    ``[win]``."""

    result: Literal["won", "lost"] = "lost"


class TimedSpec(_Strict):
    """``[[timeline]]``: something the game says at the end of turn ``turn``
    (the world's tick), if ``when`` holds (when given) and ``unless`` does
    not (when given): a ship drawing nearer, a bell at midnight.

    Attributes:
        turn: the turn it comes at (1 is the end of the first turn).
        message: what is said, as written.
        when: say it only if this holds.
        unless: say it only if this does not hold.
    """

    turn: int = Field(gt=0)
    message: str = Field(min_length=1)
    when: Condition | None = None
    unless: Condition | None = None


class HintSpec(_Strict):
    """One ``[[hints]]`` topic: a question the player may be stuck on and
    hints that give more away one at a time.

    Attributes:
        topic: the question, as the player would ask it ("How do I get past
            the crab?").
        hints: the successive hints, gentlest first, the answer last.
        when: the topic is offered only while this holds (not before the
            player could be stuck on it).
        until: the topic is no longer offered once this holds (solved); a
            list of conditions hides it once any of them holds.
    """

    topic: str = Field(min_length=1)
    hints: list[str] = Field(min_length=1)
    when: Condition | None = None
    until: list[Condition] = []

    @field_validator("until", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict | str) else value


class HintsFile(_Strict):
    """``hints.toml``: the game's hint topics, in the order they are offered."""

    hints: list[HintSpec] = []
