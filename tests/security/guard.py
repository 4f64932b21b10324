"""The guarantee, checked after every turn: "the state is the truth".

A :class:`Guard` plays a :class:`~fabula.session.Session` one input at a
time and, after each, checks what a hostile model or player must never be
able to break:

* the turn completed: no exception escaped ``Session.turn``;
* the player was told clearly: the reply is a non-empty string, bounded,
  with no traceback, no exception name, no raw JSON, no control characters,
  no long verbatim echo of the hostile payload, and it is exactly what was
  streamed to the UI piece by piece;
* zero illegal state changes: two *shadow* worlds follow the live one,
  built from the game's seed and fed only what the save's journal holds.
  One replays each journalled row whole and must reach the live state
  digest (the journal is the truth, turn by turn, not only at the end).
  The other replays only the actions that passed their validators, and must
  reach the same digest: a refused action is indistinguishable from no
  action at all (a turn whose actions were all refused is exactly a turn of
  waiting: the clock ticks and the game's people act, nothing else). Every
  journalled action is a registered id whose parameters validate, proposed
  for the player. An input that played no turn leaves the digest untouched;
* nothing appears from outside the game: no entity that the game did not
  build at turn 0, no component type it did not register, a score that
  stays within what is possible.

:meth:`Guard.finish` then closes the save and checks it from the outside:
``verify`` replays the journal from turn 0 and reproduces the saved state,
which is the live one; SQLite finds the file intact; every save slot
written replays too; and no file appeared anywhere in the sandbox (the
test's directory, which holds the working directory and the data home too)
but save files in the save folder.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import Score
from fabula.content import ContentGame
from fabula.ecs import World
from fabula.parsing import ParseError, SymbolicParser
from fabula.persistence import SaveFile, TurnRecord, journal, state_digest, verify
from fabula.session import Reply, Session

__all__ = ["MAX_REPLY", "QUOTE", "Guard", "Sandbox", "Turn", "check_text"]

MAX_REPLY = 20_000
"""The longest reply a player may be shown for one input."""

QUOTE = 120
"""The longest run of a hostile payload a reply may repeat verbatim."""

CLARIFY = "I'm not sure what you mean."
"""How the model parser's question to the player begins."""

_EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_text(
    text: str, *, payloads: Iterable[str] = (), what: str = "reply", narrated: bool = False
) -> None:
    """Assert ``text`` is fit to show a player after a hostile input.

    ``payloads`` are what the attacker controlled (the input, the parser
    model's answers); no run of more than :data:`QUOTE` characters of them
    may come back verbatim. With ``narrated``, a narrator model's words may
    be part of the text, and its words are its own (it may write JSON, or
    the word "Traceback", as fiction); only how they are shown is checked.
    """
    assert isinstance(text, str), f"the {what} is a {type(text).__name__}, not text"
    assert text.strip(), f"the {what} is empty"
    assert len(text) < MAX_REPLY, f"the {what} is {len(text):,} characters long"
    if not narrated:
        assert "Traceback" not in text, f"the {what} shows a traceback"
        assert 'File "' not in text, f"the {what} shows a traceback"
        found = _EXCEPTION_NAME.search(text)
        assert found is None, f"the {what} names an exception: {found.group()!r} in {text[:300]!r}"
        assert '{"actions"' not in text, f"the {what} dumps JSON"
        assert '"action":' not in text, f"the {what} dumps JSON"
    control = _CONTROL.search(text)
    assert control is None, f"the {what} carries control character {control.group()!r}"
    for payload in payloads:
        echo = _longest_echo(payload, text)
        assert echo is None, (
            f"the {what} repeats {len(echo)}+ characters of a payload: {echo[:60]!r}…"
        )


def _longest_echo(payload: str, text: str) -> str | None:
    """A run of ``payload`` longer than :data:`QUOTE` found in ``text``, if any.

    Windows of ``QUOTE`` characters taken every ``QUOTE // 2`` characters
    catch every shared run of ``1.5 * QUOTE`` or more and none shorter than
    ``QUOTE``.
    """
    if len(payload) <= QUOTE or len(text) <= QUOTE:
        return None
    step = QUOTE // 2
    windows = {payload[i : i + QUOTE] for i in range(0, len(payload) - QUOTE + 1, step)}
    return next((w for w in windows if w in text), None)


