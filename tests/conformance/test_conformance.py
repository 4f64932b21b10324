"""The conformance table: what a player who knows Inform 7 or TADS 3 types,
and what fabula must answer.

Each ``*.toml`` file in this folder holds ``[[case]]`` rows::

    [[case]]
    id = "take-after-moving"            # unique within its file
    setup = ["w"]                        # played first, unchecked (optional)
    command = "take lantern"             # the line under test
    expect = ["Taken."]                  # each must appear in the reply
    reject = ["can't see"]               # none may appear (optional)
    ended = "lost"                       # the game's ending after it (optional)
    game = "gulls_end"                   # a bundled game (default) or a folder
                                         # under tests/conformance/games/
    ref = "I7 Standard Rules: taking"    # what a player expects, and from where
    differs = "..."                      # where fabula deliberately differs

Every row starts a new game in a fresh save, plays ``setup`` through
:meth:`Session.turn`, then ``command``, and checks the reply's text. The
reference column keeps Inform 7's Standard Rules and TADS 3's adv3 as the
measure; ``differs`` says, where fabula chooses otherwise, what and why.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from fabula.content import ContentGame
from fabula.games import GAMES
from fabula.session import Session
from tests.support.summary import add_summary

HERE = Path(__file__).parent
LOCAL_GAMES = HERE / "games"


@dataclass(frozen=True)
class Case:
    """One row of the table."""

    file: str
    id: str
    command: str
    expect: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    setup: tuple[str, ...] = ()
    ended: str | None = None
    game: str = "gulls_end"
    ref: str = ""
    differs: str = ""

    @property
    def name(self) -> str:
        return f"{self.file}::{self.id}"


KNOWN = {"id", "command", "expect", "reject", "setup", "ended", "game", "ref", "differs"}


def load_cases() -> list[Case]:
    """Every row of every table file, checked for shape."""
    cases: list[Case] = []
    for path in sorted(HERE.glob("*.toml")):
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])
        for number, row in enumerate(rows, 1):
            unknown = set(row) - KNOWN
            if unknown or "id" not in row or "command" not in row:
                raise ValueError(f"{path.name}: case {number}: bad keys {sorted(unknown)}")
            cases.append(
                Case(
                    file=path.stem,
                    id=row["id"],
                    command=row["command"],
                    expect=tuple(row.get("expect", ())),
                    reject=tuple(row.get("reject", ())),
                    setup=tuple(row.get("setup", ())),
                    ended=row.get("ended"),
                    game=row.get("game", "gulls_end"),
                    ref=row.get("ref", ""),
                    differs=row.get("differs", ""),
                )
            )
    return cases


CASES = load_cases()
_GAMES: dict[str, ContentGame] = {}


def game(name: str) -> ContentGame:
    """A game by name, loaded once per process (loading is read-only)."""
    if name not in _GAMES:
        folder = LOCAL_GAMES / name if (LOCAL_GAMES / name).is_dir() else GAMES / name
        _GAMES[name] = ContentGame.load(folder)
    return _GAMES[name]


def test_every_row_is_named_once() -> None:
    names = Counter(case.name for case in CASES)
    assert [name for name, n in names.items() if n > 1] == []
    assert all(case.expect or case.reject or case.ended for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_conformance(case: Case, tmp_path: Path) -> None:
    session = Session.start(game(case.game), tmp_path / "case.save", new=True)
    try:
        log: list[str] = []
        for line in case.setup:
            log.append(f"> {line}\n{session.turn(line).text}")
        reply = session.turn(case.command)
        log.append(f"> {case.command}\n{reply.text}")
        transcript = "\n\n".join(log)
        for wanted in case.expect:
            assert wanted in reply.text, f"missing {wanted!r}\n\n{transcript}"
        for unwanted in case.reject:
            assert unwanted not in reply.text, f"unexpected {unwanted!r}\n\n{transcript}"
        if case.ended is not None:
            assert session.ended == case.ended, transcript
    finally:
        session.close()


@pytest.fixture(scope="module", autouse=True)
def _count(request: pytest.FixtureRequest) -> None:
    per_file = Counter(case.file for case in CASES)
    differs = sum(1 for case in CASES if case.differs)
    lines = [f"{n:4d} rows  {name}.toml" for name, n in sorted(per_file.items())]
    lines.append(f"{len(CASES):4d} rows in all, {differs} marked where fabula differs")
    add_summary(request.config, "Conformance table", lines)
