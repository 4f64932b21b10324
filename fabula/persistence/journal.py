"""The action journal: one row per accepted turn, durable before it is shown.

A row holds what is needed to play the turn again without any model: the
validated structured actions, plus what lets replay check itself (the tick
and a fingerprint of the RNG state before the turn) and what explains it
(the raw input, timestamps, the prompt and model versions used, if any).
Appending one is a single small insert in its own transaction.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fabula.actions import ActionProposal, Outcome
from fabula.errors import SaveContentError
from fabula.persistence.advice import recover_command

__all__ = [
    "NOT_JOURNALLED",
    "TurnRecord",
    "annotate",
    "append",
    "decode",
    "journalled",
    "last_turn",
    "read",
    "rollback",
    "row_stamp",
    "stamp",
    "truncate",
    "well_formed",
]


class TurnRecord(BaseModel):
    """One accepted turn.

    Attributes:
        turn: the turn number, from 1.
        input: what the player typed (empty for a turn without input).
        actions: the structured actions applied, in order.
        tick: ``world.tick`` before the turn.
        rng: fingerprint of ``world.rng`` before the turn.
        models: prompt ids/versions and models used to parse or narrate it.
        started_at, finished_at: wall-clock seconds (informative only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    turn: int = Field(ge=1)
    input: str = ""
    actions: tuple[ActionProposal, ...] = ()
    tick: int = 0
    rng: str = ""
    models: dict[str, str] = {}
    started_at: float = 0.0
    finished_at: float = 0.0


_COLUMNS = "turn, input, actions, tick, rng, models, started_at, finished_at"
_TEXT = ("input", "actions", "rng", "models")
_AS_READ = ", ".join(
    f"CASE typeof({c}) WHEN 'text' THEN CAST({c} AS BLOB) ELSE {c} END" if c in _TEXT else c
    for c in _COLUMNS.split(", ")
)
"""The columns as read: text as bytes, so a row whose text is not UTF-8 is
named by its turn instead of failing the whole query."""


def append(conn: sqlite3.Connection, record: TurnRecord) -> None:
    """Write ``record`` in its own committed transaction."""
    actions = json.dumps([a.model_dump() for a in record.actions], separators=(",", ":"))
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            f"INSERT INTO journal ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.turn,
                record.input,
                actions,
                record.tick,
                record.rng,
                json.dumps(record.models),
                record.started_at,
                record.finished_at,
            ),
        )
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def annotate(conn: sqlite3.Connection, turn: int, models: dict[str, str]) -> None:
    """Add ``models`` to turn ``turn``'s row, in its own transaction.

    What the narrator model cost is known only after the turn is durable and
    shown; it is explanation, not state, so it is added afterwards (a crash
    before this write loses only the accounting, never the turn).
    """
    if not models:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT models FROM journal WHERE turn = ?", (turn,)).fetchone()
        if row is not None:
            merged = json.loads(row[0]) | models
            conn.execute("UPDATE journal SET models = ? WHERE turn = ?", (json.dumps(merged), turn))
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so (it
    does by itself after some I/O errors, and a second ROLLBACK would fail)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def read(
    conn: sqlite3.Connection,
    after: int = 0,
    upto: int | None = None,
    path: Path | None = None,
) -> Iterator[TurnRecord]:
    """Rows with ``after < turn <= upto``, in turn order, validated.

    Raises:
        SaveContentError: the first row that does not decode, naming its turn
            and field (``path`` names the save; default: the connection's file).
    """
    # Fetched whole: a cursor left open by a row that fails to decode would keep
    # the file open (and its -wal undeleted) after the connection is closed.
    rows = conn.execute(
        f"SELECT {_AS_READ} FROM journal WHERE turn > ? AND turn <= ? ORDER BY turn",
        (after, upto if upto is not None else 2**62),
    ).fetchall()
    expected = after + 1
    for row in rows:
        record = decode(row, path or _file_of(conn))
        if record.turn != expected:
            where = path or _file_of(conn)
            raise SaveContentError(
                where,
                f"follows turn {expected - 1}, so turn {expected} is missing. The journal is "
                f"damaged there; recover the turns before it with: {recover_command(where)}",
                table="journal",
                row=f"turn {record.turn}",
            )
        expected = record.turn + 1
        yield record


