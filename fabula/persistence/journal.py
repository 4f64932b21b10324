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
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from fabula.actions import ActionProposal

__all__ = ["TurnRecord", "annotate", "append", "last_turn", "read", "rollback", "truncate"]


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


def read(conn: sqlite3.Connection, after: int = 0, upto: int | None = None) -> Iterator[TurnRecord]:
    """Rows with ``after < turn <= upto``, in turn order, validated."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE turn > ? AND turn <= ? ORDER BY turn",
        (after, upto if upto is not None else 2**62),
    )
    for turn, text, actions, tick, rng, models, started, finished in rows:
        yield TurnRecord(
            turn=turn,
            input=text,
            actions=tuple(ActionProposal.model_validate(a) for a in json.loads(actions)),
            tick=tick,
            rng=rng,
            models=json.loads(models),
            started_at=started,
            finished_at=finished,
        )


def last_turn(conn: sqlite3.Connection) -> int:
    """The highest journalled turn (0 if none)."""
    (turn,) = conn.execute("SELECT coalesce(max(turn), 0) FROM journal").fetchone()
    return int(turn)


def truncate(conn: sqlite3.Connection, after: int) -> None:
    """Delete rows past turn ``after`` (inside the caller's transaction)."""
    conn.execute("DELETE FROM journal WHERE turn > ?", (after,))
