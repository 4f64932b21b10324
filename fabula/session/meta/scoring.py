"""The score, as the player hears of it: SCORE, FULL SCORE, NOTIFY, and the
notice after a turn that changed it ("[Your score has gone up by 5 points.]").

The points themselves are the world's (:class:`~fabula.actions.standard.Score`,
with what earned them in :class:`~fabula.content.Achievements`), awarded by
the game's rules and handlers while a turn is played; this module only reads
them, so nothing here is journalled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fabula.actions.standard import Score
from fabula.content import Achievements

if TYPE_CHECKING:
    from fabula.session.session import Session

__all__ = ["full_score", "notify", "plural", "points_of", "score_line", "score_notice"]


def plural(count: int, word: str) -> str:
    """ "1 turn", "2 turns", "0 turns".

    >>> plural(1, "point"), plural(5, "point")
    ('1 point', '5 points')
    """
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def points_of(session: Session) -> int:
    """The player's score now."""
    return session.view.get(session.player, Score).points


def score_line(session: Session) -> str:
    """ "Your score is 5 out of 25, in 12 turns." ("1 turn")."""
    score = session.view.get(session.player, Score)
    turns = plural(session.save.turn, "turn")
    return f"Your score is {score.points} out of {score.possible}, in {turns}."


def full_score(session: Session) -> str:
    """FULL SCORE: what each point was for, in the order earned, then the total."""
    score = session.view.get(session.player, Score)
    earned = session.view.try_get(session.player, Achievements) or Achievements()
    over = session.ended is not None
    if not earned.keys:
        lead = "You scored" if over else "You have scored"
        return f"{lead} no points yet, out of a possible {score.possible}."
    width = max(len(str(p)) for p in earned.points)
    lines = ["The score was made up as follows:" if over else "Your score is made up as follows:"]
    lines.extend(
        f"  {points:>{width}} {'point' if points == 1 else 'points'} for {task}"
        for points, task in zip(earned.points, earned.tasks, strict=True)
    )
    lines.append(
        f"In all, {plural(score.points, 'point')} out of a possible {score.possible}, "
        f"in {plural(session.save.turn, 'turn')}."
    )
    return "\n".join(lines)


def notify(session: Session, argument: str) -> str:
    """NOTIFY (toggle), NOTIFY ON, NOTIFY OFF."""
    words = argument.split()
    if words and words[0] not in ("on", "off"):
        return 'Say "notify on" or "notify off".'
    session.meta.notify = (words[0] == "on") if words else not session.meta.notify
    return f"Score notification {'on' if session.meta.notify else 'off'}."


def score_notice(session: Session, before: int) -> str:
    """The notice for a turn that changed the score from ``before`` (empty
    if it did not, or if the player turned notification off)."""
    change = points_of(session) - before
    if not change or not session.meta.notify:
        return ""
    way = "up" if change > 0 else "down"
    return f"[Your score has gone {way} by {plural(abs(change), 'point')}.]"