@dataclass(slots=True)
class Sandbox:
    """Where a guarded game may write: one save folder inside a test's
    temporary directory, with the working directory and the data home
    moved inside it too, so any stray write is seen.

    Attributes:
        root: the test's temporary directory.
        saves: the only folder save files may appear in.
        before: every path under ``root`` when the game started.
    """

    root: Path
    saves: Path
    before: frozenset[str] = frozenset()

    def fresh(self) -> Sandbox:
        """A new sandbox in a new folder inside this one (one per hypothesis
        example, which all share one test's temporary directory)."""
        root = Path(tempfile.mkdtemp(dir=self.root))
        box = Sandbox(root, root / "saves")
        box.saves.mkdir()
        box.before = box.tree()
        return box

    def tree(self) -> frozenset[str]:
        """Every path under :attr:`root`, relative to it."""
        return frozenset(str(p.relative_to(self.root)) for p in self.root.rglob("*"))

    def slots(self, game_id: str) -> list[Path]:
        """The save slots written since the game started (not those planted before)."""
        old = {self.root / path for path in self.before}
        return sorted(p for p in self.saves.glob(f"{game_id}-*.save") if p not in old)

    def strays(self, game_id: str) -> list[str]:
        """New paths that are not save files of ``game_id`` in the save folder."""
        allowed = re.compile(rf"{re.escape(game_id)}(-[a-z0-9_-]+)?\.save(-wal|-shm|-journal)?")
        return [
            path
            for path in sorted(self.tree() - self.before)
            if (self.root / path).parent != self.saves
            or not allowed.fullmatch((self.root / path).name)
        ]


@dataclass(slots=True)
class Turn:
    """What one guarded input did.

    Attributes:
        text: the input.
        reply: the session's reply.
        played: whether a turn was journalled.
        outcomes: the outcomes of the journalled actions, as replay decided them.
        symbolic: what a fresh symbolic parser answered to the same input,
            before the turn (the model parser's fallback).
    """

    text: str
    reply: Reply
    played: bool
    outcomes: list[Outcome] = field(default_factory=list)
    symbolic: str | None = None

    @property
    def refused(self) -> bool:
        """A turn was played and none of its actions was applied."""
        return self.played and not any(o.ok for o in self.outcomes)

    @property
    def codes(self) -> list[str]:
        return [o.refusal.code for o in self.outcomes if o.refusal is not None]

    @property
    def body(self) -> str:
        """The reply without the bracketed notices a session puts first."""
        text = self.reply.text
        while text.startswith("["):
            end = text.find("]\n\n")
            if end < 0:
                break
            text = text[end + 3 :]
        return text