def decode(row: tuple[Any, ...], path: Path) -> TurnRecord:
    """One journal row (the columns of :data:`_COLUMNS`) as a checked record.

    Raises:
        SaveContentError: naming the row's turn and the first bad field.
    """
    where = f"turn {row[0]}" if isinstance(row[0], int) else f"turn {row[0]!r}"

    def bad(field: str, message: str) -> SaveContentError:
        return SaveContentError(
            path,
            f"{message}. The journal is damaged from this turn on; recover the turns before it "
            f"into a new save with: {recover_command(path)}",
            table="journal",
            row=where,
            field=field,
        )

    fields = list(row)
    for i, name in enumerate(_COLUMNS.split(", ")):
        if name in _TEXT and isinstance(fields[i], bytes):
            try:
                fields[i] = fields[i].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise bad(name, f"is not valid UTF-8 text ({exc.reason} at {exc.start})") from None
    turn, text, actions, tick, rng, models, started, finished = fields
    proposals = _json(actions, list, bad, "actions", "a list of actions")
    checked = []
    for i, item in enumerate(proposals):
        try:
            checked.append(ActionProposal.model_validate(item))
        except ValidationError as exc:
            raise bad(f"actions[{i}]", f"is not a well-formed action ({_first(exc)})") from None
    accounting = _json(models, dict, bad, "models", "a table of model names")
    try:
        return TurnRecord(
            turn=turn,
            input=text,
            actions=tuple(checked),
            tick=tick,
            rng=rng,
            models=accounting,
            started_at=started,
            finished_at=finished,
        )
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        raise bad(str(loc[0]) if loc else "turn", f"does not fit ({_first(exc)})") from None


def _json(text: Any, kind: type, bad: Any, field: str, what: str) -> Any:
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise bad(field, f"is not valid JSON ({exc})") from None
    if not isinstance(value, kind):
        raise bad(field, f"holds {type(value).__name__}, not {what}")
    return value


def _first(exc: ValidationError) -> str:
    err = exc.errors(include_input=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def _file_of(conn: sqlite3.Connection) -> Path:
    """The file a connection has open (for messages)."""
    try:
        name = conn.execute("PRAGMA database_list").fetchone()[2]
    except sqlite3.Error:
        name = ""
    return Path(name or "the save")


def last_turn(conn: sqlite3.Connection) -> int:
    """The highest journalled turn (0 if none).

    Raises:
        SaveContentError: the journal's turn numbers are not whole numbers.
    """
    (turn,) = conn.execute("SELECT coalesce(max(turn), 0) FROM journal").fetchone()
    if not isinstance(turn, int):
        path = _file_of(conn)
        raise SaveContentError(
            path,
            f"holds a turn numbered {turn!r}. The journal is damaged; recover the turns before "
            f"it with: {recover_command(path)}",
            table="journal",
            field="turn",
        )
    return turn


def row_stamp(started_at: float) -> str:
    """What tells one row from any other played as the same turn (by another
    save, or before an undo): the time it was started, to the last bit of
    the float (16 hex digits)."""
    return struct.pack("<d", started_at).hex()


def stamp(conn: sqlite3.Connection, turn: int) -> str:
    """:func:`row_stamp` of turn ``turn``'s row as stored ("" if there is none,
    or it is damaged)."""
    row = conn.execute("SELECT started_at FROM journal WHERE turn = ?", (turn,)).fetchone()
    if row is None or not isinstance(row[0], float | int):
        return ""
    return row_stamp(float(row[0]))


def truncate(conn: sqlite3.Connection, after: int) -> None:
    """Delete rows past turn ``after`` (inside the caller's transaction)."""
    conn.execute("DELETE FROM journal WHERE turn > ?", (after,))


def well_formed(
    actions: Iterable[ActionProposal | dict[str, Any]],
) -> tuple[list[ActionProposal], list[Any]]:
    """Split ``actions`` at the first malformed one: the journal can hold only
    those before it; it is still passed on, to be refused."""
    good: list[ActionProposal] = []
    items = list(actions)
    for i, item in enumerate(items):
        try:
            good.append(
                item if isinstance(item, ActionProposal) else ActionProposal.model_validate(item)
            )
        except ValidationError:
            return good, items[i : i + 1]
    return good, []


NOT_JOURNALLED = frozenset({"MALFORMED", "UNKNOWN_ACTION", "BAD_PARAMS"})
"""Refusals that mean "not an action of this game": a turn's row stops before them."""


def journalled(
    proposals: Sequence[ActionProposal], outcomes: Sequence[Outcome]
) -> tuple[ActionProposal, ...]:
    """The proposals a turn's row records: those that were tried (one outcome
    each), less any refused as malformed, unknown to the game, or with
    parameters that do not fit it.

    Such a proposal changes nothing, so replaying the row without it gives
    the same world; and replay can then treat an unknown action or bad
    parameters in a journal as damage (or a changed game), never as a
    refusal to play again (see :func:`fabula.persistence.replay.check_actions`).
    A proposal never tried (after the refusal that ended a chain) is not
    recorded either, so a row is replayed by trying each of its actions.
    """
    return tuple(
        proposal
        for proposal, outcome in zip(proposals, outcomes, strict=False)
        if outcome.refusal is None or outcome.refusal.code not in NOT_JOURNALLED
    )