class Guard:
    """Plays ``session`` and checks the guarantee after every input (see the
    module docstring).

    Args:
        session: a session on a new game, at turn 0 or later.
        game: its game.
        sandbox: where it may write.
        narrated: a narrator model tells the turns (see :func:`check_text`).
    """

    def __init__(
        self, session: Session, game: ContentGame, sandbox: Sandbox, *, narrated: bool = False
    ) -> None:
        self.session = session
        self.narrated = narrated
        self.game = game
        self.sandbox = sandbox
        self.name_of = game.components.name_of
        self.initial, self.possible = _start_of(game, session.save.seed)
        self.registered = frozenset(game.components)
        self.turns: list[Turn] = []
        self._resync()

    # ------------------------------------------------------------------ play

    def play(self, text: str, *, payloads: Sequence[str] = ()) -> Turn:
        """Play ``text`` and check everything; return what it did.

        ``payloads``: further attacker-controlled text (the parser model's
        answers) the reply must not repeat at length.
        """
        session = self.session
        save, world, turn = session.save, session.world, session.save.turn
        digest = self._known
        symbolic = SymbolicParser(self.game.actions).parse(text, world.view(), session.player)
        pieces: list[str] = []
        reply = session.turn(text, emit=pieces.append)
        label = f"after {_short(text)}"
        check_text(
            reply.text, payloads=[text, *payloads], what=f"reply {label}", narrated=self.narrated
        )
        streamed = "".join(pieces)
        assert streamed == reply.text, (
            f"what was streamed is not the reply, {label}: "
            f"…{streamed[-80:]!r} was streamed, the reply ends …{reply.text[-80:]!r}"
        )
        assert reply.turn == session.save.turn, f"the reply's turn is not the save's, {label}"

        live = session.world
        outcomes: list[Outcome] = []
        if session.save is not save or live is not world:  # undo or restore
            assert reply.turn <= turn, f"undo or restore moved forward, {label}"
            self._resync()
            played = False
        elif session.save.turn == turn:
            self._known = self._digest(live)
            assert self._known == digest, f"the state changed with no turn played, {label}"
            assert self._last_journalled() == turn, f"a row was journalled, {label}"
            played = False
        else:
            # a line plays one turn per command it holds, each journalled
            passed, most = session.save.turn - turn, len(session.parser.split(text))
            assert passed <= most, f"{passed} turns passed for {most} commands, {label}"
            rows = list(self._rows(after=turn))
            assert [r.turn for r in rows] == list(range(turn + 1, session.save.turn + 1)), (
                f"the journal does not hold the turns, {label}"
            )
            for row in rows:
                outcomes += self._advance(row, label, last=row is rows[-1])
            played = True
        self._check_world(live, label)
        if reply.ended is not None or session.ended is not None:
            assert reply.ended == session.ended == self.game.ending(self.full.world), label
        message = (
            symbolic.message
            if isinstance(symbolic, ParseError)
            else getattr(symbolic, "question", None)
        )
        result = Turn(text, reply, played, outcomes, message)
        self.turns.append(result)
        return result

    def play_all(self, lines: Iterable[str]) -> list[Turn]:
        return [self.play(line) for line in lines]

    # ----------------------------------------------------------------- finish

    def finish(self, *, reopen: bool = False) -> None:
        """Close the save and check it from outside (see the module docstring).

        ``verify`` rebuilds the saved state the way opening the save does
        (its snapshot, then the journal after it) and compares it with the
        journal replayed from turn 0; that saved state must be the live one.
        With ``reopen``, the save is also opened again through
        :meth:`SaveFile.open` (the slower, more literal check).
        """
        session = self.session
        live = self._digest(session.world)
        path = session.save.path
        session.close()
        report = verify(path, self.game)
        assert report.ok, f"replaying the journal does not reproduce the save: {report.problem}"
        saved, replayed = report.checks[-1][1:]
        assert saved == replayed == live, "the save holds another state than the one played"
        with contextlib.closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        if reopen:
            with SaveFile.open(path, self.game) as reopened:
                assert self._digest(reopened.world) == live, "the save reopens to another state"
        for slot in self.sandbox.slots(self.game.id):
            assert verify(slot, self.game).ok, f"the save slot {slot.name} does not replay"
        assert self.sandbox.strays(self.game.id) == [], "files appeared outside the save folder"

    # -------------------------------------------------------------- internals

    def _digest(self, world: World) -> str:
        return state_digest(world, self.name_of)

    def _rows(self, after: int = 0) -> Iterator[TurnRecord]:
        # The save holds its file's lock while it is open, so the journal is
        # read through its own connection, as tests/ai does.
        return journal.read(self.session.save._db(), after)

    def _last_journalled(self) -> int:
        return journal.last_turn(self.session.save._db())

    def _resync(self) -> None:
        """Rebuild both shadows from turn 0 through the whole journal."""
        seed = self.session.save.seed
        self.full = self.game.simulation(self.game.new_world(seed))
        self.allowed = self.game.simulation(self.game.new_world(seed))
        for row in self._rows():
            self._check_row(row, f"in journalled turn {row.turn}")
            outcomes = self.full.play(row.actions, recorded=True)
            self.allowed.play(_applied(outcomes), recorded=True)
        self._known = live = self._digest(self.session.world)
        assert self._digest(self.full.world) == live, "the journal does not rebuild the state"
        assert self._digest(self.allowed.world) == live, "a refused action changed the state"

    def _advance(self, row: TurnRecord, label: str, *, last: bool = True) -> list[Outcome]:
        """Play a journalled turn on both shadows; after the ``last`` turn of
        a line, the full shadow must be the live world."""
        self._check_row(row, label)
        outcomes = self.full.play(row.actions, recorded=True)
        self.allowed.play(_applied(outcomes), recorded=True)
        full = self._digest(self.full.world)
        if not all(o.ok for o in outcomes):  # else both shadows played the same actions
            allowed = self._digest(self.allowed.world)
            assert allowed == full, f"a refused action changed the state {label}"
        if last:
            self._known = live = self._digest(self.session.world)
            assert full == live, f"the journal does not replay the turn {label}"
        return outcomes

    def _check_row(self, row: TurnRecord, label: str) -> None:
        player = self.game.player(self.full.world)
        for proposal in row.actions:
            assert proposal.action in self.game.actions, (
                f"unregistered action {proposal.action!r} {label}"
            )
            params = self.game.actions.get(proposal.action).Params
            params.model_validate(proposal.params)  # raises if they do not fit
            assert proposal.actor == player, f"an action for entity {proposal.actor} {label}"
            assert proposal.source in ("player", "model", "implicit"), (
                f"source {proposal.source!r} {label}"
            )

    def _check_world(self, world: World, label: str) -> None:
        live = frozenset(world.entities())
        assert live <= self.initial, f"entities from nowhere: {sorted(live - self.initial)} {label}"
        types = {t for e in live for t in world.component_types(e)}
        assert types <= self.registered, (
            f"unregistered components {types - self.registered} {label}"
        )
        score = world.get(self.game.player(world), Score, readonly=True)
        assert score.possible == self.possible, f"the possible score changed {label}"
        assert 0 <= score.points <= score.possible, f"score {score.points} {label}"


_STARTS: dict[tuple[str, int], tuple[frozenset[int], int]] = {}


def _start_of(game: ContentGame, seed: int) -> tuple[frozenset[int], int]:
    """The entities ``game`` builds at turn 0 and the score possible
    (memoized: building a world is the costliest part of a short test)."""
    key = (game.id, seed)
    if key not in _STARTS:
        world = game.new_world(seed)
        score = world.get(game.player(world), Score, readonly=True)
        _STARTS[key] = frozenset(world.entities()), score.possible
    return _STARTS[key]


def _applied(outcomes: list[Outcome]) -> list[ActionProposal]:
    """The proposals that passed their validators, in order: an implicit
    action that succeeded counts (as an action of its own, even when the
    action it served was then refused)."""
    applied = []
    for outcome in outcomes:
        for first in outcome.implicit:
            if first.ok and first.proposal is not None:
                applied.append(first.proposal.model_copy(update={"source": "player"}))
        if outcome.ok and outcome.proposal is not None:
            applied.append(outcome.proposal)
    return applied


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
